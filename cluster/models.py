"""Site templates (站点模板): what a new city or county site gets, as data staff can edit
in the admin (片段 → 站点模板), not code. ``cluster.services.open_site`` builds a site from one.

A template is a list of pages in tree order. Each row names its parent by slug (blank: the
home page), a page type from ``PAGE_TYPES`` and the fields that type has (a column's type,
maintaining department and update period; a mailbox's kind; a text page's body). Texts may
use the placeholders ``{site_name}``, ``{short_name}``, ``{address}``, ``{phone}``,
``{email}`` and ``{parent_name}``, filled in with the new site's identity.
"""

from __future__ import annotations

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable

# The page types a template may create: (app_label.ModelName, what staff call it).
PAGE_TYPES = [
    ("home.ColumnPage", _("栏目")),
    ("home.StandardPage", _("普通页面")),
    ("home.SitemapPage", _("网站地图")),
    ("guides.ServiceGuideIndexPage", _("办事指南")),
    ("guides.FormLibraryPage", _("表格下载")),
    ("taxservice.FilingCalendarPage", _("征期日历")),
    ("taxservice.ServiceHallIndexPage", _("办税地图")),
    ("faq.FAQIndexPage", _("常见问题")),
    ("disclosure.DisclosureCataloguePage", _("政府信息公开目录")),
    ("inforequests.ApplicationPage", _("政府信息公开申请")),
    ("correspondence.MailboxIndexPage", _("互动交流（信箱栏目）")),
    ("correspondence.MailboxPage", _("信箱")),
]

# Footer links of the site identity that a page of the template fills, by the page's slug.
FOOTER_PAGES = {
    "sitemap": "sitemap_page",
    "accessibility": "accessibility_page",
    "contact": "contact_page",
    "privacy": "privacy_page",
}


class SiteTemplate(ClusterableModel):
    shown_on_pages = False  # saving one purges no cached page (portal/signal_handlers.py)

    key = models.SlugField(_("代号"), max_length=30, unique=True, help_text=_("命令行中使用，例如 city、county。"))
    name = models.CharField(_("名称"), max_length=50)
    description = models.TextField(_("说明"), blank=True)
    banner_text = models.CharField(
        _("首页横幅说明"), max_length=255, blank=True, help_text=_("新站首页横幅下的一句话，可用占位符。")
    )

    panels = [
        FieldRowPanel([FieldPanel("name"), FieldPanel("key")]),
        FieldPanel("description"),
        FieldPanel("banner_text"),
        InlinePanel("nodes", heading=_("页面"), label=_("页面")),
    ]

    class Meta:
        verbose_name = _("站点模板")
        verbose_name_plural = _("站点模板")
        ordering = ["key"]

    def __str__(self) -> str:
        return self.name


class SiteTemplateNode(Orderable):
    template = ParentalKey(SiteTemplate, related_name="nodes", on_delete=models.CASCADE)
    parent_slug = models.SlugField(
        _("上级页面代号"), max_length=80, blank=True, help_text=_("留空表示放在首页下；上级须排在本行之前。")
    )
    slug = models.SlugField(_("代号（网址）"), max_length=80, allow_unicode=False)
    title = models.CharField(_("标题"), max_length=100)
    page_type = models.CharField(_("页面类型"), max_length=60, choices=PAGE_TYPES)
    intro = models.TextField(_("简介"), blank=True)
    body = models.TextField(
        _("正文"),
        blank=True,
        help_text=_("普通页面的正文、信箱的受理须知；空行分段，可用占位符。"),
    )
    show_in_menus = models.BooleanField(_("显示在主导航"), default=False)
    column_type = models.CharField(_("栏目类型"), max_length=20, blank=True, help_text=_("栏目页面适用。"))
    department = models.CharField(
        _("维护部门"), max_length=100, blank=True, help_text=_("栏目的维护部门；信箱的默认承办部门（在本站名下建立）。")
    )
    update_period_days = models.PositiveSmallIntegerField(
        _("更新周期（天）"), null=True, blank=True, validators=[MinValueValidator(1)]
    )
    monitored = models.BooleanField(_("纳入更新监测"), default=True)
    mailbox_kind = models.CharField(_("信箱类型"), max_length=20, blank=True, help_text=_("信箱页面适用。"))
    categories = models.CharField(
        _("来信类别"), max_length=255, blank=True, help_text=_("信箱页面适用：用顿号“、”分隔，例如“意见建议、其他”。")
    )
    home_notice = models.BooleanField(_("首页通知公告栏"), default=False)
    home_featured = models.PositiveSmallIntegerField(
        _("首页展示条数"), default=0, help_text=_("大于 0 时该栏目在首页展示这么多条。")
    )
    quick_link = models.CharField(
        _("首页快捷入口说明"), max_length=100, blank=True, help_text=_("填写后该页面成为首页快捷入口。")
    )

    panels = [
        FieldRowPanel([FieldPanel("parent_slug"), FieldPanel("slug"), FieldPanel("title"), FieldPanel("page_type")]),
        FieldPanel("intro"),
        FieldPanel("body"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("column_type"), FieldPanel("department"), FieldPanel("update_period_days")]),
                FieldRowPanel([FieldPanel("monitored"), FieldPanel("show_in_menus")]),
                FieldRowPanel([FieldPanel("mailbox_kind"), FieldPanel("categories")]),
                FieldRowPanel([FieldPanel("home_notice"), FieldPanel("home_featured"), FieldPanel("quick_link")]),
            ],
            heading=_("栏目、信箱与首页"),
        ),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("模板页面")
        verbose_name_plural = _("模板页面")

    def __str__(self) -> str:
        return f"{self.parent_slug}/{self.slug}" if self.parent_slug else self.slug
