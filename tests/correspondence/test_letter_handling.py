"""Handling letters: working days, statistics, the admin actions, site scoping, reminders.
(The captcha's audio alternative is tested in tests/test_captcha.py.)"""

import io
import re
from datetime import date, datetime, time

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from wagtail.models import Site

from correspondence import services, stats
from correspondence.models import (
    Letter,
    LetterDepartment,
    MailboxCategory,
    MailboxIndexPage,
    MailboxPage,
)
from portal.models import WorkdayOverride
from portal.workdays import WorkCalendar
from tests.helpers import deliver_queued_mail

pytestmark = pytest.mark.django_db


# ---- working days -----------------------------------------------------------------------------
def test_due_dates_skip_the_national_day_holiday_and_count_the_make_up_saturday():
    calendar = WorkCalendar()
    # Received Tue 29 Sep 2026: 30 Sep, then 1-7 Oct are holidays, Sat 10 Oct is a make-up day.
    assert calendar.add_workdays(date(2026, 9, 29), 7) == date(2026, 10, 14)
    # Extended by 8 working days from that deadline.
    assert calendar.add_workdays(date(2026, 10, 14), 8) == date(2026, 10, 26)
    assert calendar.workdays_between(date(2026, 9, 29), date(2026, 10, 14)) == 7
    assert calendar.is_workday(date(2026, 10, 10)) and not calendar.is_workday(date(2026, 10, 5))


def test_the_override_table_covers_years_the_calendar_package_lacks():
    friday = date(2027, 10, 1)  # the package has no 2027 data: weekdays count
    assert WorkCalendar.load().is_workday(friday)
    WorkdayOverride.objects.create(date=friday, is_workday=False, note="国庆节")
    WorkdayOverride.objects.create(date=date(2027, 9, 26), is_workday=True, note="调休上班")
    calendar = WorkCalendar.load()
    assert not calendar.is_workday(friday) and calendar.is_workday(date(2027, 9, 26))
    # Thu 30 Sep 2027 + 1 working day skips Fri 1 Oct and the weekend.
    assert calendar.add_workdays(date(2027, 9, 30), 1) == date(2027, 10, 4)


# ---- statistics -------------------------------------------------------------------------------
def _at(day: date, hour=10):
    return timezone.make_aware(datetime.combine(day, time(hour)))


@pytest.fixture
def seeded_mailbox():
    """A new mailbox with four letters of 2025 whose figures are worked out by hand."""
    index = MailboxIndexPage.objects.get(path__startswith=Site.objects.get(is_default_site=True).root_page.path)
    page = MailboxPage(
        title="统计测试信箱",
        slug="stats-test",
        kind="director",
        rules="<p>测试</p>",
        categories=[MailboxCategory(name="其他")],
    )
    index.add_child(instance=page)
    site = Site.objects.get(is_default_site=True)
    rows = [
        # received, answered, due (7 working days)
        (date(2025, 3, 3), date(2025, 3, 5), date(2025, 3, 12)),  # 2 working days, on time
        (date(2025, 3, 10), date(2025, 3, 24), date(2025, 3, 19)),  # 10 working days, late
        (date(2025, 5, 6), date(2025, 5, 9), date(2025, 5, 15)),  # after the May holiday: 3, on time
        (date(2025, 5, 20), None, date(2025, 5, 29)),  # still open
    ]
    for number, (received, answered, due) in enumerate(rows):
        assert services.due_date_for(page, _at(received)) == due  # the hand-computed deadline
        Letter.objects.create(
            mailbox=page,
            site=site,
            code=f"STATS{number}",
            password_hash="!",
            name="测试",
            subject="统计",
            category="其他",
            content="统计测试",
            received_at=_at(received),
            due_date=due,
            status=Letter.Status.REPLIED if answered else Letter.Status.ASSIGNED,
            answered_at=_at(answered, 16) if answered else None,
        )
    return page


