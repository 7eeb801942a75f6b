"""The answer clock of an application, worked by hand against the 2025 calendar: 20 working
days from receipt across the National Day holiday (10月1日至8日 off, 9月28日 and 10月11日 make-up
working days), one extension of 20, 补正 restarting the clock, and the third party's time not
counted (15 working days at most)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from post_office.models import Email

from inforequests import services
from inforequests.models import Application
from inforequests.outcomes import Outcome, Reason

from .helpers import apply

pytestmark = pytest.mark.django_db
D = datetime.date


def test_twenty_working_days_across_national_day():
    # 9.26 (Fri) received: 9.28 (make-up Sunday) is day 1, 9.29 and 9.30 days 2-3, the holiday
    # 10.1-10.8 counts nothing, 10.9 is day 4, 10.11 (make-up Saturday) day 6, … 10.30 day 20.
    application = apply(on=D(2025, 9, 26))
    assert application.received_on == D(2025, 9, 26)
    assert application.due_date == D(2025, 10, 30)


def test_one_extension_of_twenty_working_days_told_to_the_applicant():
    application = apply(on=D(2025, 9, 26))
    services.extend(application, None, "需要调取多个年度的档案", on=D(2025, 10, 20))
    application.refresh_from_db()
    # 10.30 + 20 working days: 10.31, 11.3-7, 11.10-14, 11.17-21, 11.24-27 → 11.27
    assert application.due_date == D(2025, 11, 27) and application.extended
    with pytest.raises(ValidationError, match="只能延长一次"):
        services.extend(application, None, "再次延期")
    event = application.events.get(action="extended")
    assert event.public and event.note_for_applicant == "需要调取多个年度的档案"
    mail = Email.objects.filter(to=["zhao.xm@example.com"]).latest("pk")
    assert "延期答复" in mail.subject and "需要调取多个年度的档案" in mail.message


def test_an_extension_needs_a_reason_and_must_come_before_the_deadline():
    application = apply(on=D(2025, 9, 26))
    with pytest.raises(ValidationError, match="延期理由"):
        services.extend(application, None, "  ")
    with pytest.raises(ValidationError, match="届满前"):
        services.extend(application, None, "来不及了", on=D(2025, 10, 31))
    application.refresh_from_db()
    assert not application.extended and application.due_date == D(2025, 10, 30)


def test_clarification_stops_the_clock_and_restarts_it_from_the_day_it_arrives():
    application = apply(on=D(2025, 9, 26))
    services.request_clarification(application, None, "请写明文件名称", on=D(2025, 9, 29))
    application.refresh_from_db()
    assert application.status == Application.Status.CLARIFYING
    # the default time to clarify: 15 working days from 9.29 (9.30, 10.9-11, 10.13-17, 10.20-24, 10.27)
    assert application.clarify_deadline == D(2025, 10, 27)
    assert not application.is_overdue(today=D(2025, 12, 31))  # a stopped clock is never overdue
    services.clarify(application, "文件名称是……", on=D(2025, 10, 9))
    application.refresh_from_db()
    # the clock starts again at zero from 10.9: 10.10, 10.11 (make-up), 10.13-17, 10.20-24,
    # 10.27-31, 11.3-5 → the 20th working day is 11.5
    assert application.clock_start == D(2025, 10, 9)
    assert application.due_date == D(2025, 11, 5)
    assert application.status == Application.Status.PROCESSING


def test_clarification_is_asked_once_and_within_seven_working_days():
    late = apply(on=D(2025, 9, 26))
    # after 9.26: 9.28 (make-up Sunday), 9.29, 9.30, 10.9, 10.10, 10.11 (make-up Saturday) and
    # 10.13 are the 7 working days; 10.14 is the 8th
    with pytest.raises(ValidationError, match="7 个工作日"):
        services.request_clarification(late, None, "请补正", on=D(2025, 10, 14))
    services.request_clarification(late, None, "请补正", on=D(2025, 10, 13))
    late.refresh_from_db()
    services.clarify(late, "补正内容", on=D(2025, 10, 14))
    late.refresh_from_db()
    with pytest.raises(ValidationError, match="一次性"):
        services.request_clarification(late, None, "再补正一次", on=D(2025, 10, 15))


def test_third_party_time_is_not_counted_up_to_fifteen_working_days():
    application = apply(on=D(2025, 9, 26))
    services.start_consultation(application, None, "某企业", on=D(2025, 10, 9))
    application.refresh_from_db()
    # while it runs, the due date assumes the third party's full 15 working days
    assert application.due_date == D(2025, 11, 20)
    services.end_consultation(application, None, "不同意公开", on=D(2025, 10, 16))
    application.refresh_from_db()
    # 10.9 → 10.16 took 6 working days (10.10, 10.11, 10.13, 10.14, 10.15, 10.16), not counted
    assert application.paused_workdays == 6
    assert application.due_date == D(2025, 11, 7)


def test_a_consultation_longer_than_fifteen_working_days_counts_only_fifteen():
    application = apply(on=D(2025, 9, 26))
    services.start_consultation(application, None, "某企业", on=D(2025, 9, 29))
    services.end_consultation(application, None, "", on=D(2025, 12, 1))
    application.refresh_from_db()
    assert application.paused_workdays == 15


def test_a_missed_clarification_closes_the_application_as_withdrawn():
    application = apply(on=D(2025, 9, 26))
    services.request_clarification(application, None, "请补正", D(2025, 10, 10), on=D(2025, 9, 29))
    closed = services.close_unclarified(today=D(2025, 10, 11))
    application.refresh_from_db()
    assert [a.pk for a in closed] == [application.pk]
    assert application.outcome == Outcome.OTHER and application.reason == Reason.NO_CLARIFICATION
    assert application.decided_on == D(2025, 10, 11) and not application.is_open
    assert application.events.filter(action="withdrawn").exists()
    mail = Email.objects.filter(to=["zhao.xm@example.com"]).latest("pk")
    assert "已答复" in mail.subject and "逾期不补正" in mail.message
    # a clarification after that is refused
    with pytest.raises(ValidationError):
        services.clarify(application, "迟到的补正")


def test_the_clarification_deadline_itself_is_still_in_time():
    application = apply(on=D(2025, 9, 26))
    services.request_clarification(application, None, "请补正", D(2025, 10, 10), on=D(2025, 9, 29))
    assert services.close_unclarified(today=D(2025, 10, 10)) == []
    services.clarify(application, "按时补正", on=D(2025, 10, 10))
    application.refresh_from_db()
    assert application.status == Application.Status.PROCESSING
