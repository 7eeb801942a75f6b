"""Public reads of the visit figures (the staff report, the annual website report 网站年度报表).

Figures are what ``DailyVisits`` holds, i.e. as of the last flush (``manage.py flush_visits``
runs every five minutes; call ``visits.services.flush()`` first for up-to-the-second ones).

- **Views** (网站总访问量) are exact sums of the counted page views.
- **Visitors** (独立用户访问总量) of a period longer than a day are the **sum of each day's
  distinct visitors**: a visitor is counted once per site and day they come. The counter
  cannot tell that two days' visitors are the same person, by design (the salt of its
  visitor hashes is made new each day and thrown away: README "Visits (访问量统计)").

``site`` everywhere is a ``Site``, a site id, or an iterable of either (their figures added
up); dates are inclusive.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import NamedTuple

from django.db.models import Sum
from django.db.models.functions import TruncMonth

from .models import DailyVisits


class Totals(NamedTuple):
    views: int
    visitors: int


class Point(NamedTuple):
    """One day, or one month (``start`` is then its first day)."""

    start: datetime.date
    views: int
    visitors: int


def _site_ids(site) -> list[int]:
    if isinstance(site, Iterable) and not isinstance(site, (str, bytes)):
        return [getattr(item, "pk", item) for item in site]
    return [getattr(site, "pk", site)]


def _rows(site, start: datetime.date, end: datetime.date):
    return DailyVisits.objects.filter(site_id__in=_site_ids(site), day__gte=start, day__lte=end)


def totals(site, start_date: datetime.date, end_date: datetime.date) -> Totals:
    """(views, visitors) of ``site`` from ``start_date`` to ``end_date`` inclusive: for the
    annual report, ``totals(site, date(2025, 1, 1), date(2025, 12, 31))``. Visitors are the
    sum of the days' distinct visitors (see the module's note)."""
    found = _rows(site, start_date, end_date).aggregate(views=Sum("views"), visitors=Sum("visitors"))
    return Totals(found["views"] or 0, found["visitors"] or 0)


def by_site(sites, start_date: datetime.date, end_date: datetime.date) -> dict[int, Totals]:
    """:func:`totals` of each site (by id; every site asked for, zeros included), one query."""
    ids = _site_ids(sites)
    found = {
        row["site_id"]: Totals(row["views"] or 0, row["visitors"] or 0)
        for row in _rows(ids, start_date, end_date)
        .values("site_id")
        .annotate(views=Sum("views"), visitors=Sum("visitors"))
        .order_by()
    }
    return {site_id: found.get(site_id, Totals(0, 0)) for site_id in ids}


def daily(site, start_date: datetime.date, end_date: datetime.date) -> list[Point]:
    """Every day of the period, days without a visit included (zeros)."""
    found = {
        row["day"]: row
        for row in _rows(site, start_date, end_date)
        .values("day")
        .annotate(views=Sum("views"), visitors=Sum("visitors"))
        .order_by()
    }
    days = []
    day = start_date
    while day <= end_date:
        row = found.get(day)
        days.append(Point(day, row["views"], row["visitors"]) if row else Point(day, 0, 0))
        day += datetime.timedelta(days=1)
    return days


def first_of_months(start_date: datetime.date, end_date: datetime.date) -> list[datetime.date]:
    months = []
    month = start_date.replace(day=1)
    while month <= end_date:
        months.append(month)
        month = (month + datetime.timedelta(days=32)).replace(day=1)
    return months


def monthly(site, start_date: datetime.date, end_date: datetime.date) -> list[Point]:
    """Every month the period touches (its part inside the period), months without a visit
    included (zeros)."""
    found = {}
    for row in (
        _rows(site, start_date, end_date)
        .annotate(month=TruncMonth("day"))
        .values("month")
        .annotate(views=Sum("views"), visitors=Sum("visitors"))
        .order_by()
    ):
        month = row["month"]
        month = month.date() if isinstance(month, datetime.datetime) else month
        found[month] = row
    return [
        Point(month, found[month]["views"], found[month]["visitors"]) if month in found else Point(month, 0, 0)
        for month in first_of_months(start_date, end_date)
    ]
