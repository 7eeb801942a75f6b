"""The answer clock of an application, in working days (portal/workdays.py), as the 条例 sets it:

* 第三十三条: an answer within 20 working days of receipt; one extension of at most 20 more,
  approved by the person in charge, with the applicant told (``extended``).
* 第三十条: a request to clarify (补正) must come within 7 working days of receipt, once; the
  clock stops, and on the day the clarification arrives it starts again from zero
  (``clock_start`` moves to that day). No clarification by the set time: the application is
  treated as withdrawn (see ``services.close_unclarified``).
* 第三十二条: the third party has 15 working days to give its opinion, and that time is not
  counted (``paused_workdays``). While a consultation runs the due date assumes the full 15; it
  moves forward when the opinion comes sooner.

The due date is always recomputed from these fields, never moved by hand.
"""

from __future__ import annotations

from datetime import date

from portal.workdays import WorkCalendar

ANSWER_WORKDAYS = 20
EXTENSION_WORKDAYS = 20
THIRD_PARTY_WORKDAYS = 15
CLARIFY_WITHIN_WORKDAYS = 7
CLARIFY_DEFAULT_WORKDAYS = 15  # the time given to clarify, when staff leave it to the default


def due_date(application, calendar: WorkCalendar) -> date:
    days = ANSWER_WORKDAYS + application.paused_workdays
    if application.extended:
        days += EXTENSION_WORKDAYS
    if application.consult_started_on is not None:  # a consultation running now
        days += THIRD_PARTY_WORKDAYS
    return calendar.add_workdays(application.clock_start, days)


def paused_by_consultation(started: date, ended: date, calendar: WorkCalendar) -> int:
    """Working days a consultation took, counted up to the third party's 15."""
    return min(calendar.workdays_between(started, ended), THIRD_PARTY_WORKDAYS)


def may_still_ask_to_clarify(received_on: date, today: date, calendar: WorkCalendar) -> bool:
    return calendar.workdays_between(received_on, today) <= CLARIFY_WITHIN_WORKDAYS
