"""Reading the filing calendar and the hall directory: a fixed number of queries each."""

from __future__ import annotations

import calendar as pycalendar
import re
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.navigation import public_only, site_root
from portal.sitedata import remember
from portal.workdays import WorkCalendar

from .models import FilingDeadline, ServiceHallPage
from .rules import holiday_name

MONTH_PATTERN = re.compile(r"^(\d{4})-(\d{1,2})$")
FIRST_YEAR, LAST_YEAR = 2000, 2100
WEEKDAY_NAMES = [
    gettext_lazy("周一"),
    gettext_lazy("周二"),
    gettext_lazy("周三"),
    gettext_lazy("周四"),
    gettext_lazy("周五"),
    gettext_lazy("周六"),
    gettext_lazy("周日"),
]


def parse_month(value: str) -> tuple[int, int] | None:
    """(year, month) from ``YYYY-MM``; None for anything else or out of range."""
    match = MONTH_PATTERN.match((value or "").strip())
    if not match:
        return None
    year, month = int(match.group(1)), int(match.group(2))
    if not (FIRST_YEAR <= year <= LAST_YEAR and 1 <= month <= 12):
        return None
    return year, month


def month_param(year: int, month: int) -> str:
    return f"{year:04d}-{month:02d}"


def month_label(year: int, month: int) -> str:
    return _("%(year)d年%(month)d月") % {"year": year, "month": month}


def _shift(year: int, month: int, step: int) -> tuple[int, int] | None:
    index = year * 12 + (month - 1) + step
    year, month = divmod(index, 12)
    return (year, month + 1) if FIRST_YEAR <= year <= LAST_YEAR else None


def _link(year_month):
    if year_month is None:
        return None
    return {"param": month_param(*year_month), "label": month_label(*year_month)}


def calendar_month(page, requested: str, today: date | None = None) -> dict:
    """The month table (weeks of day cells), that month's deadlines, the year's list and the
    neighbouring months. Two queries: the year's deadlines and the workday overrides."""
    today = today or timezone.localdate()
    parsed = parse_month(requested)
    year, month = parsed or (today.year, today.month)
    year_deadlines = list(page.deadlines.filter(date__year=year).order_by("date", "sort_order"))
    by_day: dict[date, list[FilingDeadline]] = {}
    for deadline in year_deadlines:
        by_day.setdefault(deadline.date, []).append(deadline)
    work = WorkCalendar.load()
    weeks = []
    for week in pycalendar.Calendar(firstweekday=0).monthdatescalendar(year, month):
        cells = []
        for day in week:
            if day.month != month:
                cells.append(None)
                continue
            workday = work.is_workday(day)
            cells.append(
                {
                    "date": day,
                    "deadlines": by_day.get(day, []),
                    "holiday": None if workday else holiday_name(day),
                    "makeup_workday": workday and day.weekday() >= 5,
                    "today": day == today,
                }
            )
        weeks.append(cells)
    return {
        "year": year,
        "month": month,
        "month_label": month_label(year, month),
        "month_invalid": bool(requested.strip()) and parsed is None,
        "requested_month": requested,
        "is_current_month": (year, month) == (today.year, today.month),
        "weekday_names": WEEKDAY_NAMES,
        "weeks": weeks,
        "month_deadlines": [d for d in year_deadlines if d.date.month == month],
        "year_deadlines": year_deadlines,
        "previous_month": _link(_shift(year, month, -1)),
        "next_month": _link(_shift(year, month, 1)),
        "current_month_param": month_param(today.year, today.month),
    }


def month_deadlines_for_home(home, today: date | None = None) -> list[FilingDeadline]:
    """This month's deadlines of the live calendar in the home page's tree (one query);
    each row's ``page`` is its calendar, for the link."""
    today = today or timezone.localdate()
    return list(
        FilingDeadline.objects.filter(
            page__live=True,
            page__path__startswith=home.path,
            page__locale_id=home.locale_id,
            date__year=today.year,
            date__month=today.month,
        )
        .select_related("page")
        .order_by("date", "sort_order")
    )


def hall_directory(index_page, requested_district: str, request=None) -> dict:
    """The halls below the index (the editor's order), its districts in order of first
    appearance, and the halls of the chosen district. One query."""
    halls = list(public_only(ServiceHallPage.objects.child_of(index_page).live(), request).order_by("path"))
    districts = list(dict.fromkeys(hall.district for hall in halls))
    district = requested_district.strip()
    shown = [hall for hall in halls if hall.district == district] if district in districts else halls
    return {
        "halls": shown,
        "hall_total": len(halls),
        "districts": districts,
        "district": district if district in districts else "",
        "district_unknown": bool(district) and district not in districts,
        "requested_district": district,
    }


def site_halls(request) -> list[ServiceHallPage]:
    """The current site's live halls in tree order, kept with the site data (one query after
    a save, none after that)."""

    def load():
        root = site_root(request)
        if root is None:
            return []
        return list(public_only(ServiceHallPage.objects.descendant_of(root).live(), request).order_by("path"))

    return remember(request, "service_halls", load)


def halls_named_in(text: str, request) -> list[ServiceHallPage]:
    """The site's halls whose name the text mentions (a local guide's 受理地点), in the order
    the text names them."""
    found = [(text.find(hall.title), hall) for hall in site_halls(request) if hall.title and hall.title in text]
    return [hall for _position, hall in sorted(found, key=lambda item: item[0])]
