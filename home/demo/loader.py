"""Demo columns, articles, standard pages, home-page blocks, policies and interpretations.

Content lives in ``content_main.py`` (provincial site), ``content_cities.py`` (the two city
sites) and ``content_policies.py`` (policies and interpretations); their shape is described
in ``FORMAT.md`` and ``guides/demo/FORMAT_SERVICES.md``. ``loader`` is the demo's
``DemoLoader`` (``demo/loader.py``): it finds or creates pages, files and images.
"""

from __future__ import annotations

import json
from datetime import date, datetime

from django.utils import timezone
from wagtail.models import Locale, Page

from guides.models import Theme

from ..models import (
    ArticleAttachment,
    ArticlePage,
    ArticleRelatedLink,
    ColumnPage,
    HomeFeaturedColumn,
    HomePage,
    InterpretationPolicy,
    PolicyDocumentPage,
    PolicyInterpretationPage,
    SitemapPage,
    StandardPage,
)
from . import content_cities, content_main, content_policies

IMAGES = {**content_main.IMAGES, **content_cities.IMAGES, **content_policies.IMAGES}
DOCUMENTS = {**content_main.DOCUMENTS, **content_cities.DOCUMENTS, **content_policies.DOCUMENTS}
SITE_CONTENT = {**content_main.SITES, **content_cities.SITES}

STANDARD_PAGES = [
    ("about", "关于本站"),
    ("contact", "联系我们"),
    ("accessibility", "无障碍声明"),
    ("privacy", "隐私声明"),
]


def aware(value: str) -> datetime:
    return timezone.make_aware(datetime.strptime(value, "%Y-%m-%d %H:%M"))


