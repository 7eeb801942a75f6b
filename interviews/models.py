"""Online interviews (在线访谈): scheduled, live and archived.

Pages: ``InterviewIndexPage`` (live now, upcoming, archive by year) and ``InterviewPage``
(topic, schedule, guests, media, related policies; routes ``ask/`` and ``ask/sent/`` for the
public's questions). The live part is plain models, changed only through ``services.py``:

- ``InterviewState``: the host's controls (started, ended, pinned entry) and a ``revision``
  counter bumped by every change, which the polling endpoint uses as its ETag.
  Kept out of the page so that publishing a page revision never rewinds the live state.
- ``Question``: what the public submitted; held until the host approves it.
- ``Entry``: the public transcript (host text, guest remarks, approved questions and their
  answers). Only entries are ever shown publicly, so a question that was not approved
  cannot appear in any response.
- ``GuestInvitation``: a guest's personal, expiring, revocable link to one interview.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel, PageChooserPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.models import Orderable, Page, TranslatableMixin
from wagtail.search import index

from portal.models import TranslatableInline
from portal.pages import PortalPage, parent_title
from portal.workdays import WorkCalendar
from search.index import segmented

MIN_MINUTES, MAX_MINUTES = 60, 120  # an interview runs 60 to 120 minutes
WRITTEN_REPLY_WORKDAYS = 5  # questions not answered live get a written reply within 5 working days


class Status(models.TextChoices):
    UPCOMING = "upcoming", _("预告")
    LIVE = "live", _("直播中")
    ENDED = "ended", _("已结束")


class Guest(TranslatableMixin, index.Indexed, models.Model):
    """An interview guest (嘉宾): usually an official of the bureau."""

    name = models.CharField(_("姓名"), max_length=50)
    title = models.CharField(_("职务"), max_length=100)
    organisation = models.CharField(_("单位"), max_length=100)
    photo = models.ForeignKey(
        "portal.PortalImage", verbose_name=_("照片"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    photo_alt = models.CharField(
        _("照片替代文字"), max_length=200, blank=True, help_text=_("有照片时必填，例如：王立恒在访谈现场。")
    )
    bio = models.TextField(_("简介"), blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("嘉宾账号"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="interview_guests",
        help_text=_("可选：有后台账号（访谈嘉宾组）的嘉宾登录后即可进入其访谈的嘉宾页面，无需链接。"),
    )

    panels = [
        FieldRowPanel([FieldPanel("name"), FieldPanel("title")]),
        FieldPanel("organisation"),
        FieldRowPanel([FieldPanel("photo"), FieldPanel("photo_alt")]),
        FieldPanel("bio"),
        FieldPanel("user"),
    ]
    search_fields = segmented(
        [index.SearchField("name"), index.SearchField("organisation"), index.AutocompleteField("name")]
    )

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("访谈嘉宾")
        verbose_name_plural = _("访谈嘉宾")
        ordering = ["name"]

    def __str__(self):
        return f"{self.name}（{self.title}）"

    def clean(self):
        if self.photo_id and not self.photo_alt.strip():
            raise ValidationError({"photo_alt": _("有照片时请填写替代文字，供读屏软件朗读。")})


class InterviewIndexPage(PortalPage):
    """在线访谈: what is live now, what is coming, and the archive by year."""

    intro = models.TextField(_("导语"), blank=True)

    parent_page_types = ["home.HomePage", "home.ColumnPage"]
    subpage_types = ["interviews.InterviewPage"]
    content_panels = Page.content_panels + [FieldPanel("intro")]

    class Meta:
        verbose_name = _("访谈栏目")
        verbose_name_plural = _("访谈栏目")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(queries.index_sections(self, request.GET.get("year", "")))
        return context


class InterviewPage(RoutablePageMixin, PortalPage):
    """One interview: announced ahead with topic and guests, live, then its archive."""

    is_publication = True

    summary = models.TextField(_("访谈简介"), help_text=_("预告时介绍主题与嘉宾，结束后概述访谈内容。"))
    scheduled_start = models.DateTimeField(_("计划开始时间"), db_index=True)
    scheduled_end = models.DateTimeField(_("计划结束时间"))
    host = models.CharField(_("主持人"), max_length=50)
    host_title = models.CharField(_("主持人单位或职务"), max_length=100, blank=True)
    cover = models.ForeignKey(
        "portal.PortalImage",
        verbose_name=_("封面图片"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    cover_alt = models.CharField(
        _("封面替代文字"),
        max_length=400,
        blank=True,
        help_text=_("描述图片内容，供读屏软件朗读；随页面翻译。留空则用图片的“描述”。"),
    )
    video = models.ForeignKey(
        "portal.PortalDocument",
        verbose_name=_("视频文件"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("访谈录像（MP4）；文字实录即其文字稿。"),
    )
    video_url = models.URLField(_("视频链接"), blank=True, help_text=_("或填写视频网站的播放地址（嵌入播放）。"))

    parent_page_types = ["interviews.InterviewIndexPage"]
    subpage_types = []

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("scheduled_start"), FieldPanel("scheduled_end")]),
                FieldRowPanel([FieldPanel("host"), FieldPanel("host_title")]),
            ],
            heading=_("时间与主持"),
            help_text=_("访谈应提前 3 至 7 天发布预告，时长 60 至 120 分钟。"),
        ),
        InlinePanel("guest_links", label=_("嘉宾"), heading=_("嘉宾"), min_num=1),
        MultiFieldPanel(
            [FieldPanel("cover"), FieldPanel("cover_alt"), FieldPanel("video"), FieldPanel("video_url")],
            heading=_("图片与视频"),
        ),
        InlinePanel("images", label=_("访谈图片"), heading=_("访谈图片")),
        InlinePanel("policy_links", label=_("相关政策与解读"), heading=_("相关政策与解读")),
    ]
    search_fields = segmented(
        Page.search_fields + [index.SearchField("summary", boost=1.5), index.FilterField("scheduled_start")]
    )

    class Meta:
        verbose_name = _("在线访谈")
        verbose_name_plural = _("在线访谈")

    def clean(self):
        super().clean()
        if self.scheduled_start and self.scheduled_end:
            minutes = (self.scheduled_end - self.scheduled_start).total_seconds() / 60
            if not MIN_MINUTES <= minutes <= MAX_MINUTES:
                raise ValidationError(
                    {
                        "scheduled_end": _("访谈时长应为 %(low)d 至 %(high)d 分钟。")
                        % {"low": MIN_MINUTES, "high": MAX_MINUTES}
                    }
                )

    # ---- state -----------------------------------------------------------------------
    @property
    def live_state(self) -> InterviewState:
        """The host's controls; an unsaved blank state until the host first acts."""
        try:
            return self.state
        except InterviewState.DoesNotExist:
            return InterviewState(page=self)

    def status(self, now=None) -> str:
        """预告 until the host starts it (or its scheduled end passes unstarted), 直播中 while
        started, 已结束 once the host ends it."""
        state = self.live_state
        if state.ended_at:
            return Status.ENDED
        if state.started_at:
            return Status.LIVE
        return Status.ENDED if (now or timezone.now()) >= self.scheduled_end else Status.UPCOMING

    def status_label(self) -> str:
        return Status(self.status()).label

    def accepts_questions(self) -> bool:
        return self.status() != Status.ENDED

    @property
    def written_reply_due(self):
        ended = self.live_state.ended_at or self.scheduled_end
        return WorkCalendar.load().add_workdays(timezone.localtime(ended).date(), WRITTEN_REPLY_WORKDAYS)

    # ---- metadata --------------------------------------------------------------------
    def get_meta_description(self) -> str:
        return self.search_description or self.summary

    def get_page_meta(self) -> dict[str, str]:
        meta = {
            "ColumnName": parent_title(self),
            "ColumnType": str(_("在线访谈")),
            "ArticleTitle": self.title,
            "PubDate": timezone.localtime(self.scheduled_start).strftime("%Y-%m-%d %H:%M"),
        }
        meta.update(super().get_page_meta())
        return meta

    def get_sitemap_urls(self, request=None):
        urls = super().get_sitemap_urls(request)
        if urls and self.accepts_questions():
            urls.append({"location": urls[0]["location"] + "ask/"})
        return urls

    # ---- routes (views.py) -----------------------------------------------------------
    @path("")
    def interview_route(self, request):
        return views.interview(request, self)

    @path("ask/")
    def ask_route(self, request):
        return views.QuestionView.serve(request, self)

    @path("ask/sent/")
    def ask_sent_route(self, request):
        return views.ask_sent(request, self)


