"""Admin report 报告 → 栏目订阅: how many confirmed addresses receive each column's alerts, for
the sites the user edits. Counts only: no address is shown anywhere, here included."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from home.models import ColumnPage
from portal.models import SiteIdentity
from portal.reports import PortalReportView

from .models import Subscription
from .queries import SUBSCRIBABLE_TYPES


@dataclass
class Row:
    site_name: str
    column: ColumnPage
    subscribers: int

    @property
    def edit_url(self) -> str:
        return reverse("wagtailadmin_pages:edit", args=[self.column.pk])


def subscriber_counts(sites) -> list[Row]:
    """Every column of ``sites`` that offers alerts or has subscribers, in site and tree order."""
    counts = dict(Subscription.objects.values_list("column_id").annotate(count=Count("pk")).order_by())
    columns = (
        ColumnPage.objects.filter(Q(column_type__in=SUBSCRIBABLE_TYPES) | Q(pk__in=counts))
        .select_related("locale")
        .order_by("path")
    )
    names = {site.pk: SiteIdentity.for_site(site).site_name or site.site_name or site.hostname for site in sites}
    by_site: dict[int, list[Row]] = {site.pk: [] for site in sites}
    for column in columns:
        parts = column.get_url_parts()  # Wagtail's cached site root paths: both languages' trees
        if parts is not None and parts[0] in by_site:
            by_site[parts[0]].append(Row(names[parts[0]], column, counts.get(column.pk, 0)))
    return [row for site in sites for row in by_site[site.pk]]


class SubscriberCountsView(PortalReportView):
    page_title = gettext_lazy("栏目订阅")
    header_icon = "mail"
    results_template_name = "subscriptions/admin/subscriber_counts_results.html"
    index_url_name = "subscriber_counts"
    export_filename = "column-subscriptions"
    paginate_by = None
    list_export = ["site_name", "subscribers"]  # shows the export buttons; rows come from export_rows

    def get_queryset(self):
        return subscriber_counts(self.report_sites)

    def export_rows(self, rows):
        yield [_("站点"), _("栏目"), _("栏目类型"), _("语言"), _("订阅人数")]
        for row in rows:
            yield [
                row.site_name,
                row.column.title,
                row.column.get_column_type_display(),
                row.column.locale.get_display_name(),
                row.subscribers,
            ]
