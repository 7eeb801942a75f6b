"""The monthly filing deadline (征期截止日) and why it moved.

By default taxes declared monthly are due by the 15th. The implementing regulations of the
Tax Collection and Administration Law (第一百零九条) extend it:

1. when the period (the 1st to the 15th) contains a run of three or more consecutive
   days off that includes a public holiday, the deadline moves by the number of those days
   that fall inside the period;
2. when the last day is a day off (a weekend or a holiday), the deadline is the next
   working day.

Working days come from ``portal.workdays.WorkCalendar`` (the site's
``WorkdayOverride`` table first, then the ``chinesecalendar`` package, then Monday to
Friday); holiday names from ``chinesecalendar``. For 2026 this gives, for instance,
10月22日 (国庆节 1–7 October) and 8月17日 (the 15th is a Saturday).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import chinese_calendar

from portal.workdays import WorkCalendar

STANDARD_DAY = 15
MIN_HOLIDAY_RUN = 3
WEEKDAYS = "一二三四五六日"
# chinesecalendar's short Chinese names, as a notice would write them.
HOLIDAY_NAMES = {"清明": "清明节", "端午": "端午节", "中秋": "中秋节"}


@dataclass(frozen=True)
class Deadline:
    date: date
    holidays: tuple[str, ...] = ()  # holidays whose days inside the period extended it
    holiday_days: int = 0
    rest_day_shift: bool = False  # moved past days off at the end

    @property
    def extended(self) -> bool:
        return self.date.day != STANDARD_DAY

    def note(self) -> str:
        """Why the deadline is not the 15th, as the bureau's notices say it ("" if it is)."""
        if not self.extended:
            return ""
        target = f"{self.date.month}月{self.date.day}日"
        if self.holidays:
            names = "、".join(self.holidays)
            if self.rest_day_shift and self._last_shift_over_weekend:
                return f"因{names}假期顺延，遇休息日再顺延至{target}"
            return f"因{names}假期顺延至{target}"
        fifteenth = date(self.date.year, self.date.month, STANDARD_DAY)
        name = holiday_name(fifteenth)
        if name:
            return f"{self.date.month}月{STANDARD_DAY}日为{name}假期，顺延至{target}"
        if fifteenth.weekday() >= 5:
            return f"{self.date.month}月{STANDARD_DAY}日为星期{WEEKDAYS[fifteenth.weekday()]}，顺延至{target}"
        return f"{self.date.month}月{STANDARD_DAY}日为休息日，顺延至{target}"

    @property
    def _last_shift_over_weekend(self) -> bool:
        """The final move crossed only ordinary days off (no holiday of its own)."""
        day = self.date - timedelta(days=1)
        return holiday_name(day) is None


def holiday_name(day: date) -> str | None:
    """The public holiday ``day`` belongs to when it is a day off for it (not a make-up day)."""
    try:
        on_holiday, name = chinese_calendar.get_holiday_detail(day)
    except NotImplementedError:  # a year the package has no data for
        return None
    if not on_holiday or not name:
        return None
    chinese = chinese_calendar.Holiday(name).chinese
    return HOLIDAY_NAMES.get(chinese, chinese)


def _run_around(day: date, calendar: WorkCalendar) -> list[date]:
    """The consecutive days off that contain ``day``."""
    start = end = day
    while not calendar.is_workday(start - timedelta(days=1)):
        start -= timedelta(days=1)
    while not calendar.is_workday(end + timedelta(days=1)):
        end += timedelta(days=1)
    return [start + timedelta(days=n) for n in range((end - start).days + 1)]


def monthly_deadline(year: int, month: int, calendar: WorkCalendar | None = None) -> Deadline:
    """The filing deadline of ``year``-``month`` under the two rules above."""
    calendar = calendar or WorkCalendar.load()
    first, fifteenth = date(year, month, 1), date(year, month, STANDARD_DAY)
    visited: set[date] = set()
    holidays: list[str] = []
    holiday_days = 0
    for offset in range(STANDARD_DAY):
        day = first + timedelta(days=offset)
        if day in visited or calendar.is_workday(day):
            continue
        run = _run_around(day, calendar)
        inside = [d for d in run if first <= d <= fifteenth]
        visited.update(inside)
        names = [name for name in map(holiday_name, run) if name]
        if len(run) >= MIN_HOLIDAY_RUN and names:
            holiday_days += len(inside)
            holidays += [name for name in dict.fromkeys(names) if name not in holidays]
    deadline = fifteenth + timedelta(days=holiday_days)
    shifted = False
    while not calendar.is_workday(deadline):
        deadline += timedelta(days=1)
        shifted = True
    return Deadline(deadline, tuple(holidays), holiday_days, shifted)


def next_working_day(day: date, calendar: WorkCalendar | None = None) -> date:
    """``day`` itself, or the first working day after it (a yearly deadline on a day off)."""
    calendar = calendar or WorkCalendar.load()
    while not calendar.is_workday(day):
        day += timedelta(days=1)
    return day


def explain(day: date, calendar: WorkCalendar | None = None) -> str:
    """The extension note for a deadline an editor entered: the rule's note when ``day`` is
    the rule's deadline for its month, else ""."""
    deadline = monthly_deadline(day.year, day.month, calendar)
    return deadline.note() if deadline.date == day else ""