class InterviewGuest(TranslatableInline):
    page = ParentalKey(InterviewPage, related_name="guest_links", on_delete=models.CASCADE)
    guest = models.ForeignKey(Guest, verbose_name=_("嘉宾"), on_delete=models.PROTECT, related_name="interview_links")

    panels = [FieldPanel("guest")]


class InterviewImage(TranslatableInline):
    page = ParentalKey(InterviewPage, related_name="images", on_delete=models.CASCADE)
    image = models.ForeignKey("portal.PortalImage", verbose_name=_("图片"), on_delete=models.CASCADE, related_name="+")
    alt = models.CharField(_("替代文字"), max_length=400, blank=True, help_text=_("随页面翻译；留空则用图片的“描述”。"))
    caption = models.CharField(_("图片说明"), max_length=200, blank=True)

    panels = [FieldPanel("image"), FieldPanel("alt"), FieldPanel("caption")]


class InterviewPolicy(Orderable):
    """A policy or interpretation the interview is about; the policy page links back."""

    page = ParentalKey(InterviewPage, related_name="policy_links", on_delete=models.CASCADE)
    policy = models.ForeignKey(
        "wagtailcore.Page", verbose_name=_("政策文件或解读"), on_delete=models.CASCADE, related_name="interview_links"
    )

    panels = [PageChooserPanel("policy", page_type=["home.PolicyDocumentPage", "home.PolicyInterpretationPage"])]


