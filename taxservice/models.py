"""Filing calendar (征期日历) and service halls (办税服务厅 / 办税地图).

- ``FilingCalendarPage``: one per site; its deadlines are inline rows (``FilingDeadline``:
  date, tax types, note) that editors keep on the page itself, so a change goes through the
  site's usual review and publishing. The page shows a month table and a year list
  (``?month=YYYY-MM``) and links its iCalendar feed (``taxservice/views.py``).
- ``ServiceHallIndexPage`` lists the halls below it with a district filter (``?district=``);
  ``ServiceHallPage`` is one hall: address, hours, phone, services, accessibility facilities
  and coordinates (a ``geo:`` link, and a map only when a tile server is configured).

Reading and computing live in ``queries.py``, ``rules.py`` (the deadline rule) and
``maps.py``; models declare fields and validation only.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Page
from wagtail.search import index

from portal.models import TranslatableInline
from portal.pages import PortalPage
from search.index import segmented

from . import maps
from .rules import explain


def _site_root(parent: Page) -> Page | None:
    return parent.get_ancestors(inclusive=True).filter(depth=2).first()


def lines(text: str) -> list[str]:
    """One entry a line (blank lines dropped): tax types, services, opening hours."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class FilingCalendarPage(PortalPage):
    """征期日历: the monthly filing deadlines of one site, as a month table, a list and a feed."""

    intro = models.TextField(_("导语"), blank=True)
    is_section = True

    parent_page_types = ["home.HomePage", "home.ColumnPage"]
    subpage_types = []

    content_panels = Page.content_panels + [
        FieldPanel("intro"),
        InlinePanel(
            "deadlines",
            label=_("征期"),
            heading=_("申报纳税期限"),
            help_text=_(
                "每月一行：截止日期默认为15日，期限内有连续3日以上法定休假日的按休假日天数顺延，"
                "最后一日为休息日的顺延至下一个工作日。说明留空时，按日期自动生成顺延说明。"
            ),
        ),
    ]
    search_fields = segmented(Page.search_fields + [index.SearchField("intro")])

    class Meta:
        verbose_name = _("征期日历")
        verbose_name_plural = _("征期日历")

    @classmethod
    def can_create_at(cls, parent) -> bool:
        """One calendar per site: the home page's "本月征期" box reads it."""
        if not super().can_create_at(parent):
            return False
        root = _site_root(parent)
        return root is None or not cls.objects.descendant_of(root, inclusive=True).exists()

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(queries.calendar_month(self, request.GET.get("month", "")))
        context["ics_url"] = views.ics_url(self)
        context["webcal_url"] = views.webcal_url(request, self)
        return context


class FilingDeadline(TranslatableInline):
    """One filing deadline (征期截止日) and the taxes due by it."""

    page = ParentalKey(FilingCalendarPage, related_name="deadlines", on_delete=models.CASCADE)
    date = models.DateField(_("截止日期"))
    title = models.CharField(
        _("名称"),
        max_length=100,
        blank=True,
        help_text=_("留空则为“X月申报纳税期限”；年度事项可写明，例如“个人所得税综合所得年度汇算”。"),
    )
    tax_types = models.TextField(
        _("申报纳税种类"), help_text=_("每行一项，例如：增值税、消费税、企业所得税（季度预缴）、个人所得税。")
    )
    note = models.CharField(
        _("顺延说明"),
        max_length=200,
        blank=True,
        help_text=_("留空时按日期和节假日安排自动生成，例如“因国庆节假期顺延至10月22日”。"),
    )

    panels = [FieldRowPanel([FieldPanel("date"), FieldPanel("title")]), FieldPanel("tax_types"), FieldPanel("note")]

    class Meta(TranslatableInline.Meta):
        verbose_name = _("征期")
        verbose_name_plural = _("征期")

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.display_title}"

    def clean(self):
        super().clean()
        if self.date and not self.note.strip():
            self.note = explain(self.date)

    @property
    def display_title(self) -> str:
        return self.title or _("%(month)d月申报纳税期限") % {"month": self.date.month}

    @property
    def tax_type_list(self) -> list[str]:
        return lines(self.tax_types)


class ServiceHallIndexPage(PortalPage):
    """办税地图: the service halls of a site, filtered by district."""

    intro = models.TextField(_("导语"), blank=True)
    is_section = True

    parent_page_types = ["home.HomePage", "home.ColumnPage"]
    subpage_types = ["taxservice.ServiceHallPage"]

    content_panels = Page.content_panels + [FieldPanel("intro")]
    search_fields = segmented(Page.search_fields + [index.SearchField("intro")])

    class Meta:
        verbose_name = _("办税服务厅目录")
        verbose_name_plural = _("办税服务厅目录")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(queries.hall_directory(self, request.GET.get("district", ""), request))
        return context


