"""Admin report 报告 → 网站访问量: page views and distinct visitors per site, by month (or by
day when one month is chosen), as a bar chart (an inline SVG with its title and description,
``role="img"``) beside the same figures in a table; CSV and XLSX export. Staff see the sites
whose reports they may read (``portal.permissions.visible_sites``: provincial staff every
site, a city's staff their own). Opening it flushes the counters first (``services.flush``)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.permissions import site_labels, visible_sites
from portal.reports import PortalReportView

from . import queries, services

MAX_MONTHS = 36
CHART_HEIGHT = 200
PLOT_TOP, PLOT_BOTTOM, PLOT_LEFT = 16, 168, 56


def parse_month(value: str | None) -> datetime.date | None:
    try:
        month = datetime.datetime.strptime(value or "", "%Y-%m").date()
    except ValueError:
        return None
    return month if 2000 <= month.year <= 2999 else None


def month_end(month: datetime.date) -> datetime.date:
    return (month + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)


def nice_top(value: int) -> int:
    """The axis' top: 1, 2 or 5 times a power of ten, at least ``value``."""
    top = 1
    while True:
        for step in (1, 2, 5):
            if top * step >= value:
                return top * step
        top *= 10


@dataclass
class Bar:
    x: float
    views_y: float
    views_height: float
    visitors_y: float
    visitors_height: float
    label: str
    label_x: float
    show_label: bool


@dataclass
class Chart:
    width: int
    bar: float
    top: int
    bars: list[Bar]


def chart(points: list[queries.Point], daily: bool) -> Chart:
    """Two bars per month or day (views, visitors) scaled to the highest view count."""
    slot = 24 if daily else 44
    bar = slot * 0.4
    top = nice_top(max((point.views for point in points), default=0) or 1)
    height = PLOT_BOTTOM - PLOT_TOP
    every = max(1, len(points) // 16)  # labels that fit under the bars
    bars = []
    for number, point in enumerate(points):
        x = PLOT_LEFT + number * slot + slot * 0.1
        views_height = round(height * point.views / top, 1)
        visitors_height = round(height * point.visitors / top, 1)
        bars.append(
            Bar(
                x=round(x, 1),
                views_y=round(PLOT_BOTTOM - views_height, 1),
                views_height=views_height,
                visitors_y=round(PLOT_BOTTOM - visitors_height, 1),
                visitors_height=visitors_height,
                label=point.start.strftime("%d" if daily else "%m")
                if daily or len(points) <= 12
                else f"{point.start:%y-%m}",
                label_x=round(x + bar, 1),
                show_label=number % every == 0,
            )
        )
    return Chart(width=PLOT_LEFT + len(points) * slot + 8, bar=round(bar, 1), top=top, bars=bars)


@dataclass
class SiteRow:
    site_id: int
    name: str
    views: int
    visitors: int


class VisitsReportView(PortalReportView):
    page_title = gettext_lazy("网站访问量")
    header_icon = "view"
    results_template_name = "visits/admin/visits_results.html"
    index_url_name = "visits_report"
    export_filename = "website-visits"
    paginate_by = None
    list_export = ["start", "views"]  # shows the export buttons; rows come from export_rows

    def get_sites(self):
        return visible_sites(self.request.user)

    def get_period(self) -> tuple[datetime.date, datetime.date]:
        today = timezone.localdate()
        first, last = today.replace(month=1, day=1), today.replace(day=1)
        chosen_first = parse_month(self.request.GET.get("from"))
        chosen_last = parse_month(self.request.GET.get("to"))
        if chosen_first and chosen_last and chosen_first <= chosen_last:
            first, last = chosen_first, chosen_last
        if len(queries.first_of_months(first, last)) > MAX_MONTHS:
            first = queries.first_of_months(last.replace(year=last.year - 3), last)[1]
        return first, last

    def get_queryset(self):
        services.flush(wait=0)  # this process's views and every worker's pushed ones, if no flush runs
        self.first, self.last = self.get_period()
        self.end = month_end(self.last)
        self.daily = self.first == self.last
        series = queries.daily if self.daily else queries.monthly
        return series(self.report_sites, self.first, self.end)

    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        points = context["object_list"]
        labels = site_labels()
        totals = queries.by_site(self.report_sites, self.first, self.end)
        context.update(
            {
                "first": self.first,
                "last": self.last,
                "end": self.end,
                "daily": self.daily,
                "months": True,  # the filter shows the month fields
                "chart": chart(points, self.daily),
                "total": queries.Totals(sum(p.views for p in points), sum(p.visitors for p in points)),
                "site_rows": [
                    SiteRow(site.pk, labels.get(site.pk, site.hostname), *totals[site.pk]) for site in self.report_sites
                ],
                "scope_name": labels.get(self.selected_site.pk) if self.selected_site else _("全部站点"),
            }
        )
        return context

    def export_rows(self, points):
        yield [_("站点"), _("日期") if self.daily else _("月份"), _("访问量"), _("独立访客")]
        labels = site_labels()
        series = queries.daily if self.daily else queries.monthly
        for site in self.report_sites:
            for point in series(site, self.first, self.end):
                when = point.start.isoformat() if self.daily else point.start.strftime("%Y-%m")
                yield [labels.get(site.pk, site.hostname), when, point.views, point.visitors]
