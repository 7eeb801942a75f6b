"""What the app adds: the records behind each figure of a report (a link on every figure of the
report page's panel), and the report *报告 → 年度报告汇总*."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from portal import converters  # noqa: F401 - registers <id:…> (portal/converters.py)
from portal.reports import SiteReportMenuItem

from . import admin_views


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [
        path("annual-reports/<id:page_id>/records/", admin_views.RecordsView.as_view(), name="annualreports_records"),
        path("reports/annual-reports/", admin_views.ClusterReportView.as_view(), name="annualreports_cluster"),
    ]


@hooks.register("register_reports_menu_item")
def register_cluster_menu_item():
    return SiteReportMenuItem(_("年度报告汇总"), reverse("annualreports_cluster"), icon_name="table", order=737)
