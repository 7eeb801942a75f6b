"""常见问题 (12366 知识库): questions and answers shared by every site of the cluster.

- ``FAQ``: a snippet (not a page), so one entry serves the main site and every city site;
  translatable (the English edition can translate it later), with draft/live and revisions,
  searchable with the search app's Chinese segmentation. Linked to themes, service guides
  and policies; a guide page shows the entries linked to it (``queries.faqs_for_guide``, through
  ``wagtail_hooks.py``).
- ``FAQIndexPage``: the searchable list (``?q=``, ``?theme=``, ``?page=``) with one URL per
  entry (``<index>/<id>/``, in sitemap.xml) and the feedback routes (``views.py``).
- ``Feedback``: one "这条回答对您有帮助吗？" vote, with an optional comment that only staff
  see (admin: the snippet listing's counts and *报告 → 常见问题反馈*). Votes live in their own
  rows, so publishing a revision of an entry never rewinds its counts.
"""

from __future__ import annotations

from datetime import datetime, time

from django import forms
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, PageChooserPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import DraftStateMixin, Orderable, Page, RevisionMixin, TranslatableMixin
from wagtail.search import index

from portal import converters  # noqa: F401 - registers <id:…> (portal/converters.py)
from portal.pages import PortalPage
from search.index import LabelledField, segmented

ANSWER_FEATURES = ["bold", "ol", "ul", "link"]


class FAQ(DraftStateMixin, RevisionMixin, TranslatableMixin, index.Indexed, ClusterableModel):
    question = models.CharField(_("问题"), max_length=200)
    answer = RichTextField(_("回答"), features=ANSWER_FEATURES)
    themes = ParentalManyToManyField(
        "guides.Theme",
        verbose_name=_("主题"),
        blank=True,
        related_name="faqs",
        help_text=_("用于常见问题页面的主题筛选。"),
    )
    keywords = models.CharField(
        _("关键词"),
        max_length=200,
        blank=True,
        help_text=_("用逗号分隔，写群众常用的说法（例如：个税、开票），有助于搜索找到本条。"),
    )
    updated = models.DateField(_("更新日期"), default=timezone.localdate)
    _revisions = GenericRelation("wagtailcore.Revision", related_query_name="faq")

    panels = [
        FieldPanel("question"),
        FieldPanel("answer"),
        FieldPanel("themes", widget=forms.CheckboxSelectMultiple),
        FieldRowPanel([FieldPanel("keywords"), FieldPanel("updated")]),
        InlinePanel("guide_links", label=_("相关办事指南"), heading=_("相关办事指南")),
        InlinePanel("policy_links", label=_("相关政策文件"), heading=_("相关政策文件")),
    ]
    search_fields = segmented(
        [
            index.SearchField("question", boost=2),
            index.SearchField("answer"),
            LabelledField("keywords", boost=1.5),
            index.AutocompleteField("question"),
            index.FilterField("live"),
            index.FilterField("locale"),
        ]
    )

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("常见问题")
        verbose_name_plural = _("常见问题")
        ordering = ["-updated", "pk"]

    def __str__(self) -> str:
        return self.question

    @property
    def revisions(self):
        return self._revisions


class FAQGuide(Orderable):
    faq = ParentalKey(FAQ, related_name="guide_links", on_delete=models.CASCADE)
    guide = models.ForeignKey(
        "guides.ServiceGuidePage", verbose_name=_("办事指南"), on_delete=models.CASCADE, related_name="faq_links"
    )

    panels = [PageChooserPanel("guide", page_type="guides.ServiceGuidePage")]


class FAQPolicy(Orderable):
    faq = ParentalKey(FAQ, related_name="policy_links", on_delete=models.CASCADE)
    policy = models.ForeignKey(
        "home.PolicyDocumentPage", verbose_name=_("政策文件"), on_delete=models.CASCADE, related_name="faq_links"
    )

    panels = [PageChooserPanel("policy", page_type="home.PolicyDocumentPage")]


class Feedback(models.Model):
    """One answer to "这条回答对您有帮助吗？". The comment is for staff only: no public
    page or response ever reads it."""

    faq = models.ForeignKey(FAQ, verbose_name=_("常见问题"), on_delete=models.CASCADE, related_name="feedback")
    helpful = models.BooleanField(_("有帮助"))
    comment = models.TextField(_("意见"), blank=True)
    site = models.ForeignKey(
        "wagtailcore.Site", verbose_name=_("站点"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("常见问题反馈")
        verbose_name_plural = _("常见问题反馈")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.faq_id}: {'+' if self.helpful else '-'}"


class FAQIndexPage(RoutablePageMixin, PortalPage):
    """常见问题: every live entry of the cluster, searchable and filtered by theme."""

    intro = models.TextField(_("导语"), blank=True)
    per_page = 10
    is_section = True

    parent_page_types = ["home.HomePage", "home.ColumnPage"]
    subpage_types = []
    content_panels = Page.content_panels + [FieldPanel("intro")]
    search_fields = segmented(Page.search_fields + [index.SearchField("intro")])

    class Meta:
        verbose_name = _("常见问题目录")
        verbose_name_plural = _("常见问题目录")

    def get_sitemap_urls(self, request=None):
        urls = super().get_sitemap_urls(request)
        if urls:
            base = urls[0]["location"]
            for faq_id, updated in queries.live_faqs(self.locale_id).values_list("pk", "updated"):
                # a datetime (the day's start) as every page's: the sitemap takes the newest of a
                # file's for its Last-Modified, and a date beside datetimes failed (500)
                start = timezone.make_aware(datetime.combine(updated, time.min))
                urls.append({"location": f"{base}{faq_id}/", "lastmod": start})
        return urls

    @path("")
    def index_route(self, request):
        return views.index(request, self)

    @path("<id:faq_id>/")
    def question_route(self, request, faq_id: int):
        return views.question(request, self, faq_id)

    @path("<id:faq_id>/feedback/")
    def feedback_route(self, request, faq_id: int):
        return views.FeedbackView.serve(request, self, faq_id=faq_id)

    @path("<id:faq_id>/feedback/thanks/")
    def thanks_route(self, request, faq_id: int):
        return views.thanks(request, self, faq_id)


# Routes and the site map above call the queries and views, which import the models above.
from . import queries, views  # noqa: E402
