"""Publication statistics (发文统计): content pages first published per site per month, the
ranking of the city sites by that count (发文量排名), and each site's share of monitored
pages updated on time.

What counts as a publication is what inspectors count as 信息发布: live pages of the types
that declare ``is_publication`` (``portal/pages.py``: articles, policy documents, policy
interpretations, service guides, interviews, consultations and surveys), by the month of
their *first* publication, in the site's own language tree. Columns, index pages, the home page, standard pages (about,
contact), the site map, the filing calendar and the service-hall pages are not counted.
The counts are aggregated in the database: one grouped query per site."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Q
from django.db.models.functions import Substr, TruncMonth
from django.utils import timezone
from wagtail.models import Page, Site

from portal.pages import page_types

from . import services

DEFAULT_MONTHS = 12


def month_start(day: date) -> date:
    return day.replace(day=1)


def add_months(month: date, count: int) -> date:
    index = month.year * 12 + month.month - 1 + count
    return date(index // 12, index % 12 + 1, 1)


def months_between(first: date, last: date) -> list[date]:
    """The first days of the months from ``first`` to ``last`` (both included)."""
    months, month = [], month_start(first)
    while month <= last:
        months.append(month)
        month = add_months(month, 1)
    return months


def default_period(today: date) -> tuple[date, date]:
    """The last ``DEFAULT_MONTHS`` months, the current one included."""
    last = month_start(today)
    return add_months(last, 1 - DEFAULT_MONTHS), last


@dataclass
class SiteStatistics:
    site: Site
    site_name: str
    is_city: bool
    by_month: dict[date, int]
    monitored: int = 0
    on_time: int = 0
    rank: int | None = None
    months: list[date] = field(default_factory=list)

    @property
    def monthly_counts(self) -> list[int]:
        return [self.by_month.get(month, 0) for month in self.months]

    @property
    def total(self) -> int:
        return sum(self.by_month.values())

    @property
    def on_time_share(self) -> float | None:
        """Share of monitored pages (columns and home page) that are not stale today."""
        return self.on_time / self.monitored if self.monitored else None

    @property
    def on_time_percent(self) -> str:
        share = self.on_time_share
        return "—" if share is None else f"{share * 100:.1f}%"


def counted_content_types() -> list[ContentType]:
    return list(ContentType.objects.get_for_models(*page_types("is_publication"), for_concrete_models=False).values())


def monthly_counts(site: Site, first: date, last: date) -> dict[date, int]:
    """Pages first published per month on ``site`` between the months ``first`` and ``last``."""
    return sites_monthly_counts([site], first, last)[site.pk]


def sites_monthly_counts(sites, first: date, last: date) -> dict[int, dict[date, int]]:
    """``monthly_counts`` of each of ``sites``, by site id: one query for all the sites whose
    home pages stand at the same depth (every site of a cluster), not one per site."""
    tz = timezone.get_current_timezone()
    start = timezone.make_aware(datetime.combine(month_start(first), time.min), tz)
    end = timezone.make_aware(datetime.combine(add_months(month_start(last), 1), time.min), tz)
    counts: dict[int, dict[date, int]] = {site.pk: {} for site in sites}
    by_length: dict[int, dict[tuple[str, int], int]] = {}
    for site in sites:
        root = site.root_page
        by_length.setdefault(len(root.path), {})[(root.path, root.locale_id)] = site.pk
    types = counted_content_types()
    for length, owners in by_length.items():
        in_sites = Q(pk__in=[])
        for path, locale_id in owners:
            in_sites |= Q(path__startswith=path, locale_id=locale_id)
        rows = (
            Page.objects.filter(
                in_sites, live=True, content_type__in=types, first_published_at__gte=start, first_published_at__lt=end
            )
            .annotate(root=Substr("path", 1, length), month=TruncMonth("first_published_at", tzinfo=tz))
            .values("root", "locale_id", "month")
            .annotate(count=Count("pk"))
            .order_by()
        )
        for row in rows:
            month = row["month"]
            month = month_start(timezone.localtime(month, tz).date() if isinstance(month, datetime) else month)
            site_counts = counts[owners[(row["root"], row["locale_id"])]]
            site_counts[month] = site_counts.get(month, 0) + row["count"]
    return counts


def rank_cities(rows: list[SiteStatistics]) -> None:
    """Rank the city sites by total count, most first; equal counts share a rank."""
    cities = sorted((row for row in rows if row.is_city), key=lambda row: -row.total)
    previous, rank = None, 0
    for position, row in enumerate(cities, 1):
        if row.total != previous:
            rank, previous = position, row.total
        row.rank = rank


def publication_statistics(first: date, last: date, today: date, sites=None) -> list[SiteStatistics]:
    """One row per site (default: every site), the city ranking computed over all city
    sites of the cluster even when ``sites`` is a subset, so a city sees its true rank."""
    months = months_between(first, last)
    rows = []
    cluster = services.ordered_sites()
    all_statuses = services.sites_statuses(cluster, today)
    all_counts = sites_monthly_counts(cluster, first, last)
    for site in cluster:
        statuses = all_statuses[site.pk]
        rows.append(
            SiteStatistics(
                site=site,
                site_name=statuses[0].site_name if statuses else site.site_name,
                is_city=not site.is_default_site,
                by_month=all_counts[site.pk],
                monitored=len(statuses),
                on_time=sum(1 for status in statuses if status.state != services.STALE),
                months=months,
            )
        )
    rank_cities(rows)
    if sites is not None:
        visible = {site.pk for site in sites}
        rows = [row for row in rows if row.site.pk in visible]
    return rows
