"""Public mailboxes (信箱) and the letters they receive.

Pages: ``MailboxIndexPage`` (互动交流: the site's mailboxes and their statistics) and
``MailboxPage`` (one mailbox: rules, letter form, published letters, lookup, statistics;
its sub-URLs are routes, see ``views.py``). Letters are plain models, handled by staff in
the Wagtail admin (``admin_views.py``); every change goes through ``services.py``, which
writes the letter's timeline (``LetterEvent``).
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Page

from portal import (
    converters,  # noqa: F401 - registers <id:…> (portal/converters.py)
    storage,
)
from portal.models import TranslatableInline
from portal.pages import PortalPage


class MailboxKind(models.TextChoices):
    DIRECTOR = "director", _("局长信箱")
    CONSULTATION = "consultation", _("咨询")
    COMPLAINT = "complaint", _("投诉")
    REPORT = "report", _("举报")
    SITE_ERROR = "site_error", _("网站找错")
    DISCLOSURE = "disclosure", _("依申请公开")


# (working days to reply, working days one extension may add) when a mailbox leaves them blank.
DEFAULT_DEADLINES = {
    MailboxKind.SITE_ERROR: (3, 0),
    MailboxKind.DISCLOSURE: (20, 20),
}
LETTER_DEADLINE = (7, 8)


class MailboxIndexPage(RoutablePageMixin, PortalPage):
    """互动交流: lists the site's mailboxes; ``statistics/`` shows the whole site's figures."""

    intro = models.TextField(_("导语"), blank=True)

    parent_page_types = ["home.HomePage", "home.ColumnPage"]
    # No subpage_types: mailboxes and any other type that names 互动交流 (意见征集, 网上调查 …).
    content_panels = Page.content_panels + [FieldPanel("intro")]

    class Meta:
        verbose_name = _("信箱栏目")
        verbose_name_plural = _("信箱栏目")

    def mailboxes(self, request):
        return queries.live_mailboxes(self, request)

    def get_sitemap_urls(self, request=None):
        urls = super().get_sitemap_urls(request)
        return urls + [{"location": urls[0]["location"] + "statistics/"}]

    @path("")
    def index_route(self, request):
        return views.mailbox_index(request, self)

    @path("statistics/")
    def statistics_route(self, request):
        return views.statistics(request, self, mailboxes=self.mailboxes(request))


class MailboxPage(RoutablePageMixin, PortalPage):
    """One mailbox: what it handles, its deadline, the letter form and what was answered."""

    kind = models.CharField(_("信箱类型"), max_length=20, choices=MailboxKind.choices, default=MailboxKind.DIRECTOR)
    intro = models.TextField(_("简介"), blank=True)
    rules = RichTextField(
        _("受理须知"),
        features=["bold", "ol", "ul", "link"],
        help_text=_("受理范围、不予受理的情形、答复期限、查询方式与个人信息保护。"),
    )
    deadline_days = models.PositiveSmallIntegerField(
        _("答复期限（工作日）"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
        help_text=_("留空使用默认：一般信件 7 个工作日，网站找错 3 个，依申请公开 20 个。"),
    )
    extension_days = models.PositiveSmallIntegerField(
        _("可延长（工作日）"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(60)],
        help_text=_("可延期一次的天数；留空使用默认：一般信件 8 个（共 15 个），依申请公开 20 个，网站找错不延期。"),
    )
    department = models.ForeignKey(
        "correspondence.LetterDepartment",
        verbose_name=_("默认承办部门"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("新来信先交由该部门；到期提醒发送到部门邮箱。"),
    )
    accepts_attachments = models.BooleanField(_("允许上传附件"), default=True)
    signoff_required = models.BooleanField(
        _("答复需签批"),
        default=False,
        help_text=_("开启后，承办人提交的答复经签批人签批通过才发送给来信人。"),
    )
    signoff_group = models.ForeignKey(
        "auth.Group",
        verbose_name=_("签批人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("该用户组中可管理本站页面的成员签批答复；起草人不能签批自己起草的答复。"),
    )

    parent_page_types = ["correspondence.MailboxIndexPage"]
    subpage_types = []
    content_panels = Page.content_panels + [
        FieldPanel("kind"),
        FieldPanel("intro"),
        FieldPanel("rules"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("deadline_days"), FieldPanel("extension_days")]),
                FieldPanel("department"),
                FieldPanel("accepts_attachments"),
                FieldRowPanel([FieldPanel("signoff_required"), FieldPanel("signoff_group")]),
            ],
            heading=_("办理"),
        ),
        InlinePanel("categories", label=_("来信类别"), heading=_("来信类别"), min_num=1),
    ]

    class Meta:
        verbose_name = _("信箱")
        verbose_name_plural = _("信箱")

    def clean(self):
        super().clean()
        if self.signoff_required and not self.signoff_group_id:
            raise ValidationError({"signoff_group": _("答复需签批时，请选择签批人。")})

    @property
    def reply_days(self) -> int:
        return self.deadline_days or DEFAULT_DEADLINES.get(self.kind, LETTER_DEADLINE)[0]

    @property
    def extra_days(self) -> int:
        if self.extension_days is not None:
            return self.extension_days
        return DEFAULT_DEADLINES.get(self.kind, LETTER_DEADLINE)[1]

    @cached_property
    def category_names(self) -> list[str]:
        return [category.name for category in self.categories.all()]

    def get_sitemap_urls(self, request=None):
        """The mailbox, its published letters and its statistics (the lookup and the
        confirmation are private and stay out)."""
        urls = super().get_sitemap_urls(request)
        base = urls[0]["location"]
        urls += [{"location": base + "letters/"}, {"location": base + "statistics/"}]
        for letter_id, published_at in self.letters.filter(is_published=True).values_list("pk", "published_at"):
            urls.append({"location": f"{base}letters/{letter_id}/", "lastmod": published_at})
        return urls

    @path("")
    def index_route(self, request):
        return views.LetterView.serve(request, self)

    @path("sent/")
    def sent_route(self, request):
        return views.sent(request, self)

    @path("letters/")
    def letters_route(self, request):
        return views.published_letters(request, self)

    @path("letters/<id:letter_id>/")
    def letter_route(self, request, letter_id):
        return views.published_letter(request, self, int(letter_id))

    @path("lookup/")
    def lookup_route(self, request):
        return views.LookupView.serve(request, self)

    @path("statistics/")
    def statistics_route(self, request):
        return views.statistics(request, self, mailboxes=[self])


class MailboxCategory(TranslatableInline):
    page = ParentalKey(MailboxPage, related_name="categories", on_delete=models.CASCADE)
    name = models.CharField(_("类别名称"), max_length=30)

    panels = [FieldPanel("name")]

    def __str__(self) -> str:
        return self.name


class LetterDepartment(models.Model):
    """承办部门: a unit of one site that letters are assigned to."""

    site = models.ForeignKey("wagtailcore.Site", verbose_name=_("站点"), on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("部门名称"), max_length=50)
    email = models.EmailField(_("部门邮箱"), blank=True, help_text=_("接收新来信与到期提醒。"))

    shown_on_pages = False  # staff see it, in 来信办理; no public page does: saving one purges nothing

    panels = [FieldPanel("site"), FieldPanel("name"), FieldPanel("email")]

    class Meta:
        verbose_name = _("承办部门")
        verbose_name_plural = _("承办部门")
        ordering = ["site", "name"]
        constraints = [models.UniqueConstraint(fields=["site", "name"], name="unique_department_per_site")]

    def __str__(self) -> str:
        return self.name


class Letter(models.Model):
    """A letter from the public. Personal data (name, phone, email, attachments) is never
    shown on a public page; ``public_name`` is the masked form."""

    class Status(models.TextChoices):
        RECEIVED = "received", _("待办理")
        ASSIGNED = "assigned", _("办理中")
        EXTENDED = "extended", _("已延期")
        REPLIED = "replied", _("已答复")
        NOT_HANDLED = "not_handled", _("不予受理")

    class Signoff(models.TextChoices):
        """Where a reply stands in its mailbox's sign-off (blank: no reply waiting or returned)."""

        PENDING = "pending", _("待签批")
        RETURNED = "returned", _("退回修改")

    OPEN_STATUSES = (Status.RECEIVED, Status.ASSIGNED, Status.EXTENDED)
    ANSWERED_STATUSES = (Status.REPLIED, Status.NOT_HANDLED)

    mailbox = models.ForeignKey(MailboxPage, verbose_name=_("信箱"), on_delete=models.PROTECT, related_name="letters")
    site = models.ForeignKey("wagtailcore.Site", verbose_name=_("站点"), on_delete=models.PROTECT, related_name="+")
    code = models.CharField(_("查询码"), max_length=20, unique=True)
    password_hash = models.CharField(max_length=128)
    language = models.CharField(_("语言"), max_length=10, default="zh-hans")

    name = models.CharField(_("姓名"), max_length=50, db_index=True)  # looked up by every search (search.personal)
    phone = models.CharField(_("电话"), max_length=20, blank=True)
    email = models.EmailField(_("电子邮箱"), blank=True)
    subject = models.CharField(_("标题"), max_length=100)
    category = models.CharField(_("类别"), max_length=30)
    content = models.TextField(_("内容"))
    consent_publish = models.BooleanField(_("同意公开"), default=False)

    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.RECEIVED)
    received_at = models.DateTimeField(_("收信时间"), default=timezone.now, db_index=True)
    due_date = models.DateField(_("答复期限"))
    extended = models.BooleanField(_("已延期"), default=False)
    department = models.ForeignKey(
        LetterDepartment, verbose_name=_("承办部门"), null=True, blank=True, on_delete=models.SET_NULL
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("承办人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reply = models.TextField(_("答复"), blank=True)
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    is_published = models.BooleanField(_("已公开"), default=False)
    published_at = models.DateTimeField(_("公开时间"), null=True, blank=True)
    # Sign-off (签批): the reply waiting for it or sent back stays here, never in ``reply``,
    # which the writer sees.
    signoff = models.CharField(_("签批"), max_length=10, choices=Signoff.choices, blank=True, default="")
    draft_reply = models.TextField(_("答复草稿"), blank=True)
    draft_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("起草人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("来信")
        verbose_name_plural = _("来信")
        ordering = ["-received_at"]
        permissions = [("handle_letter", _("办理来信（分办、答复、延期、公开）"))]
        indexes = [
            models.Index(fields=["mailbox", "is_published", "received_at"]),
            models.Index(fields=["status", "due_date"]),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.subject}"

    @property
    def public_name(self) -> str:
        """``王**``: the first character and two stars, whatever the name's length."""
        name = self.name.strip()
        return f"{name[:1]}**" if name else ""

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    @property
    def awaiting_signoff(self) -> bool:
        return self.signoff == self.Signoff.PENDING

    def is_overdue(self, today=None) -> bool:
        today = today or timezone.localdate()
        return self.is_open and self.due_date < today

    @property
    def status_label(self) -> str:
        label = self.get_status_display()
        return f"{label}（{_('已超期')}）" if self.is_overdue() else label


def private_storage():
    """Letter attachments: ``STORAGES["private"]`` (a directory outside MEDIA_ROOT unless
    configured otherwise), no public URL; staff download through the admin. Named by the
    migrations, so the storage can change without one (portal/storage.py)."""
    return storage.private_storage


class LetterAttachment(models.Model):
    letter = models.ForeignKey(Letter, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(storage=private_storage, upload_to="letters/%Y/%m/")
    original_name = models.CharField(_("文件名"), max_length=200)
    content_type = models.CharField(max_length=50)
    size = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("来信附件")
        verbose_name_plural = _("来信附件")

    def __str__(self) -> str:
        return self.original_name


class LetterEvent(models.Model):
    """One step in a letter's timeline: who did what, when. ``public`` steps are shown to
    the writer in the lookup (without the staff member's name)."""

    class Action(models.TextChoices):
        RECEIVED = "received", _("收到来信")
        ASSIGNED = "assigned", _("分办")
        EXTENDED = "extended", _("延期答复")
        REPLIED = "replied", _("答复")
        NOT_HANDLED = "not_handled", _("不予受理并说明理由")
        PUBLISHED = "published", _("公开")
        UNPUBLISHED = "unpublished", _("撤销公开")
        SIGNOFF_SUBMITTED = "signoff_submitted", _("提交签批")
        SIGNOFF_APPROVED = "signoff_approved", _("签批通过")
        SIGNOFF_RETURNED = "signoff_returned", _("退回修改")
        MAILED = "mailed", _("邮件通知")
        MAIL_FAILED = "mail_failed", _("邮件发送失败")

    # Sign-off steps are never public: the writer sees the reply when it is sent, not who approved it.
    PUBLIC_ACTIONS = (Action.RECEIVED, Action.ASSIGNED, Action.EXTENDED, Action.REPLIED, Action.NOT_HANDLED)

    letter = models.ForeignKey(Letter, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("操作"), max_length=20, choices=Action.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.TextField(_("说明"), blank=True)
    created_at = models.DateTimeField(_("时间"), default=timezone.now)

    class Meta:
        verbose_name = _("办理记录")
        verbose_name_plural = _("办理记录")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def public(self) -> bool:
        return self.action in self.PUBLIC_ACTIONS


class LetterReminder(models.Model):
    """A reminder e-mail sent about a letter; one per letter, kind and day, so the cron
    command can run twice without mailing twice. ``signoff`` reminds the approvers, the
    others the handlers."""

    class Kind(models.TextChoices):
        DUE_SOON = "due_soon", _("即将到期")
        OVERDUE = "overdue", _("已超期")
        SIGNOFF = "signoff", _("待签批")

    letter = models.ForeignKey(Letter, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    sent_on = models.DateField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["letter", "kind", "sent_on"], name="one_reminder_a_day")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.sent_on:%Y-%m-%d}"


# Routes and contexts above call the queries and views, which import the models above.
from . import queries, views  # noqa: E402
