"""Admin: the reports 栏目更新监测 and 发文统计 (menu 报告), shown to staff who may edit a site."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from portal.reports import SiteReportMenuItem

from .admin_views import PublicationStatisticsView, StaleColumnsReportView


@hooks.register("register_admin_urls")
def register_report_urls():
    return [
        path("reports/stale-columns/", StaleColumnsReportView.as_view(), name="monitoring_stale_columns"),
        path(
            "reports/publication-statistics/",
            PublicationStatisticsView.as_view(),
            name="monitoring_publication_statistics",
        ),
    ]


@hooks.register("register_reports_menu_item")
def register_stale_columns_menu_item():
    return SiteReportMenuItem(_("栏目更新监测"), reverse("monitoring_stale_columns"), icon_name="time", order=720)


@hooks.register("register_reports_menu_item")
def register_publication_menu_item():
    return SiteReportMenuItem(
        _("发文统计"), reverse("monitoring_publication_statistics"), icon_name="doc-full", order=730
    )