class InterviewState(models.Model):
    page = models.OneToOneField(InterviewPage, primary_key=True, on_delete=models.CASCADE, related_name="state")
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    ended_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    pinned = models.ForeignKey(
        "interviews.Entry", verbose_name=_("置顶"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revision = models.PositiveIntegerField(_("版本"), default=0)

    class Meta:
        verbose_name = _("访谈直播状态")
        verbose_name_plural = _("访谈直播状态")

    def __str__(self):
        return f"{self.page_id}@{self.revision}"


class Question(models.Model):
    class Moderation(models.TextChoices):
        PENDING = "pending", _("待审核")
        APPROVED = "approved", _("已通过")
        REJECTED = "rejected", _("未通过")

    interview = models.ForeignKey(InterviewPage, on_delete=models.CASCADE, related_name="questions")
    name = models.CharField(_("网名"), max_length=20, blank=True)
    content = models.TextField(_("问题"))
    moderation = models.CharField(
        _("审核"), max_length=10, choices=Moderation.choices, default=Moderation.PENDING, db_index=True
    )
    guest = models.ForeignKey(
        Guest, verbose_name=_("请回答的嘉宾"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(_("提问时间"), default=timezone.now)
    moderated_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("网友提问")
        verbose_name_plural = _("网友提问")
        ordering = ["submitted_at", "pk"]
        permissions = [("host_interview", _("主持在线访谈"))]

    def __str__(self):
        return self.content[:30]

    @property
    def display_name(self) -> str:
        return self.name or str(_("网友"))


class Entry(models.Model):
    """One item of the public transcript, in order of posting (``pk``). Answers hang
    under their question's entry (``parent``)."""

    class Kind(models.TextChoices):
        HOST = "host", _("主持人")
        GUEST = "guest", _("嘉宾")
        QUESTION = "question", _("网友提问")
        ANSWER = "answer", _("回答")

    interview = models.ForeignKey(InterviewPage, on_delete=models.CASCADE, related_name="entries")
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="answers", verbose_name=_("所答问题")
    )
    question = models.OneToOneField(
        Question, null=True, blank=True, on_delete=models.CASCADE, related_name="entry", verbose_name=_("网友提问")
    )
    guest = models.ForeignKey(Guest, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    speaker = models.CharField(_("发言人"), max_length=100)
    text = models.TextField(_("内容"), blank=True)
    image = models.ForeignKey(
        "portal.PortalImage", verbose_name=_("图片"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    image_alt = models.CharField(_("图片替代文字"), max_length=200, blank=True)
    written = models.BooleanField(_("会后书面答复"), default=False)
    hidden = models.BooleanField(_("已撤下"), default=False)
    posted_at = models.DateTimeField(_("发布时间"), default=timezone.now)
    edited_at = models.DateTimeField(_("修改时间"), null=True, blank=True)
    revision = models.PositiveIntegerField(_("版本"), default=0, db_index=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("实录条目")
        verbose_name_plural = _("实录条目")
        ordering = ["pk"]
        indexes = [models.Index(fields=["interview", "revision"])]

    def __str__(self):
        return f"{self.speaker}：{self.text[:30]}"


class GuestInvitation(models.Model):
    """A guest's personal link to one interview. The link carries a signed token naming
    this invitation and its nonce; it stops working when it expires or is revoked."""

    interview = models.ForeignKey(InterviewPage, on_delete=models.CASCADE, related_name="invitations")
    guest = models.ForeignKey(Guest, verbose_name=_("嘉宾"), on_delete=models.CASCADE, related_name="invitations")
    nonce = models.CharField(max_length=64)
    expires_at = models.DateTimeField(_("有效期至"))
    revoked_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("嘉宾链接")
        verbose_name_plural = _("嘉宾链接")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.guest} → {self.interview_id}"

    def is_valid(self, now=None) -> bool:
        return self.revoked_at is None and (now or timezone.now()) < self.expires_at

    @staticmethod
    def default_expiry(interview: InterviewPage):
        return interview.scheduled_end + timedelta(hours=12)


# Contexts and routes above call the queries and views, which import the models above.
from . import queries, views  # noqa: E402
