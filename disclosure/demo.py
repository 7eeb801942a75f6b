"""Demo of the disclosure catalogue: each content site's 政府信息公开目录 page (under
政府信息公开), and the main site's 通知公告 put into the catalogue by staff (体裁 as
their titles name it). The policies and the articles of the
政府信息公开 columns got their entries and 索引号 when the demo published them; the
policies keep the 原索引号 their content carries. Entries that exist are left alone."""

from __future__ import annotations

from wagtail.models import Site

from home.models import ArticlePage, ColumnPage

from . import services
from .models import DisclosureCataloguePage, StatutoryChecklist
from .statutory import DEFAULT_CATEGORIES

CATALOGUE = {
    "slug": "gkml",
    "title": "政府信息公开目录",
    "intro": "本局主动公开的政府信息，每条附信息索引，可按主题分类、体裁分类、发布机构和年份查找。",
}


# 法定主动公开内容 (by the category's basis): the columns that carry it, by slug, on each site.
# Categories the demo has no column for stay unmapped, so the report has something to say.
STATUTORY_COLUMNS = {
    "main": {
        "第二十条第（一）项": ["zcwj"],
        "第二十条第（二）项": ["jgzn"],
        "第二十条第（七）项": ["czyjs"],
        "第二十条第（九）项": ["czyjs"],
        "第二十条第（十四）项": ["rsxx"],
        "第十九条": ["tzgg"],
        "第二十二条、第四十九条": ["xxgkzn", "ndbg"],
    },
    "city": {"第十九条": ["tzgg"], "第二十二条、第四十九条": ["xxgkml"]},
}


class DisclosureLoader:
    def __init__(self, loader):
        self.loader = loader

    def run(self) -> None:
        for site in Site.objects.select_related("root_page").order_by("-is_default_site", "hostname"):
            column = ColumnPage.objects.child_of(site.root_page).filter(slug="xxgk").first()
            if column is None:
                continue
            if not DisclosureCataloguePage.objects.descendant_of(column).exists():
                self.loader.add_page(column, DisclosureCataloguePage(**CATALOGUE))
            self.checklist(site)
        main = Site.objects.get(is_default_site=True)
        notices = ColumnPage.objects.child_of(main.root_page).filter(slug="tzgg").first()
        if notices is None:
            return
        for page in ArticlePage.objects.child_of(notices).live().order_by("date"):
            if services.entry_for(page) is None:
                entry = services.include(page, {})  # the genre its title names (公告, 通知, 通告)
                self.loader.note(f"信息索引 {entry.index_number} {page.title}")

    def checklist(self, site) -> None:
        """The site's 法定主动公开 checklist with the demo's columns, where it has none yet."""
        if StatutoryChecklist.objects.filter(site=site).exists():
            return
        mapping = STATUTORY_COLUMNS["main" if site.is_default_site else "city"]
        columns = {
            c.slug: c for c in ColumnPage.objects.descendant_of(site.root_page).filter(locale=site.root_page.locale)
        }
        categories = [
            (
                "category",
                {
                    "name": name,
                    "basis": basis,
                    "period_days": period,
                    "columns": [columns[slug] for slug in mapping.get(basis, []) if slug in columns],
                },
            )
            for name, basis, period in DEFAULT_CATEGORIES
        ]
        StatutoryChecklist.objects.create(site=site, categories=categories)
        self.loader.note(f"法定主动公开内容 {site.hostname}")
