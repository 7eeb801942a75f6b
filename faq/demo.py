"""Demo FAQ: the shared entries (``demo_content.FAQS``) linked to the demo themes, guides and
policies, a 常见问题 page under 纳税服务 on every site, and some votes and comments.

Idempotent like the rest of the loader: an entry is found by its question, a page by its
slug under its parent; votes are added only when their entry is created."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone
from wagtail.models import Locale, Site

from guides.models import ServiceGuidePage, Theme
from home.models import PolicyDocumentPage

from .demo_content import FAQS
from .models import FAQ, FAQGuide, FAQIndexPage, FAQPolicy, Feedback

INDEX_SLUG = "cjwt"
INDEX_TITLE = "常见问题"
INDEX_INTRO = (
    "汇集纳税人缴费人咨询较多的问题及解答（12366 知识库），可按关键词搜索或按主题查找。"
    "没有找到答案的，欢迎拨打 12366 或写信咨询。"
)


class FAQLoader:
    def __init__(self, loader):
        self.loader = loader
        self.locale = Locale.get_default()

    def run(self) -> None:
        themes = {theme.slug: theme for theme in Theme.objects.filter(locale=self.locale)}
        guides = {page.slug: page for page in ServiceGuidePage.objects.filter(locale=self.locale)}
        policies = {page.slug: page for page in PolicyDocumentPage.objects.filter(locale=self.locale)}
        for position, spec in enumerate(FAQS):
            self.entry(position, spec, themes, guides, policies)
        for site in Site.objects.select_related("root_page").order_by("pk"):
            home = site.root_page
            parent = self.loader.child(home, "nsfw") or home
            self.loader.add_page(parent, FAQIndexPage(title=INDEX_TITLE, slug=INDEX_SLUG, intro=INDEX_INTRO))

    def entry(self, position: int, spec: dict, themes: dict, guides: dict, policies: dict) -> None:
        if FAQ.objects.filter(question=spec["question"], locale=self.locale).exists():
            return
        faq = FAQ(
            question=spec["question"],
            answer=spec["answer"],
            keywords=spec.get("keywords", ""),
            updated=date.fromisoformat(spec["updated"]),
            locale=self.locale,
        )
        faq.themes = [themes[slug] for slug in spec.get("themes", []) if slug in themes]
        faq.guide_links = [FAQGuide(guide=guides[slug]) for slug in spec.get("guides", []) if slug in guides]
        faq.policy_links = [FAQPolicy(policy=policies[slug]) for slug in spec.get("policies", []) if slug in policies]
        faq.save()
        faq.save_revision().publish()
        self.loader.note(f"FAQ {faq.question}")
        helpful, unhelpful, comments = spec.get("votes", (0, 0, []))
        now = timezone.now()
        votes = [True] * helpful + [False] * unhelpful
        rows = [
            Feedback(faq=faq, helpful=vote, created_at=now - timedelta(hours=7 * n + position))
            for n, vote in enumerate(votes)
        ]
        for n, comment in enumerate(comments):  # the comments come with "没帮助" votes
            rows[helpful + n].comment = comment
        Feedback.objects.bulk_create(rows)
