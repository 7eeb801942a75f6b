"""依申请公开: the application page (``ApplicationPage``: the public form, the lookup, the
告知书 download) and the applications it receives, with their timeline, attachments,
reminders and 行政复议/行政诉讼 records.

An application's clock (``clock.py``) follows the 条例: 20 working days from receipt (第三十三
条), one extension of 20 with a reason told to the applicant, restarted from the day a
clarification (补正, 第三十条) arrives, and the third party's time (征求第三方意见, 第三十二条,
up to 15 working days) not counted. Every change goes through ``services.py``, which
writes the timeline and recomputes ``due_date``; public reads are in ``queries.py``.
Applicants' identity numbers, contacts and attachments are never shown on a public page.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Page

from portal import (
    converters,  # noqa: F401 - registers <id:…> (portal/converters.py)
    storage,
)
from portal.pages import PortalPage

from .outcomes import Outcome, Reason


class ApplicationPage(RoutablePageMixin, PortalPage):
    """政府信息公开申请: what may be asked and how it is handled, the application form,
    the lookup by 查询码 and password, and the 告知书 of a decided application."""

    intro = models.TextField(_("导语"), blank=True)
    rules = RichTextField(
        _("申请须知"),
        features=["bold", "ol", "ul", "link"],
        blank=True,
        help_text=_("申请的方式、需要提供的材料、答复期限、收费与救济途径。"),
    )
    notify_email = models.EmailField(
        _("接收通知的邮箱"),
        blank=True,
        help_text=_("新申请、即将到期和已超期的申请发送提醒到这个邮箱（例如政府信息公开办公室的邮箱）。"),
    )

    is_section = True  # listed by its parent column (政府信息公开) beside the sub-columns
    max_count_per_parent = 1
    parent_page_types = ["home.HomePage", "home.ColumnPage"]
    subpage_types = []
    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("rules"), FieldPanel("notify_email")]

    class Meta:
        verbose_name = _("政府信息公开申请")
        verbose_name_plural = _("政府信息公开申请")

    @path("")
    def index_route(self, request):
        return views.ApplicationView.serve(request, self)

    @path("sent/")
    def sent_route(self, request):
        return views.sent(request, self)

    @path("lookup/")
    def lookup_route(self, request):
        return views.LookupView.serve(request, self)

    @path("lookup/clarify/")
    def clarify_route(self, request):
        return views.ClarifyView.serve(request, self)

    @path("lookup/notice/")
    def notice_route(self, request):
        return views.notice(request, self)


class ApplicantType(models.TextChoices):
    """The columns of the annual report's table 三: 自然人 and the five kinds of 法人或其他组织."""

    PERSON = "person", _("自然人")
    COMMERCIAL = "commercial", _("商业企业")
    RESEARCH = "research", _("科研机构")
    NONPROFIT = "nonprofit", _("社会公益组织")
    LEGAL_SERVICE = "legal_service", _("法律服务机构")
    OTHER_ORG = "other_org", _("其他")


class IdType(models.TextChoices):
    ID_CARD = "id_card", _("居民身份证")
    PASSPORT = "passport", _("护照")
    HK_MACAO = "hk_macao", _("港澳居民来往内地通行证")
    TAIWAN = "taiwan", _("台湾居民来往大陆通行证")
    RESIDENCE = "residence", _("外国人永久居留身份证")
    CREDIT_CODE = "credit_code", _("统一社会信用代码")
    OTHER = "other", _("其他证件")


class Delivery(models.TextChoices):
    """获取信息的方式 (和提供形式)."""

    POST = "post", _("纸质文本，邮寄")
    COLLECT = "collect", _("纸质文本，自行领取")
    EMAIL = "email", _("电子邮件")
    DISC = "disc", _("光盘")
    READ = "read", _("当场阅读、抄录")
    ONLINE = "online", _("在线查阅")


class Channel(models.TextChoices):
    ONLINE = "online", _("网上申请")
    IN_PERSON = "in_person", _("当面提交")
    POST = "post", _("信函")
    FAX = "fax", _("传真")