class HomeLoader:
    def __init__(self, loader):
        self.loader = loader
        loader.images.update(IMAGES)
        loader.documents.update(DOCUMENTS)

    def run(self, site_key: str, home: HomePage, collection, issuer: str, index: dict) -> None:
        """The site's column tree with its articles, the standard pages and the site map;
        ``index`` gets every column and page by slug (for links and other loaders)."""
        content = SITE_CONTENT[site_key]
        self.columns(home, content["columns"], collection, issuer, index)
        for key, title in STANDARD_PAGES:
            page_spec = content["pages"][key]
            index[key] = self.loader.add_page(
                home,
                StandardPage(
                    title=page_spec.get("title", title),
                    slug=key,
                    intro=page_spec.get("intro", ""),
                    body=self.loader.body(page_spec["body"], collection),
                    updated=timezone.localdate(),
                ),
            )
        index["sitemap"] = self.loader.add_page(home, SitemapPage(title="网站地图", slug="sitemap"))

    def columns(self, parent: Page, columns: list[dict], collection, issuer: str, index: dict) -> None:
        for spec in columns:
            column = self.loader.add_page(
                parent,
                ColumnPage(
                    title=spec["title"],
                    slug=spec["slug"],
                    intro=spec.get("intro", ""),
                    column_type=spec["column_type"],
                    department=spec.get("department", ""),
                    update_period_days=spec.get("update_days", 30),
                    show_in_menus=parent.depth == 2,
                ),
            )
            index[spec["slug"]] = column
            self.columns(column, spec.get("children", []), collection, issuer, index)
            for article in spec.get("articles", []):
                self.article(column, article, collection, issuer)

    def article(self, column: ColumnPage, spec: dict, collection, issuer: str) -> None:
        if self.loader.child(column, spec["slug"]):
            return
        published = aware(spec["date"])
        page = ArticlePage(
            title=spec["title"],
            slug=spec["slug"],
            date=published,
            source=spec.get("source", ""),
            author=spec.get("author", ""),
            editor=spec.get("editor", ""),
            summary=spec.get("summary", ""),
            keywords=spec.get("keywords", ""),
            body=self.loader.body(spec["body"], collection),
        )
        for key in spec.get("attachments", []):
            page.attachments.add(ArticleAttachment(document=self.loader.document(key, collection, issuer)))
        for link in spec.get("related", []):
            page.related_links.add(ArticleRelatedLink(title=link["title"], link_url=link["url"]))
        self.loader.add_page(column, page, first_published_at=published)

    def home_extras(self, home: HomePage, spec: dict, collection, index: dict) -> None:
        """The banner, the notice column, the featured columns and the quick links."""
        changed = False
        if not home.banner_image_id and spec["banner"].get("image"):
            home.banner_image = self.loader.image(spec["banner"]["image"], collection)
            changed = True
        if not home.notice_column_id and spec.get("notice_column") in index:
            home.notice_column = index[spec["notice_column"]]
            changed = True
        if not home.featured_columns.exists():
            for slug, count in spec["featured_columns"]:
                home.featured_columns.add(HomeFeaturedColumn(column=index[slug], count=count))
            changed = True
        if not home.quick_links:
            links = []
            for link in spec["quick_links"]:
                value = {"title": link["title"], "description": link.get("description", ""), "page": None, "url": ""}
                if "page" in link:
                    value["page"] = index[link["page"]].pk
                else:
                    value["url"] = link["url"]
                links.append({"type": "link", "value": value})
            home.quick_links = json.dumps(links, ensure_ascii=False)
            changed = True
        if changed:
            home.save_revision().publish()
            self.loader.note(f"home page blocks for {home.title}")

    # ---- policies and interpretations (provincial site) -------------------------------
    def policies(self, home: HomePage, collection, issuer: str, index: dict) -> dict[str, PolicyDocumentPage]:
        """The 政策文件 and 政策解读 columns with their pages; the policies by slug."""
        policy_column = self.loader.add_page(
            home,
            ColumnPage(
                title="政策文件",
                slug="zcwj",
                column_type="policy",
                department="政策法规处",
                update_period_days=30,
                show_in_menus=True,
                intro="本局发布的规范性文件、公告和通知，标注文号、成文日期与有效性。",
            ),
        )
        interpretation_column = self.loader.add_page(
            home,
            ColumnPage(
                title="政策解读",
                slug="zcjd",
                column_type="interpretation",
                department="政策法规处",
                update_period_days=30,
                show_in_menus=True,
                intro="对本局政策文件的文字解读、图解和在线访谈，与原文件相互链接。",
            ),
        )
        index.update(zcwj=policy_column, zcjd=interpretation_column)
        policies = self.policy_documents(policy_column, collection, issuer)
        self.interpretations(interpretation_column, collection, policies)
        return policies

    def policy_documents(self, column, collection, issuer: str) -> dict[str, PolicyDocumentPage]:
        themes = {theme.slug: theme for theme in Theme.objects.filter(locale=Locale.get_default())}
        found = {}
        # Replacements first, so an expired document can point at the one that replaced it.
        ordered = sorted(content_policies.POLICIES, key=lambda spec: spec.get("replaced_by") is not None)
        for spec in ordered:
            existing = column.get_children().filter(slug=spec["slug"]).specific().first()
            if existing:
                found[spec["slug"]] = existing
                continue
            page = PolicyDocumentPage(
                title=spec["title"],
                slug=spec["slug"],
                date=aware(spec["date"]),
                source=spec["issuing_body"],
                issuing_body=spec["issuing_body"],
                document_number=spec.get("document_number", ""),
                index_number=spec.get("index_number", ""),
                written_date=date.fromisoformat(spec["written_date"]) if spec.get("written_date") else None,
                validity=spec["validity"],
                # The bureau's 公告 and 示税发 documents are 行政规范性文件 (the annual report counts them).
                kind=spec.get("kind") or ("normative" if spec.get("document_number") else "other"),
                repealed_on=date.fromisoformat(spec["repealed_on"]) if spec.get("repealed_on") else None,
                replaced_by=found.get(spec.get("replaced_by")),
                theme=themes.get(spec.get("theme")),
                summary=spec.get("summary", ""),
                keywords=spec.get("keywords", ""),
                body=self.loader.body(spec["body"], collection),
            )
            for key in spec.get("attachments", []):
                page.attachments.add(ArticleAttachment(document=self.loader.document(key, collection, issuer)))
            found[spec["slug"]] = self.loader.add_page(column, page, first_published_at=page.date)
        return found

    def interpretations(self, column, collection, policies: dict) -> None:
        for spec in content_policies.INTERPRETATIONS:
            if column.get_children().filter(slug=spec["slug"]).exists():
                continue
            page = PolicyInterpretationPage(
                title=spec["title"],
                slug=spec["slug"],
                kind=spec["kind"],
                date=aware(spec["date"]),
                source=spec.get("source", ""),
                author=spec.get("author", ""),
                summary=spec.get("summary", ""),
                keywords=spec.get("keywords", ""),
                body=self.loader.body(spec["body"], collection),
            )
            for slug in spec["policies"]:
                page.policy_links.add(InterpretationPolicy(policy=policies[slug]))
            self.loader.add_page(column, page, first_published_at=page.date)
