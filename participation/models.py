"""Public participation (公众参与): consultations (意见征集) and surveys (网上调查).

Pages:

- ``ConsultationIndexPage`` lists a site's consultations: open ones first, then upcoming,
  then closed ones with their outcome.
- ``ConsultationPage``: the draft under consultation (summary, body, documents), open and
  close dates (the status 未开始 / 征集中 / 已结束 follows them), approved comments, and after
  the close the outcome (采纳情况) written by editors. Comments are sent at ``comment/``
  (its own route, so the consultation page itself stays in the page cache) and are held as
  ``Comment`` rows until staff approve them; a comment's name and contact are never shown.
- ``SurveyIndexPage`` and ``SurveyPage``: a questionnaire built from question blocks, one
  response per browser, and ``results/`` with counts and percentages for the choice and
  rating questions, public once the survey has closed if the editor ticked 公开调查结果.
  Free-text answers are never public; staff read and export them in the admin.

Every change to comments and responses goes through ``services.py``; public reads are in
``queries.py``; the routes call ``views.py``.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from portal.blocks import BodyBlock
from portal.models import TranslatableInline
from portal.pages import PortalPage
from search.index import segmented

OUTCOME_FEATURES = ["bold", "ol", "ul", "link"]


class Status(models.TextChoices):
    UPCOMING = "upcoming", _("未开始")
    OPEN = "open", _("征集中")
    CLOSED = "closed", _("已结束")


# The badge colours of interviews' statuses (portal.css) fit these three.
BADGE = {Status.UPCOMING: "upcoming", Status.OPEN: "live", Status.CLOSED: "ended"}


def opens_at_field():
    return models.DateTimeField(_("开始时间"), db_index=True)


def closes_at_field():
    return models.DateTimeField(_("截止时间"), db_index=True)


class PeriodMixin:
    """The status derived from ``opens_at``, ``closes_at`` and the current time."""

    def status(self, now=None) -> str:
        now = now or timezone.now()
        if now < self.opens_at:
            return Status.UPCOMING
        if now >= self.closes_at:
            return Status.CLOSED
        return Status.OPEN

    status_labels: dict = {}

    @property
    def status_label(self) -> str:
        status = self.status()
        return self.status_labels.get(status) or Status(status).label

    @property
    def badge(self) -> str:
        return BADGE[self.status()]

    @property
    def is_open(self) -> bool:
        return self.status() == Status.OPEN

    def clean(self):
        super().clean()
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            raise ValidationError({"closes_at": _("截止时间应晚于开始时间。")})


# ---- consultations ------------------------------------------------------------------
class ConsultationIndexPage(PortalPage):
    """意见征集: open consultations first, then upcoming, then closed with their outcome."""

    intro = models.TextField(_("导语"), blank=True)

    parent_page_types = ["home.HomePage", "home.ColumnPage", "correspondence.MailboxIndexPage"]
    subpage_types = ["participation.ConsultationPage"]
    content_panels = Page.content_panels + [FieldPanel("intro")]

    class Meta:
        verbose_name = _("意见征集栏目")
        verbose_name_plural = _("意见征集栏目")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["sections"] = queries.consultation_sections(self, request)
        return context


class ConsultationPage(RoutablePageMixin, PeriodMixin, PortalPage):
    """One consultation: the draft, the documents, the comment period and the outcome."""

    is_publication = True

    opens_at = opens_at_field()
    closes_at = closes_at_field()
    summary = models.TextField(_("征集说明"), help_text=_("征集什么意见、为什么征集，一两段话；用于列表和页面描述。"))
    department = models.CharField(_("征集单位"), max_length=100, blank=True)
    body = StreamField(BodyBlock(), verbose_name=_("正文"), use_json_field=True, blank=True)
    how_to_comment = RichTextField(
        _("其他提交方式"),
        features=OUTCOME_FEATURES,
        blank=True,
        help_text=_("可选：信函、电子邮件等其他提交意见的方式。"),
    )
    offline_count = models.PositiveIntegerField(
        _("其他渠道收到的意见（条）"),
        default=0,
        help_text=_("通过信函、电子邮件、座谈会等收到的意见条数，计入收到意见总数。"),
    )
    outcome_summary = RichTextField(
        _("采纳情况概述"),
        features=OUTCOME_FEATURES,
        blank=True,
        help_text=_("征集结束后填写：意见的总体情况和处理结果。填写后在页面上公开“采纳情况”。"),
    )
    adopted = RichTextField(_("采纳的意见"), features=OUTCOME_FEATURES, blank=True)
    not_adopted = RichTextField(_("未采纳的意见及理由"), features=OUTCOME_FEATURES, blank=True)
    outcome_date = models.DateField(_("反馈日期"), null=True, blank=True)

    parent_page_types = ["participation.ConsultationIndexPage"]
    subpage_types = []
    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        FieldRowPanel([FieldPanel("opens_at"), FieldPanel("closes_at")]),
        FieldPanel("department"),
        FieldPanel("body"),
        InlinePanel("documents", label=_("征求意见稿及说明文件"), heading=_("征求意见稿及说明文件")),
        FieldPanel("how_to_comment"),
        MultiFieldPanel(
            [
                FieldPanel("outcome_summary"),
                FieldPanel("adopted"),
                FieldPanel("not_adopted"),
                FieldRowPanel([FieldPanel("offline_count"), FieldPanel("outcome_date")]),
            ],
            heading=_("采纳情况（征集结束后填写）"),
        ),
    ]
    search_fields = segmented(Page.search_fields + [index.SearchField("summary", boost=1.5), index.SearchField("body")])

    class Meta:
        verbose_name = _("意见征集")
        verbose_name_plural = _("意见征集")

    def get_meta_description(self) -> str:
        return self.search_description or self.summary

    @property
    def has_outcome(self) -> bool:
        return bool(self.outcome_summary or self.adopted or self.not_adopted)

    def get_sitemap_urls(self, request=None):
        return super().get_sitemap_urls(request)  # comment/ is a form: not listed

    @path("")
    def index_route(self, request):
        return views.consultation(request, self)

    @path("comment/")
    def comment_route(self, request):
        return views.CommentView.serve(request, self)

    @path("comment/sent/")
    def comment_sent_route(self, request):
        return views.comment_sent(request, self)


class ConsultationDocument(TranslatableInline):
    page = ParentalKey(ConsultationPage, related_name="documents", on_delete=models.CASCADE)
    document = models.ForeignKey(
        "portal.PortalDocument", verbose_name=_("文档"), on_delete=models.CASCADE, related_name="+"
    )
    title = models.CharField(_("显示名称"), max_length=200, blank=True, help_text=_("留空则用文档标题。"))

    panels = [FieldPanel("document"), FieldPanel("title")]


class Comment(models.Model):
    """A comment on a consultation. Held (``pending``) until staff approve it; the name and
    contact are for staff only and never shown on a public page."""

    class Moderation(models.TextChoices):
        PENDING = "pending", _("待审核")
        APPROVED = "approved", _("已公开")
        REJECTED = "rejected", _("不予公开")

    page = models.ForeignKey(
        ConsultationPage, verbose_name=_("意见征集"), on_delete=models.CASCADE, related_name="comments"
    )
    name = models.CharField(_("姓名或单位"), max_length=50, blank=True)
    contact = models.CharField(_("联系方式"), max_length=100, blank=True)
    content = models.TextField(_("意见内容"))
    status = models.CharField(
        _("审核状态"), max_length=10, choices=Moderation.choices, default=Moderation.PENDING, db_index=True
    )
    created_at = models.DateTimeField(_("提交时间"), default=timezone.now, db_index=True)
    moderated_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审核人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("征集意见")
        verbose_name_plural = _("征集意见")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["page", "status", "created_at"])]

    def __str__(self) -> str:
        return self.content[:30]


# ---- surveys --------------------------------------------------------------------------
class QuestionBlock(blocks.StructBlock):
    question = blocks.CharBlock(label=_("题目"), max_length=200)
    required = blocks.BooleanBlock(label=_("必答"), required=False, default=True)
    help_text = blocks.CharBlock(label=_("说明"), max_length=200, required=False)


class ChoiceQuestionBlock(QuestionBlock):
    options = blocks.ListBlock(blocks.CharBlock(label=_("选项"), max_length=100), label=_("选项"), min_num=2)


class RatingQuestionBlock(QuestionBlock):
    low_label = blocks.CharBlock(label=_("1 分的含义"), max_length=20, default="很不满意")
    high_label = blocks.CharBlock(label=_("5 分的含义"), max_length=20, default="非常满意")


class QuestionsBlock(blocks.StreamBlock):
    single = ChoiceQuestionBlock(label=_("单选题"), icon="radio-full")
    multiple = ChoiceQuestionBlock(label=_("多选题"), icon="tick-inverse")
    rating = RatingQuestionBlock(label=_("评分题（1–5 分）"), icon="pick")
    text = QuestionBlock(label=_("填空题（文字，不公开）"), icon="edit")

    class Meta:
        min_num = 1


RATING_CHOICES = ["1", "2", "3", "4", "5"]


class SurveyIndexPage(PortalPage):
    """网上调查: open surveys first, then upcoming, then closed ones and their results."""

    intro = models.TextField(_("导语"), blank=True)

    parent_page_types = ["home.HomePage", "home.ColumnPage", "correspondence.MailboxIndexPage"]
    subpage_types = ["participation.SurveyPage"]
    content_panels = Page.content_panels + [FieldPanel("intro")]

    class Meta:
        verbose_name = _("网上调查栏目")
        verbose_name_plural = _("网上调查栏目")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["sections"] = queries.survey_sections(self, request)
        return context


class SurveyPage(RoutablePageMixin, PeriodMixin, PortalPage):
    """A questionnaire. Results are public at ``results/`` once it has closed, and only if
    ``results_public`` is ticked; free-text answers never are."""

    is_publication = True

    opens_at = opens_at_field()
    closes_at = closes_at_field()
    status_labels = {Status.OPEN: _("进行中")}

    intro = models.TextField(_("调查说明"), help_text=_("调查的目的、对象、用时和个人信息保护说明。"))
    department = models.CharField(_("调查单位"), max_length=100, blank=True)
    questions = StreamField(QuestionsBlock(), verbose_name=_("调查问题"), use_json_field=True)
    results_public = models.BooleanField(
        _("公开调查结果"),
        default=True,
        help_text=_("勾选后，调查结束时在网站上公布选择题和评分题的统计结果；文字回答任何时候都不公开。"),
    )

    parent_page_types = ["participation.SurveyIndexPage"]
    subpage_types = []
    content_panels = Page.content_panels + [
        FieldPanel("intro"),
        FieldRowPanel([FieldPanel("opens_at"), FieldPanel("closes_at")]),
        FieldPanel("department"),
        FieldPanel("questions"),
        FieldPanel("results_public"),
    ]
    search_fields = segmented(Page.search_fields + [index.SearchField("intro")])

    class Meta:
        verbose_name = _("网上调查")
        verbose_name_plural = _("网上调查")

    def get_meta_description(self) -> str:
        return self.search_description or self.intro

    @property
    def results_visible(self) -> bool:
        return self.results_public and self.status() == Status.CLOSED

    def get_sitemap_urls(self, request=None):
        urls = super().get_sitemap_urls(request)
        if self.results_visible:
            urls.append({"location": urls[0]["location"] + "results/"})
        return urls

    @path("")
    def index_route(self, request):
        return views.SurveyView.serve(request, self)

    @path("sent/")
    def sent_route(self, request):
        return views.survey_sent(request, self)

    @path("results/")
    def results_route(self, request):
        return views.survey_results(request, self)


class SurveyResponse(models.Model):
    """One browser's answers to a survey (no personal data is asked or kept)."""

    page = models.ForeignKey(SurveyPage, verbose_name=_("网上调查"), on_delete=models.CASCADE, related_name="responses")
    created_at = models.DateTimeField(_("提交时间"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("调查答卷")
        verbose_name_plural = _("调查答卷")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.page_id} {self.created_at:%Y-%m-%d %H:%M}"


class SurveyAnswer(models.Model):
    """One answer: ``question`` is the question block's id; a choice (one row per ticked
    option of a multiple-choice question, the score of a rating) or the text."""

    response = models.ForeignKey(SurveyResponse, on_delete=models.CASCADE, related_name="answers")
    question = models.CharField(max_length=64)
    choice = models.CharField(max_length=100, blank=True)
    text = models.TextField(blank=True)

    class Meta:
        indexes = [models.Index(fields=["question", "choice"])]

    def __str__(self) -> str:
        return f"{self.question}: {self.choice or self.text[:20]}"


# Routes and contexts above call the queries and views, which import the models above.
from . import queries, views  # noqa: E402