class Application(models.Model):
    class Status(models.TextChoices):
        RECEIVED = "received", _("待登记")
        PROCESSING = "processing", _("办理中")
        CLARIFYING = "clarifying", _("补正中")
        CONSULTING = "consulting", _("征求第三方意见中")
        DECIDED = "decided", _("已答复")

    OPEN_STATUSES = (Status.RECEIVED, Status.PROCESSING, Status.CLARIFYING, Status.CONSULTING)
    # Open with the clock running (补正 stops it): these can be overdue, reminded and answered.
    CLOCK_RUNNING = (Status.RECEIVED, Status.PROCESSING, Status.CONSULTING)

    page = models.ForeignKey(
        ApplicationPage, verbose_name=_("受理页面"), on_delete=models.PROTECT, related_name="applications"
    )
    site = models.ForeignKey("wagtailcore.Site", verbose_name=_("站点"), on_delete=models.PROTECT, related_name="+")
    code = models.CharField(_("查询码"), max_length=20, unique=True)
    password_hash = models.CharField(max_length=128)
    language = models.CharField(_("语言"), max_length=10, default="zh-hans")
    channel = models.CharField(_("申请方式"), max_length=10, choices=Channel.choices, default=Channel.ONLINE)

    applicant_type = models.CharField(_("申请人类型"), max_length=20, choices=ApplicantType.choices)
    name = models.CharField(_("姓名或名称"), max_length=100)
    id_type = models.CharField(_("证件类型"), max_length=20, choices=IdType.choices)
    id_number = models.CharField(_("证件号码"), max_length=40)
    contact_name = models.CharField(_("联系人"), max_length=50, blank=True)
    phone = models.CharField(_("联系电话"), max_length=20)
    email = models.EmailField(_("电子邮箱"), blank=True)
    address = models.CharField(_("通信地址"), max_length=200, blank=True)
    postcode = models.CharField(_("邮政编码"), max_length=6, blank=True)

    info_title = models.CharField(_("所需信息的名称"), max_length=200)
    info_number = models.CharField(_("所需信息的文号"), max_length=100, blank=True)
    info_description = models.TextField(_("所需信息的描述"))
    delivery = models.CharField(_("获取方式"), max_length=10, choices=Delivery.choices)

    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.RECEIVED)
    submitted_at = models.DateTimeField(_("提交时间"), default=timezone.now, db_index=True)
    received_on = models.DateField(_("收到申请日期"))
    clock_start = models.DateField(_("期限起算日"), help_text=_("收到申请之日；补正的，为收到补正之日。"))
    due_date = models.DateField(_("答复期限"))
    extended = models.BooleanField(_("已延期"), default=False)
    paused_workdays = models.PositiveSmallIntegerField(_("不计入期限的工作日"), default=0)
    clarify_requested_on = models.DateField(_("告知补正日期"), null=True, blank=True)
    clarify_deadline = models.DateField(_("补正期限"), null=True, blank=True)
    clarified_on = models.DateField(_("收到补正日期"), null=True, blank=True)
    clarification = models.TextField(_("补正内容"), blank=True)
    consult_started_on = models.DateField(_("征求意见日期"), null=True, blank=True)
    third_party = models.CharField(_("第三方"), max_length=200, blank=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("承办人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    outcome = models.CharField(_("办理结果"), max_length=20, choices=Outcome.choices, blank=True)
    reason = models.CharField(_("理由"), max_length=20, choices=Reason.choices, blank=True)
    decided_on = models.DateField(_("答复日期"), null=True, blank=True)
    decision_text = models.TextField(_("答复内容"), blank=True)

    class Meta:
        verbose_name = _("政府信息公开申请")
        verbose_name_plural = _("政府信息公开申请")
        ordering = ["-received_on", "-pk"]
        permissions = [("handle_application", _("办理政府信息公开申请（登记、补正、征求意见、延期、答复）"))]
        indexes = [
            models.Index(fields=["site", "received_on"], name="inforeq_site_received"),
            models.Index(fields=["status", "due_date"], name="inforeq_status_due"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.info_title}"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    @property
    def is_person(self) -> bool:
        return self.applicant_type == ApplicantType.PERSON

    @property
    def public_name(self) -> str:
        """``王**`` for a person; an organisation's name as given."""
        name = self.name.strip()
        return f"{name[:1]}**" if self.is_person and name else name

    def is_overdue(self, today=None) -> bool:
        today = today or timezone.localdate()
        return self.status in self.CLOCK_RUNNING and self.due_date < today

    @property
    def outcome_label(self) -> str:
        if not self.outcome:
            return ""
        label = self.get_outcome_display()
        return f"{label}（{self.get_reason_display()}）" if self.reason else label


def private_storage():
    """Applicants' attachments are kept like letters' (portal/storage.py): no public URL."""
    return storage.private_storage


class ApplicationAttachment(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(storage=private_storage, upload_to="applications/%Y/%m/")
    original_name = models.CharField(_("文件名"), max_length=200)
    content_type = models.CharField(max_length=50)
    size = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("申请附件")
        verbose_name_plural = _("申请附件")

    def __str__(self) -> str:
        return self.original_name


class ApplicationEvent(models.Model):
    """One step of an application. ``public`` steps are shown to the applicant in the lookup
    (without the staff member's name), with their note where it is addressed to them."""

    class Action(models.TextChoices):
        SUBMITTED = "submitted", _("提交申请")
        REGISTERED = "registered", _("登记受理")
        ASSIGNED = "assigned", _("分办")
        EXTENDED = "extended", _("延长答复期限")
        CLARIFY_REQUESTED = "clarify_requested", _("告知补正")
        CLARIFIED = "clarified", _("收到补正")
        CONSULTED = "consulted", _("征求第三方意见")
        CONSULT_ENDED = "consult_ended", _("第三方意见征求结束")
        DECIDED = "decided", _("作出答复")
        WITHDRAWN = "withdrawn", _("逾期未补正，不再处理")
        REVIEW = "review", _("行政复议或诉讼")
        MAILED = "mailed", _("邮件通知")
        MAIL_FAILED = "mail_failed", _("邮件发送失败")

    PUBLIC_ACTIONS = (
        Action.SUBMITTED,
        Action.REGISTERED,
        Action.EXTENDED,
        Action.CLARIFY_REQUESTED,
        Action.CLARIFIED,
        Action.CONSULTED,
        Action.CONSULT_ENDED,
        Action.DECIDED,
        Action.WITHDRAWN,
    )
    # Steps whose note is written to the applicant (the extension's reason, what to clarify).
    NOTE_FOR_APPLICANT = (Action.EXTENDED, Action.CLARIFY_REQUESTED)

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="events")
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

    @property
    def note_for_applicant(self) -> str:
        return self.note if self.action in self.NOTE_FOR_APPLICANT else ""


class ApplicationReminder(models.Model):
    """A reminder sent about an application: one per application, kind and day."""

    class Kind(models.TextChoices):
        DUE_SOON = "due_soon", _("即将到期")
        OVERDUE = "overdue", _("已超期")

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    sent_on = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["application", "kind", "sent_on"], name="inforeq_one_reminder_a_day")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.sent_on:%Y-%m-%d}"


class Review(models.Model):
    """A 行政复议 or 行政诉讼 over an application's handling (table 四 of the annual report)."""

    class Kind(models.TextChoices):
        RECONSIDERATION = "reconsideration", _("行政复议")
        LAWSUIT = "lawsuit", _("行政诉讼（未经复议直接起诉）")
        LAWSUIT_AFTER = "lawsuit_after", _("行政诉讼（复议后起诉）")

    class Result(models.TextChoices):
        UPHELD = "upheld", _("结果维持")
        CORRECTED = "corrected", _("结果纠正")
        OTHER = "other", _("其他结果")
        PENDING = "pending", _("尚未审结")

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="reviews")
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices)
    filed_on = models.DateField(_("受理日期"))
    body = models.CharField(_("复议机关或受理法院"), max_length=100)
    result = models.CharField(_("结果"), max_length=10, choices=Result.choices, default=Result.PENDING)
    concluded_on = models.DateField(_("审结日期"), null=True, blank=True)
    note = models.TextField(_("说明"), blank=True)

    class Meta:
        verbose_name = _("行政复议或诉讼")
        verbose_name_plural = _("行政复议或诉讼")
        ordering = ["filed_on", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.filed_on:%Y-%m-%d}"


# The page's routes call the views, which import the models above.
from . import views  # noqa: E402
