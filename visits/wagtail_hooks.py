"""Admin: the report 报告 → 网站访问量, shown to staff with a site whose reports they may read."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from portal.reports import SiteReportMenuItem

from .admin_views import VisitsReportView


@hooks.register("register_admin_urls")
def register_report_url():
    return [path("reports/visits/", VisitsReportView.as_view(), name="visits_report")]


@hooks.register("register_reports_menu_item")
def register_report_menu_item():
    return SiteReportMenuItem(_("网站访问量"), reverse("visits_report"), icon_name="view", order=725)