# Accessibility facilities a hall may have (field name, label shown to visitors).
FACILITIES = [
    ("has_ramp", _("无障碍通道（坡道）")),
    ("has_accessible_toilet", _("无障碍卫生间")),
    ("has_priority_window", _("爱心窗口（老年人、残疾人优先）")),
    ("has_hearing_loop", _("助听设备（感应线圈）")),
    ("has_sign_language", _("手语服务")),
    ("has_wheelchair", _("轮椅借用")),
    ("has_accessible_parking", _("无障碍停车位")),
]


class ServiceHallPage(PortalPage):
    """办税服务厅: where it is, when it is open, what it does, how accessible it is."""

    district = models.CharField(
        _("所在区县"), max_length=50, db_index=True, help_text=_("例如：东湖区。用于按区县筛选。")
    )
    address = models.CharField(_("地址"), max_length=200)
    opening_hours = models.TextField(_("办公时间"), help_text=_("每行一段，例如：周一至周五 9:00—12:00，13:30—17:30"))
    phone = models.CharField(_("咨询电话"), max_length=100)
    services = models.TextField(_("可办业务"), help_text=_("每行一项。"))
    transport = models.TextField(_("交通指引"), blank=True)
    has_ramp = models.BooleanField(FACILITIES[0][1], default=False)
    has_accessible_toilet = models.BooleanField(FACILITIES[1][1], default=False)
    has_priority_window = models.BooleanField(FACILITIES[2][1], default=False)
    has_hearing_loop = models.BooleanField(FACILITIES[3][1], default=False)
    has_sign_language = models.BooleanField(FACILITIES[4][1], default=False)
    has_wheelchair = models.BooleanField(FACILITIES[5][1], default=False)
    has_accessible_parking = models.BooleanField(FACILITIES[6][1], default=False)
    accessibility_notes = models.TextField(_("无障碍服务说明"), blank=True)
    latitude = models.DecimalField(
        _("纬度"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
        help_text=_("十进制度数，-90 至 90，例如 30.593100。"),
    )
    longitude = models.DecimalField(
        _("经度"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
        help_text=_("十进制度数，-180 至 180，例如 114.305400。"),
    )

    parent_page_types = ["taxservice.ServiceHallIndexPage"]
    subpage_types = []

    content_panels = Page.content_panels + [
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("district"), FieldPanel("phone")]),
                FieldPanel("address"),
                FieldRowPanel([FieldPanel("latitude"), FieldPanel("longitude")]),
                FieldPanel("transport"),
            ],
            heading=_("位置与联系方式"),
        ),
        FieldPanel("opening_hours"),
        FieldPanel("services"),
        MultiFieldPanel(
            [FieldPanel(name) for name, _label in FACILITIES] + [FieldPanel("accessibility_notes")],
            heading=_("无障碍设施"),
        ),
    ]
    search_fields = segmented(
        Page.search_fields
        + [
            index.SearchField("address", boost=1.5),
            index.SearchField("district"),
            index.SearchField("services"),
            index.FilterField("district"),
        ]
    )

    class Meta:
        verbose_name = _("办税服务厅")
        verbose_name_plural = _("办税服务厅")

    def clean(self):
        super().clean()
        if (self.latitude is None) != (self.longitude is None):
            raise ValidationError({"longitude": _("请同时填写纬度和经度，或都不填。")})

    def get_meta_description(self) -> str:
        return self.search_description or f"{self.address}；{self.phone}"

    @property
    def opening_hour_lines(self) -> list[str]:
        return lines(self.opening_hours)

    @property
    def service_list(self) -> list[str]:
        return lines(self.services)

    @property
    def facilities(self) -> list[str]:
        return [label for name, label in FACILITIES if getattr(self, name)]

    @property
    def has_coordinates(self) -> bool:
        return self.latitude is not None and self.longitude is not None

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        if self.has_coordinates:
            context["geo_uri"] = maps.geo_uri(self.latitude, self.longitude, self.title)
            context["amap_url"] = maps.amap_url(self.latitude, self.longitude, self.title)
            context["baidu_url"] = maps.baidu_url(self.latitude, self.longitude, self.title, self.address)
            context["tile_map"] = maps.tile_map(self.latitude, self.longitude)
        return context


# Contexts above call the queries and views, which import the models above.
from . import queries, views  # noqa: E402