def test_statistics_match_hand_computed_figures(seeded_mailbox):
    months, total, _ = stats.year_table([seeded_mailbox], 2025, today=date(2025, 5, 25))
    march, may = months[2], months[4]
    assert (march.received, march.answered, march.on_time, march.on_time_rate, march.average_workdays) == (
        2,
        2,
        1,
        50.0,
        6.0,
    )
    assert (may.received, may.answered, may.on_time, may.open_now, may.overdue_now) == (2, 1, 1, 1, 0)
    assert (total.received, total.answered, total.on_time, total.on_time_rate, total.average_workdays) == (
        4,
        3,
        2,
        66.7,
        5.0,
    )
    # After the open letter's deadline it counts as overdue.
    assert stats.year_table([seeded_mailbox], 2025, today=date(2025, 6, 3))[1].overdue_now == 1


def test_the_statistics_page_shows_the_table_and_an_accessible_chart(client, seeded_mailbox):
    html = client.get(seeded_mailbox.url + "statistics/?year=2025").content.decode()
    assert "2025年逐月办理情况" in html
    assert '<th scope="row">3月</th>\n    <td>2</td><td>2</td><td>1</td><td>50.0%</td><td>6.0</td>' in html
    assert 'role="img" aria-labelledby="chart-title"' in html
    assert "<td>4</td><td>3</td><td>2</td><td>66.7%</td><td>5.0</td><td>1</td><td>1</td>" in html


def test_site_statistics_break_down_by_mailbox(client):
    index = MailboxIndexPage.objects.get(path__startswith=Site.objects.get(is_default_site=True).root_page.path)
    html = client.get(index.url + "statistics/").content.decode()
    assert "各信箱办理情况" in html
    for title in MailboxPage.objects.child_of(index).values_list("title", flat=True):
        assert title in html


# ---- admin: actions, scoping ------------------------------------------------------------------
def staff(username):
    client = Client(HTTP_HOST="localhost:8000")
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username=username))
    return client


def open_letter(hostname="localhost"):
    return Letter.objects.filter(site__hostname=hostname, status__in=Letter.OPEN_STATUSES, extended=False).first()


def test_reply_extend_and_publish_from_the_admin(admin_client):
    letter = open_letter()
    base = f"/admin/letters/{letter.pk}/"
    assert admin_client.get(base).status_code == 200
    department = LetterDepartment.objects.filter(site=letter.site).exclude(email="").first()
    mail.outbox.clear()
    admin_client.post(base + "assign/", {"department": department.pk})
    assert [message.to for message in deliver_queued_mail()] == [[department.email]]
    assert letter.code in mail.outbox[0].body
    admin_client.post(base + "extend/", {"extend-text": "需要向外省税务机关核实情况"})
    letter.refresh_from_db()
    assert letter.extended and letter.status == Letter.Status.EXTENDED and letter.department == department
    # only once
    response = admin_client.post(base + "extend/", {"extend-text": "再延一次"}, follow=True)
    assert "每封信件只能延期一次" in response.content.decode()

    deliver_queued_mail().clear()
    admin_client.post(base + "reply/", {"reply-text": "您好！经核实，您反映的问题已解决。"})
    letter.refresh_from_db()
    assert letter.status == Letter.Status.REPLIED and letter.answered_at
    if letter.email:
        assert any("经核实" in message.body and message.to == [letter.email] for message in deliver_queued_mail())
    steps = [a for a in letter.events.values_list("action", flat=True) if a in ("assigned", "extended", "replied")]
    assert steps[-3:] == ["assigned", "extended", "replied"]
    assert letter.events.filter(action="replied").first().user.is_superuser

    letter.consent_publish = True
    letter.save()
    admin_client.post(base + "publish/")
    letter.refresh_from_db()
    assert letter.is_published
    assert letter.subject in Client(HTTP_HOST="localhost:8000").get(letter.mailbox.url + "letters/").content.decode()


