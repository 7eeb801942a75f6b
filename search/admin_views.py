"""Admin report 搜索统计: the top queries and the queries that found nothing, last 30 days."""

from datetime import timedelta

from django.core.exceptions import PermissionDenied
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.views.generic import WagtailAdminTemplateMixin

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
        "top": list(rows.order_by("-searches", "query")[:REPORT_ROWS]),
        "empty": list(rows.filter(empty__gt=0).order_by("-empty", "query")[:REPORT_ROWS]),
    }


class SearchTermsReportView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "search/admin/search_terms.html"
    page_title = _("搜索统计")
    header_icon = "search"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm("portal_search.view_searchtermday"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(search_terms())
        context["days"] = REPORT_DAYS
        return context
