"""政府信息公开工作年度报告 as a page in a site's 年报 column.

A ``DisclosureReportPage`` is an article (listed by its column, numbered in the 公开目录, found by
search) whose sections 一, 五 and 六 are editor text, whose table 二 takes the figures staff enter
where the portal holds no data (行政许可/处罚/强制, 收费), and whose tables 二 (规章, 规范性文件),
三 and 四 are computed from the site's records (``figures.py``) when the page is created or when
staff tick 重新统计 (``forms.py``). The figures are stored on the page, so each revision, and the
published page, is a snapshot. Routes: ``xlsx/`` and ``pdf/`` in the national layout.
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
from .forms import DisclosureReportForm
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

    base_form_class = DisclosureReportForm
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


from . import exports, tables  # noqa: E402
