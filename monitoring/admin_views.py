"""Admin reports (报告 → 栏目更新监测, 发文统计), built on Wagtail's ``ReportView``.

Both are scoped: superusers and provincial staff see every site, city staff only their own
site (asking for another site's report is refused). Both export to CSV and XLSX through
``portal.reports``, which neutralises every cell a spreadsheet could read as a formula."""

from __future__ import annotations

from datetime import date, datetime

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.reports import PortalReportView

from . import services, statistics


class SiteScopedReport(PortalReportView):
    """A report over the sites the user may read (provincial staff: every site)."""

    paginate_by = None

    def get_sites(self):
        return services.visible_sites(self.request.user)


class StaleColumnsReportView(SiteScopedReport):
    """栏目更新监测: stale columns and those due within three days, per site."""

    page_title = gettext_lazy("栏目更新监测")
    header_icon = "time"
    results_template_name = "monitoring/admin/stale_columns_results.html"
    index_url_name = "monitoring_stale_columns"
    export_filename = "stale-columns"
    list_export = ["site_name", "title"]  # shows the export buttons; rows come from export_rows

    def get_queryset(self):
        self.today = timezone.localdate()
        return services.flagged_statuses(self.today, self.report_sites, self.request.user)

    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        context["today"] = self.today
        context["due_within"] = services.DUE_WITHIN_DAYS
        return context

    def export_rows(self, statuses):
        yield [
            _("站点"),
            _("栏目"),
            _("类型"),
            _("状态"),
            _("最近更新"),
            _("更新周期（天）"),
            _("截止日期"),
            _("超期天数"),
            _("维护部门"),
            _("负责人邮箱"),
        ]
        for status in statuses:
            yield [
                status.site_name,
                status.title,
                status.kind_label,
                status.state_label,
                status.last_update_date.isoformat() if status.last_update_date else "",
                status.period_days,
                status.deadline.isoformat() if status.deadline else "",
                "" if status.days_overdue is None else status.days_overdue,
                status.department,
                status.recipient,
            ]


def parse_month(value: str | None) -> date | None:
    try:
        return datetime.strptime(value or "", "%Y-%m").date()
    except ValueError:
        return None


class PublicationStatisticsView(SiteScopedReport):
    """发文统计: pages first published per site and month, the city ranking, on-time share."""

    page_title = gettext_lazy("发文统计")
    header_icon = "doc-full"
    results_template_name = "monitoring/admin/publication_results.html"
    index_url_name = "monitoring_publication_statistics"
    export_filename = "publication-statistics"
    list_export = ["site_name", "total"]

    def get_period(self) -> tuple[date, date]:
        first, last = statistics.default_period(timezone.localdate())
        chosen_first, chosen_last = parse_month(self.request.GET.get("from")), parse_month(self.request.GET.get("to"))
        if chosen_first and chosen_last and chosen_first <= chosen_last:
            first, last = chosen_first, chosen_last
        if len(statistics.months_between(first, last)) > 36:  # at most three years in one table
            first = statistics.add_months(last, -35)
        return first, last

    def get_queryset(self):
        self.first, self.last = self.get_period()
        self.months = statistics.months_between(self.first, self.last)
        return statistics.publication_statistics(self.first, self.last, timezone.localdate(), self.report_sites)

    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        context["months"] = self.months
        context["first"] = self.first
        context["last"] = self.last
        context["ranking"] = sorted((row for row in context["object_list"] if row.rank), key=lambda row: row.rank)
        return context

    def export_rows(self, rows):
        yield (
            [_("站点"), _("发文量排名")]
            + [month.strftime("%Y-%m") for month in self.months]
            + [
                _("合计"),
                _("监测栏目数"),
                _("按时更新栏目数"),
                _("按时更新率"),
            ]
        )
        for row in rows:
            yield (
                [row.site_name, row.rank or "—"]
                + row.monthly_counts
                + [
                    row.total,
                    row.monitored,
                    row.on_time,
                    row.on_time_percent,
                ]
            )
