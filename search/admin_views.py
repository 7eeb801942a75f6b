"""Admin report 搜索统计: the top queries and the queries that found nothing, last 30 days."""

from datetime import timedelta

from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.reports import PortalReportView

from .models import SearchTermDay

REPORT_DAYS = 30
REPORT_ROWS = 50


def search_terms(days: int = REPORT_DAYS) -> dict:
    since = timezone.localdate() - timedelta(days=days - 1)
    rows = (
        SearchTermDay.objects.filter(date__gte=since)
        .values("query")
        .annotate(searches=Sum("searches"), empty=Sum("empty"))
    )
    return {
        "since": since,
        "all": rows.order_by("-searches", "query"),
        "top": list(rows.order_by("-searches", "query")[:REPORT_ROWS]),
        "empty": list(rows.filter(empty__gt=0).order_by("-empty", "query")[:REPORT_ROWS]),
    }


class SearchTermsReportView(PortalReportView):
    """The last 30 days' queries, most searched first, and those that found nothing; the
    export lists every query of the period with both counts."""

    page_title = _("搜索统计")
    header_icon = "search"
    results_template_name = "search/admin/search_terms_results.html"
    index_url_name = "search_terms_report"
    permission_required = "portal_search.view_searchtermday"
    site_scoped = False  # one log for the cluster
    paginate_by = None
    export_filename = "search-terms"
    list_export = ["query", "searches", "empty"]
    export_headings = {"query": _("搜索词"), "searches": _("搜索次数"), "empty": _("无结果次数")}

    def get_queryset(self):
        return search_terms()["all"]

    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        context.update({name: value for name, value in search_terms().items() if name != "all"})
        context["days"] = REPORT_DAYS
        return context