def test_an_empty_reply_is_refused_and_changes_nothing(admin_client):
    letter = open_letter()
    response = admin_client.post(f"/admin/letters/{letter.pk}/reply/", {"reply-text": ""}, follow=True)
    assert "答复内容" in response.content.decode()
    letter.refresh_from_db()
    assert letter.is_open and not letter.reply


def test_a_city_editor_sees_only_their_sites_letters():
    jia = staff("jia_editor")
    own = open_letter("jia.localhost")
    other = Letter.objects.filter(site__hostname="localhost").first()
    listing = jia.get("/admin/letters/?status=&q=")
    html = listing.content.decode()
    assert listing.status_code == 200 and own.code in html and other.code not in html
    assert jia.get(f"/admin/letters/{own.pk}/").status_code == 200
    assert jia.get(f"/admin/letters/{other.pk}/").status_code == 404
    assert jia.post(f"/admin/letters/{other.pk}/reply/", {"reply-text": "越权答复"}).status_code == 404
    other.refresh_from_db()
    assert "越权答复" not in other.reply


def test_the_overdue_filter_lists_only_overdue_letters(admin_client):
    html = admin_client.get("/admin/letters/?overdue=true").content.decode()
    today = timezone.localdate()
    letters = list(Letter.objects.all())
    overdue = {letter.code for letter in letters if letter.is_overdue(today)}
    assert 0 < len(overdue) <= 30  # one page of results
    assert {letter.code for letter in letters if letter.code in html} == overdue


def filter_options(html: str, name: str) -> list[str]:
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', html, re.S).group(1)
    return [label.strip() for label in re.findall(r"<option[^>]*>([^<]*)</option>", select) if label.strip("- \n")]


def test_the_mailbox_filter_names_each_mailboxs_site(admin_client):
    options = filter_options(admin_client.get("/admin/letters/").content.decode(), "mailbox")
    assert options.count("局长信箱（示例省税务局）") == options.count("局长信箱（甲市税务局）") == 1
    assert "局长信箱（乙市税务局）" in options and "纳税咨询（示例省税务局）" in options
    assert "局长信箱" not in options
    assert len(options) == len(set(options)) == MailboxPage.objects.count()
    # a city editor's filter offers their own site's mailboxes, named the same way
    city = filter_options(staff("jia_editor").get("/admin/letters/").content.decode(), "mailbox")
    assert city and all(option.endswith("（甲市税务局）") for option in city)


def test_letters_cannot_be_added_or_deleted_in_the_admin(admin_client):
    from django.urls import NoReverseMatch, reverse

    for name in ("letters:add", "letters:delete"):
        with pytest.raises(NoReverseMatch):
            reverse(name, args=() if name.endswith("add") else (1,))


# ---- reminders --------------------------------------------------------------------------------
def test_reminders_go_out_once_a_day_to_the_responsible_staff():
    today = timezone.localdate()
    due_soon = Letter.objects.filter(status__in=Letter.OPEN_STATUSES).first()
    due_soon.due_date = WorkCalendar.load().add_workdays(today, 1)
    due_soon.save()
    mail.outbox.clear()
    call_command("send_letter_reminders", stdout=io.StringIO(), stderr=io.StringIO())
    first = len(deliver_queued_mail())
    assert first >= 1
    bodies = "\n".join(message.body for message in mail.outbox)
    assert due_soon.code in bodies
    overdue = [letter for letter in Letter.objects.all() if letter.is_overdue(today)]
    assert all(letter.code in bodies for letter in overdue if letter.department and letter.department.email)
    call_command("send_letter_reminders", stdout=io.StringIO(), stderr=io.StringIO())
    assert len(deliver_queued_mail()) == first


def test_letters_can_be_assigned_only_to_staff_of_the_letters_site():
    from correspondence.forms import staff_of

    jia_letter = open_letter("jia.localhost")
    names = set(staff_of(jia_letter.mailbox).values_list("username", flat=True))
    assert "jia_editor" in names and "admin" in names and "yi_editor" not in names
