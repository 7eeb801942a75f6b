"""Working days (工作日): letter deadlines, interview written replies, filing deadlines.

A day is a working day by, in order: the site-editable override table
(``WorkdayOverride``, for years or changes the calendar package lacks), the
``chinesecalendar`` package (public holidays and official make-up working days, 调休),
and finally the plain rule Monday to Friday.

Counting follows the usual rule for deadlines: the day a letter arrives is not counted;
"7 working days" ends on the 7th working day after it.
"""

from __future__ import annotations

from datetime import date, timedelta

import chinese_calendar

from portal.models import WorkdayOverride


class WorkCalendar:
    """Load the overrides once, then answer many questions without queries."""

    def __init__(self, overrides: dict[date, bool] | None = None):
        self.overrides = overrides if overrides is not None else {}

    @classmethod
    def load(cls) -> WorkCalendar:
        return cls(dict(WorkdayOverride.objects.values_list("date", "is_workday")))

    def is_workday(self, day: date) -> bool:
        if day in self.overrides:
            return self.overrides[day]
        try:
            return chinese_calendar.is_workday(day)
        except NotImplementedError:  # a year the package has no data for
            return day.weekday() < 5

    def add_workdays(self, start: date, count: int) -> date:
        """The ``count``-th working day after ``start`` (``start`` itself not counted)."""
        day = start
        remaining = count
        while remaining > 0:
            day += timedelta(days=1)
            if self.is_workday(day):
                remaining -= 1
        return day

    def workdays_between(self, start: date, end: date) -> int:
        """Working days after ``start`` up to and including ``end`` (0 when end <= start)."""
        count = 0
        day = start
        while day < end:
            day += timedelta(days=1)
            if self.is_workday(day):
                count += 1
        return count
