"""Admin: the 错链检测 report under 报告."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from .admin_views import BrokenLinksReportView, may_view


@hooks.register("register_admin_urls")
def register_report_urls():
    return [
        path("reports/broken-links/", BrokenLinksReportView.as_view(), name="linkcheck_report"),
        path(
            "reports/broken-links/results/",
            BrokenLinksReportView.as_view(results_only=True),
            name="linkcheck_report_results",
        ),
    ]


class BrokenLinksMenuItem(MenuItem):
    def is_shown(self, request):
        return may_view(request.user)


@hooks.register("register_reports_menu_item")
def register_report_menu_item():
    return BrokenLinksMenuItem(_("错链检测"), reverse("linkcheck_report"), icon_name="link", order=750)
