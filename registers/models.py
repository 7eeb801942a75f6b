"""The public registers a tax bureau publishes (政府信息公开): 欠税公告, 重大税收违法失信主体,
A级纳税人名单 and the 双公示 records of 行政许可 and 行政处罚 (``kinds.py`` says what each holds).

A ``RegisterPage`` under a site's 政府信息公开 column is one register (its ``kind``): the public
list, searchable by name, 纳税人识别号 and year, with a CSV of what the page shows. It enters
the site's 公开目录 with a 索引号 on first publication (``catalogue_genre``). Its entries
(``RegisterEntry``) come from staff's spreadsheets through an ``ImportBatch`` (one 公告 or
期次): a preview of every row, then all rows or none (``services.py``). Identity numbers are
stored for staff and only ever shown masked in public; an entry is taken back (撤销) one at a
time, never deleted."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.models import Page

from portal.pages import PortalPage

from . import identifiers
from .kinds import SPECS, Kind


class RegisterPage(RoutablePageMixin, PortalPage):
    """One public register: its entries in a table, 20 a page, searchable, exportable."""

    kind = models.CharField(_("名录类型"), max_length=20, choices=Kind.choices)
    intro = models.TextField(_("导语"), blank=True)
    basis = models.TextField(
        _("公布依据"), blank=True, help_text=_("例如《欠税公告办法（试行）》第四条。显示在名录上方。")
    )

    is_section = True  # listed by its parent column (政府信息公开) beside the sub-columns
    per_page = 20
    parent_page_types = ["home.HomePage", "home.ColumnPage"]
    subpage_types = []
    content_panels = Page.content_panels + [FieldPanel("kind"), FieldPanel("intro"), FieldPanel("basis")]

    class Meta:
        verbose_name = _("公示名录")
        verbose_name_plural = _("公示名录")

    @property
    def spec(self):
        return SPECS[self.kind]

    @property
    def catalogue_genre(self) -> str:
        """The page enters its site's 公开目录 on first publication with this 体裁 (公告, 公示)."""
        return self.spec.genre

    @path("")
    def index_route(self, request):
        return views.register(request, self)

    @path("export/")
    def export_route(self, request):
        return views.export(request, self)


class ImportBatch(models.Model):
    """One spreadsheet staff imported (one 公告 or 期次). While ``PREVIEW`` it holds the parsed
    rows for the confirmation; once imported the rows are its entries and the copy is dropped."""

    class Status(models.TextChoices):
        PREVIEW = "preview", _("待确认")
        IMPORTED = "imported", _("已导入")
        DISCARDED = "discarded", _("已放弃")

    page = models.ForeignKey(RegisterPage, verbose_name=_("名录"), on_delete=models.CASCADE, related_name="batches")
    issue = models.CharField(_("期次"), max_length=60, blank=True, help_text=_("例如 2025年第3期；可不填。"))
    file_name = models.CharField(_("文件名"), max_length=200)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.PREVIEW)
    rows = models.JSONField(default=list, blank=True)
    row_count = models.PositiveIntegerField(_("行数"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    imported_at = models.DateTimeField(_("导入时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("导入批次")
        verbose_name_plural = _("导入批次")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.issue or self.file_name


class PublicEntries(models.QuerySet):
    def public(self, today=None):
        """What visitors see: not taken back, and for registers whose entries expire (失信主体,
        行政处罚) not past their 公布截止日期. No job removes them: the date does."""
        today = today or timezone.localdate()
        expiring = [kind for kind, spec in SPECS.items() if spec.expires]
        return self.filter(withdrawn_at__isnull=True).exclude(page__kind__in=expiring, ends_on__lt=today)


class RegisterEntry(models.Model):
    """One row of a register. The columns a kind does not use stay empty."""

    page = models.ForeignKey(RegisterPage, verbose_name=_("名录"), on_delete=models.CASCADE, related_name="entries")
    batch = models.ForeignKey(
        ImportBatch,
        verbose_name=_("导入批次"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="entries",
    )
    issue = models.CharField(_("期次"), max_length=60, blank=True)
    name = models.CharField(_("名称"), max_length=200)
    taxpayer_number = models.CharField(_("纳税人识别号"), max_length=20, blank=True)
    year = models.PositiveSmallIntegerField(_("年度"))
    published_on = models.DateField(_("公布日期"))
    ends_on = models.DateField(_("截止日期"), null=True, blank=True)
    person_name = models.CharField(_("法定代表人"), max_length=50, blank=True)
    person_id_number = models.CharField(_("身份证件号码"), max_length=30, blank=True)
    finance_name = models.CharField(_("财务负责人"), max_length=50, blank=True)
    finance_id_number = models.CharField(_("财务负责人身份证件号码"), max_length=30, blank=True)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    tax_type = models.CharField(_("欠税税种"), max_length=100, blank=True)
    amount = models.DecimalField(_("金额"), max_digits=14, decimal_places=2, null=True, blank=True)
    new_amount = models.DecimalField(_("当期新发生欠税余额"), max_digits=14, decimal_places=2, null=True, blank=True)
    agency = models.CharField(_("中介机构"), max_length=200, blank=True)
    case_nature = models.CharField(_("案件性质"), max_length=100, blank=True)
    facts = models.TextField(_("违法事实"), blank=True)
    penalty = models.TextField(_("处理处罚情况"), blank=True)
    document_number = models.CharField(_("决定文书号"), max_length=100, blank=True)
    category = models.CharField(_("类别"), max_length=50, blank=True)
    content = models.TextField(_("内容"), blank=True)
    authority = models.CharField(_("机关"), max_length=200, blank=True)
    withdrawn_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    withdraw_reason = models.CharField(_("撤销原因"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PublicEntries.as_manager()

    class Meta:
        verbose_name = _("名录条目")
        verbose_name_plural = _("名录条目")
        ordering = ["-published_on", "-pk"]
        indexes = [
            models.Index(fields=["page", "-published_on", "-id"], name="registers_entry_listing"),
            models.Index(fields=["page", "taxpayer_number"], name="registers_entry_number"),
            models.Index(fields=["page", "year"], name="registers_entry_year"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("published_on")),
                name="registers_entry_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def masked_person_id(self) -> str:
        return identifiers.mask(self.person_id_number)

    @property
    def masked_finance_id(self) -> str:
        return identifiers.mask(self.finance_id_number)

    @property
    def public_number(self) -> str:
        return identifiers.public_taxpayer_number(self.taxpayer_number)

    def public_value(self, column) -> object:
        """What visitors see in ``column``: identity numbers masked, a person's number as 纳税人识别号 too."""
        if column.field == "person_id_number":
            return self.masked_person_id
        if column.field == "finance_id_number":
            return self.masked_finance_id
        if column.field == "taxpayer_number":
            return self.public_number
        return getattr(self, column.field)


# The page's routes call views.py, which reads through queries.py; both import this module.
from . import views  # noqa: E402
