"""Public statistics of a mailbox or a whole site, per month of a year.

Definitions (shown on the statistics page too):
- received: letters received in the month;
- answered: of those, letters answered (replied, or told in writing why they cannot be handled);
- on time: answered on or before the due date (the extended one, if extended);
- average working days: from receipt to answer, over the answered letters;
- open / overdue now: of the month's letters, not answered yet / not answered and past due today.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models.functions import ExtractYear
from django.utils import timezone

from portal.workdays import WorkCalendar

from .models import Letter


@dataclass
class Row:
    label: str
    received: int = 0
    answered: int = 0
    on_time: int = 0
    open_now: int = 0
    overdue_now: int = 0
    workdays: list[int] = field(default_factory=list)

    @property
    def on_time_rate(self) -> float | None:
        return round(100 * self.on_time / self.answered, 1) if self.answered else None

    @property
    def average_workdays(self) -> float | None:
        return round(sum(self.workdays) / len(self.workdays), 1) if self.workdays else None

    def add(self, letter: dict, calendar: WorkCalendar, today: date) -> None:
        self.received += 1
        received = timezone.localdate(letter["received_at"])
        if letter["answered_at"]:
            answered = timezone.localdate(letter["answered_at"])
            self.answered += 1
            self.on_time += answered <= letter["due_date"]
            self.workdays.append(calendar.workdays_between(received, answered))
        else:
            self.open_now += 1
            self.overdue_now += letter["due_date"] < today


def letters_for(mailboxes):
    return Letter.objects.filter(mailbox__in=mailboxes)


def years(mailboxes) -> list[int]:
    found = letters_for(mailboxes).annotate(year=ExtractYear("received_at")).values_list("year", flat=True)
    return sorted(set(found), reverse=True)


def year_table(mailboxes, year: int, today: date | None = None):
    """Twelve month rows, the year total, and one total row per mailbox; one query."""
    today = today or timezone.localdate()
    calendar = WorkCalendar.load()
    months = [Row(label=str(month)) for month in range(1, 13)]
    total = Row(label=str(year))
    by_mailbox = {mailbox.pk: Row(label=mailbox.title) for mailbox in mailboxes}
    letters = letters_for(mailboxes).filter(received_at__year=year)  # in local time (USE_TZ)
    for letter in letters.values("mailbox_id", "received_at", "answered_at", "due_date"):
        received = timezone.localdate(letter["received_at"])
        for row in (months[received.month - 1], total, by_mailbox[letter["mailbox_id"]]):
            row.add(letter, calendar, today)
    return months, total, [(mailbox, by_mailbox[mailbox.pk]) for mailbox in mailboxes]
