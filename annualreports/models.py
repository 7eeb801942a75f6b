"""The two annual reports as pages in a site's 年报 column: the 政府信息公开工作年度报告
(``DisclosureReportPage``) and the 政府网站工作年度报表 (``WebsiteReportPage``).

A ``DisclosureReportPage`` is an article (listed by its column, numbered in the 公开目录, found by
search) whose sections 一, 五 and 六 are editor text, whose table 二 takes the figures staff enter
where the portal holds no data (行政许可/处罚/强制, 收费), and whose tables 二 (规章, 规范性文件),
三 and 四 are computed from the site's records (``figures.py``) when the page is created or when
staff tick 重新统计 (``forms.py``). The figures are stored on the page, so each revision, and the
published page, is a snapshot. Routes: ``xlsx/`` and ``pdf/`` in the national layout.

A ``WebsiteReportPage`` works the same way: the rows the portal's records give are computed by
``website.compute`` and stored; the rest of the template are fields staff fill in. Route: ``xlsx/``.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Page

from home.models import ArticlePage

from . import layout
from .forms import ReportForm
from .panels import FiguresPanel

SECTION_FEATURES = ["bold", "ol", "ul", "link"]


class DisclosureReportPage(RoutablePageMixin, ArticlePage):
    """政府信息公开工作年度报告 of one site for one year (国办公开办函〔2021〕30号 format)."""

    year = models.PositiveSmallIntegerField(
        _("报告年度"), validators=[MinValueValidator(2008), MaxValueValidator(2100)]
    )
    licences = models.PositiveIntegerField(_("行政许可本年处理决定数量"), default=0)
    penalties = models.PositiveIntegerField(_("行政处罚本年处理决定数量"), default=0)
    enforcement = models.PositiveIntegerField(_("行政强制本年处理决定数量"), default=0)
    fees = models.DecimalField(
        _("行政事业性收费本年收费金额（万元）"),
        max_digits=12,
        decimal_places=4,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    problems = RichTextField(_("五、存在的主要问题及改进情况"), features=SECTION_FEATURES, blank=True)
    other_matters = RichTextField(
        _("六、其他需要报告的事项"),
        features=SECTION_FEATURES,
        blank=True,
        help_text=_(
            "例如依据《政府信息公开信息处理费管理办法》收取信息处理费的情况，人大代表建议和政协提案办理结果公开情况等。"
        ),
    )
    figures = models.JSONField(_("统计数据"), default=dict, blank=True, editable=False)

    base_form_class = ReportForm
    figures_template = "annualreports/admin/disclosure_figures.html"
    parent_page_types = ["home.ColumnPage"]
    subpage_types = []

    content_panels = Page.content_panels + [
        FieldRowPanel([FieldPanel("year"), FieldPanel("date"), FieldPanel("source")]),
        FieldRowPanel([FieldPanel("author"), FieldPanel("editor")]),
        FieldPanel("summary"),
        FieldPanel("keywords"),
        FieldPanel("body", heading=layout.SECTIONS["overview"]),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("licences"), FieldPanel("penalties"), FieldPanel("enforcement")]),
                FieldPanel("fees"),
            ],
            heading=_("二、主动公开政府信息情况（本网站没有数据、由工作人员填写的部分）"),
        ),
        FiguresPanel(heading=_("二、三、四：由本站记录统计的数据")),
        FieldPanel("problems"),
        FieldPanel("other_matters"),
        InlinePanel("attachments", label=_("附件"), heading=_("附件")),
    ]

    class Meta:
        verbose_name = _("政府信息公开工作年度报告")
        verbose_name_plural = _("政府信息公开工作年度报告")

    @staticmethod
    def compute_figures(site, year: int) -> dict:
        return figures.compute(site, year)

    def figures_context(self) -> dict:
        return {"report": tables.build(self)}

    @path("xlsx/")
    def xlsx_route(self, request):
        return exports.xlsx_response(self)

    @path("pdf/")
    def pdf_route(self, request):
        return exports.pdf_response(self)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["report"] = tables.build(self)
        return context


YESNO = [(True, _("是")), (False, _("否"))]


def _count(label, help_text=""):
    return models.PositiveIntegerField(label, default=0, help_text=help_text)


def _yesno(label):
    return models.BooleanField(label, default=False, choices=YESNO)


class WebsiteReportPage(RoutablePageMixin, ArticlePage):
    """政府网站工作年度报表 of one site for one year (the national template of the 政府网站发展指引)."""

    class SiteType(models.TextChoices):
        PORTAL = "portal", _("政府门户网站")
        DEPARTMENT = "department", _("部门网站")
        SPECIAL = "special", _("专项网站")

    year = models.PositiveSmallIntegerField(
        _("报告年度"), validators=[MinValueValidator(2008), MaxValueValidator(2100)]
    )
    site_type = models.CharField(_("网站类型"), max_length=12, choices=SiteType.choices, default=SiteType.DEPARTMENT)
    media_comments = _count(_("媒体评论数量"), _("媒体对本机关政策的评论文章，本网站没有这项数据。"))
    hot_responses = _count(_("回应公众关注热点或重大舆情数量（单位：次）"))
    registered_users = _count(_("注册用户数（单位：个）"), _("办事系统的注册用户，本网站没有这项数据。"))
    cases_person = _count(_("自然人办件量"))
    cases_organisation = _count(_("法人办件量"))
    smart_qa = _yesno(_("是否提供智能问答"))
    security_checks = _count(_("安全检测评估次数（单位：次）"))
    problems_found = _count(_("发现问题数量（单位：个）"))
    problems_fixed = _count(_("问题整改数量（单位：个）"))
    security_monitoring = _yesno(_("是否建立安全监测预警机制"))
    security_drills = _yesno(_("是否开展应急演练"))
    security_officer = _yesno(_("是否明确网站安全责任人"))
    new_media = _yesno(_("是否有移动新媒体"))
    weibo_name = models.CharField(_("微博名称"), max_length=100, blank=True)
    weibo_posts = _count(_("微博信息发布量（单位：条）"))
    weibo_followers = _count(_("微博关注量（单位：个）"))
    wechat_name = models.CharField(_("微信名称"), max_length=100, blank=True)
    wechat_posts = _count(_("微信信息发布量（单位：条）"))
    wechat_subscribers = _count(_("微信订阅数（单位：个）"))
    other_media = models.CharField(_("其他移动新媒体"), max_length=200, blank=True)
    innovation_other = models.CharField(_("其他创新发展"), max_length=200, blank=True)
    head = models.CharField(_("单位负责人"), max_length=50, blank=True)
    reviewer = models.CharField(_("审核人"), max_length=50, blank=True)
    filler = models.CharField(_("填报人"), max_length=50, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=60, blank=True)
    filled_on = models.DateField(_("填报日期"), null=True, blank=True)
    figures = models.JSONField(_("统计数据"), default=dict, blank=True, editable=False)

    base_form_class = ReportForm
    figures_template = "annualreports/admin/website_figures.html"
    parent_page_types = ["home.ColumnPage"]
    subpage_types = []

    content_panels = Page.content_panels + [
        FieldRowPanel([FieldPanel("year"), FieldPanel("date"), FieldPanel("source")]),
        FieldPanel("summary"),
        FieldPanel("keywords"),
        FiguresPanel(heading=_("由本站记录统计的数据")),
        FieldPanel("site_type"),
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("media_comments"), FieldPanel("hot_responses")])], heading=_("解读回应")
        ),
        MultiFieldPanel(
            [
                FieldRowPanel(
                    [FieldPanel("registered_users"), FieldPanel("cases_person"), FieldPanel("cases_organisation")]
                )
            ],
            heading=_("办事服务"),
        ),
        MultiFieldPanel([FieldPanel("smart_qa")], heading=_("互动交流")),
        MultiFieldPanel(
            [
                FieldRowPanel(
                    [FieldPanel("security_checks"), FieldPanel("problems_found"), FieldPanel("problems_fixed")]
                ),
                FieldRowPanel(
                    [FieldPanel("security_monitoring"), FieldPanel("security_drills"), FieldPanel("security_officer")]
                ),
            ],
            heading=_("安全防护"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("new_media"),
                FieldRowPanel([FieldPanel("weibo_name"), FieldPanel("weibo_posts"), FieldPanel("weibo_followers")]),
                FieldRowPanel(
                    [FieldPanel("wechat_name"), FieldPanel("wechat_posts"), FieldPanel("wechat_subscribers")]
                ),
                FieldPanel("other_media"),
            ],
            heading=_("移动新媒体"),
        ),
        FieldPanel("innovation_other"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("head"), FieldPanel("reviewer"), FieldPanel("filler")]),
                FieldRowPanel([FieldPanel("contact_phone"), FieldPanel("filled_on")]),
            ],
            heading=_("填报信息"),
        ),
        FieldPanel("body", heading=_("说明")),
        InlinePanel("attachments", label=_("附件"), heading=_("附件")),
    ]

    class Meta:
        verbose_name = _("政府网站工作年度报表")
        verbose_name_plural = _("政府网站工作年度报表")

    @staticmethod
    def compute_figures(site, year: int) -> dict:
        return website.compute(site, year)

    def figures_context(self) -> dict:
        return {"sheet": tables.website(self)}

    @path("xlsx/")
    def xlsx_route(self, request):
        return exports.website_xlsx_response(self)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["sheet"] = tables.website(self)
        return context


from . import exports, figures, tables, website  # noqa: E402
