"""Reply sign-off (签批): a mailbox whose replies a group approves before they are sent.

The demo's main 局长信箱 needs sign-off by 示例省税务局·审核 (sheng_reviewer); sheng_editor
handles its letters, sheng_admin (站点管理员) handles them too but is not in the group."""

import io
import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from correspondence import stats
from correspondence.models import Letter, LetterEvent, MailboxPage
from portal.workdays import WorkCalendar
from tests.helpers import answered_form, deliver_queued_mail, site_of, staff_client, url_of

pytestmark = pytest.mark.django_db

APPROVERS = "示例省税务局·审核"
REVIEWER_MAIL = "sheng_reviewer@tax-shili.example"
EDITOR_MAIL = "sheng_editor@tax-shili.example"
DRAFT = "孔先生您好！感谢您的建议，我局将于下月起每月举办一次数电票线上培训，并把录像放在本网站上。"
REVISED = "孔先生您好！感谢您的建议。我局将于下月起每月第二个周四晚上举办数电票线上培训，录像放在本网站“纳税服务”栏目。"
REASON = "请写明培训的具体时间和录像放在网站的哪个栏目。"


def director_mailbox() -> MailboxPage:
    return MailboxPage.objects.get(slug="jzxx", path__startswith=site_of("main").root_page.path)


@pytest.fixture
def letter():
    """An open letter of the main 局长信箱 whose writer gave an e-mail address and consented."""
    letter = Letter.objects.get(code="XJDEMOM03")
    assert letter.is_open and letter.email and letter.consent_publish and not letter.signoff
    return letter


def admin_page(letter):
    return f"/admin/letters/{letter.pk}/"


def action(letter, name):
    return f"{admin_page(letter)}{name}/"


def submit(letter, text=DRAFT, username="sheng_editor"):
    return staff_client(username).post(action(letter, "submit"), {"reply-text": text}, follow=True)


def lookup(letter) -> str:
    client = Client(HTTP_HOST="localhost:8000")
    url = url_of(letter.mailbox) + "lookup/"
    response = client.post(url, {**answered_form(client, url), "code": letter.code, "password": "DEMO2026"})
    assert response.status_code == 200
    return response.content.decode()


def steps(letter) -> list[tuple[str, str | None]]:
    """The timeline without the mail entries: (action, username)."""
    events = letter.events.exclude(action__in=[LetterEvent.Action.MAILED, LetterEvent.Action.MAIL_FAILED])
    return [(event.action, event.user.get_username() if event.user else None) for event in events]


# ---- the setting ------------------------------------------------------------------------------
def test_the_mailbox_offers_signoff_with_a_group_chosen_from_the_groups(admin_client):
    page = director_mailbox()
    html = admin_client.get(f"/admin/pages/{page.pk}/edit/").content.decode()
    assert "答复需签批" in html and "签批人" in html
    assert APPROVERS in html and "甲市税务局·站点管理员" in html  # every group can be chosen
    page.signoff_group = None
    with pytest.raises(ValidationError) as refused:
        page.full_clean()
    assert "请选择签批人" in str(refused.value)


# ---- submitting -------------------------------------------------------------------------------
def test_a_reply_submitted_for_signoff_waits_and_the_writer_sees_nothing_new(letter):
    deliver_queued_mail().clear()
    response = submit(letter)
    assert response.status_code == 200 and "已提交签批" in response.content.decode()
    letter.refresh_from_db()
    assert letter.status == Letter.Status.ASSIGNED and letter.reply == "" and letter.answered_at is None
    assert letter.signoff == Letter.Signoff.PENDING and letter.draft_reply == DRAFT
    assert letter.draft_by.get_username() == "sheng_editor"
    # The approvers are told (not the drafter, not other handlers); the writer gets nothing.
    assert [message.to for message in deliver_queued_mail()] == [[REVIEWER_MAIL]]
    assert mail.outbox[0].subject == f"请签批来信答复：{letter.subject}" and letter.code in mail.outbox[0].body
    assert steps(letter)[-1] == ("signoff_submitted", "sheng_editor")
    # The writer's lookup: still in hand, no reply, nothing about sign-off.
    html = lookup(letter)
    assert "办理中" in html and DRAFT not in html and "签批" not in html


def test_a_mailbox_that_needs_signoff_refuses_a_direct_reply(letter):
    editor = staff_client("sheng_editor")
    page = editor.get(admin_page(letter)).content.decode()
    assert "提交签批" in page and "发送答复" not in page
    deliver_queued_mail().clear()
    response = editor.post(action(letter, "reply"), {"reply-text": DRAFT}, follow=True)
    assert "请提交签批" in response.content.decode()
    letter.refresh_from_db()
    assert letter.is_open and letter.reply == "" and not letter.signoff and deliver_queued_mail() == []


def test_an_empty_reply_is_not_submitted(letter):
    response = submit(letter, text="  ")
    assert "答复内容" in response.content.decode()
    letter.refresh_from_db()
    assert not letter.signoff and not letter.draft_reply


# ---- approving --------------------------------------------------------------------------------
def test_an_approver_finds_the_reply_approves_it_and_it_is_sent_as_any_reply(letter):
    submit(letter)
    reviewer = staff_client("sheng_reviewer")
    listing = reviewer.get("/admin/letters/?signoff=pending")
    assert listing.status_code == 200 and letter.code in listing.content.decode()
    assert "待签批" in listing.content.decode()
    page = reviewer.get(admin_page(letter)).content.decode()
    assert DRAFT in page and "签批通过并发送" in page

    deliver_queued_mail().clear()
    response = reviewer.post(action(letter, "approve"), follow=True)
    assert "签批通过，已答复来信人" in response.content.decode()
    letter.refresh_from_db()
    assert letter.status == Letter.Status.REPLIED and letter.reply == DRAFT and letter.answered_at
    assert not letter.signoff and not letter.draft_reply
    assert [message.to for message in deliver_queued_mail()] == [[letter.email]] and DRAFT in mail.outbox[0].body
    assert steps(letter)[-3:] == [
        ("signoff_submitted", "sheng_editor"),
        ("signoff_approved", "sheng_reviewer"),
        ("replied", "sheng_editor"),
    ]
    # The writer sees the answer and when it was given, never who signed it off.
    html = lookup(letter)
    reviewer_name = get_user_model().objects.get(username="sheng_reviewer").get_full_name()
    assert "已答复" in html and DRAFT in html
    assert "签批" not in html and reviewer_name not in html and "sheng_reviewer" not in html
    # Publication works as for any reply.
    staff_client("sheng_editor").post(action(letter, "publish"))
    letter.refresh_from_db()
    assert letter.is_published


def test_a_returned_reply_goes_back_to_its_drafter_and_can_be_revised(letter):
    submit(letter)
    reviewer = staff_client("sheng_reviewer")
    refused = reviewer.post(action(letter, "return"), {"return-text": ""}, follow=True)
    assert "理由" in refused.content.decode()
    letter.refresh_from_db()
    assert letter.awaiting_signoff

    deliver_queued_mail().clear()
    response = reviewer.post(action(letter, "return"), {"return-text": REASON}, follow=True)
    assert "已退回修改" in response.content.decode()
    letter.refresh_from_db()
    assert letter.signoff == Letter.Signoff.RETURNED and letter.status == Letter.Status.ASSIGNED and not letter.reply
    assert [message.to for message in deliver_queued_mail()] == [[EDITOR_MAIL]]
    assert mail.outbox[0].subject == f"答复被退回修改：{letter.subject}" and REASON in mail.outbox[0].body
    event = letter.events.get(action=LetterEvent.Action.SIGNOFF_RETURNED)
    assert event.user.get_username() == "sheng_reviewer" and event.note == REASON
    # The handler sees the reason and the draft to revise; the writer sees neither.
    page = staff_client("sheng_editor").get(admin_page(letter)).content.decode()
    assert "答复被退回修改" in page and REASON in page and DRAFT in page
    assert REASON not in lookup(letter)

    submit(letter, text=REVISED)
    reviewer.post(action(letter, "approve"))
    letter.refresh_from_db()
    assert letter.status == Letter.Status.REPLIED and letter.reply == REVISED
    assert [name for name, _user in steps(letter)][-5:] == [
        "signoff_submitted",
        "signoff_returned",
        "signoff_submitted",
        "signoff_approved",
        "replied",
    ]


# ---- who may sign off ---------------------------------------------------------------------------
def test_the_drafter_cannot_sign_off_their_own_reply(letter):
    editor = get_user_model().objects.get(username="sheng_editor")
    editor.groups.add(Group.objects.get(name=APPROVERS))  # a drafter who is also an approver
    submit(letter)
    deliver_queued_mail().clear()
    client = staff_client("sheng_editor")
    for name, data in (("approve", {}), ("return", {"return-text": REASON})):
        response = client.post(action(letter, name), data, follow=True)
        assert response.status_code == 200 and "不能签批自己起草的答复" in response.content.decode()
    letter.refresh_from_db()
    assert letter.awaiting_signoff and letter.reply == "" and deliver_queued_mail() == []


@pytest.mark.parametrize("username", ["sheng_admin", "admin", "jia_reviewer", "sheng_secrecy"])
def test_users_outside_the_signoff_group_are_refused(letter, username):
    submit(letter)
    deliver_queued_mail().clear()
    client = staff_client(username)
    for name, data in (("approve", {}), ("return", {"return-text": REASON})):
        assert client.post(action(letter, name), data).status_code == 403, name
    letter.refresh_from_db()
    assert letter.awaiting_signoff and letter.reply == "" and deliver_queued_mail() == []


def test_a_handler_outside_the_group_sees_the_waiting_reply_without_the_sign_off_buttons(letter):
    submit(letter)
    client = staff_client("sheng_admin")
    page = client.get(admin_page(letter)).content.decode()
    assert DRAFT in page and "待签批" in page and "签批通过并发送" not in page
    response = client.post(action(letter, "approve"))
    assert response.status_code == 403 and APPROVERS in response.content.decode()


def test_approvers_see_only_the_letters_they_sign_off_and_cannot_handle_them(letter):
    reviewer = staff_client("sheng_reviewer")
    html = reviewer.get("/admin/letters/").content.decode()
    other_mailbox = Letter.objects.filter(site=site_of("main")).exclude(mailbox=letter.mailbox).first()
    other_site = Letter.objects.filter(site=site_of("jia"), mailbox__slug="jzxx").first()
    assert letter.code in html and other_mailbox.code not in html and other_site.code not in html
    assert reviewer.get(f"/admin/letters/{other_mailbox.pk}/").status_code == 404
    assert reviewer.post(action(letter, "submit"), {"reply-text": DRAFT}).status_code == 403
    assert reviewer.post(action(letter, "refuse"), {"refuse-text": "不予受理"}).status_code == 403
    letter.refresh_from_db()
    assert letter.is_open and not letter.signoff


# ---- deadlines and reminders ----------------------------------------------------------------------
def test_signoff_keeps_the_due_date_and_a_late_approval_is_late(letter):
    today = timezone.localdate()
    letter.due_date = today - timedelta(days=1)
    letter.save(update_fields=["due_date"])
    year = timezone.localdate(letter.received_at).year
    before = stats.year_table([letter.mailbox], year)[1]
    submit(letter)
    letter.refresh_from_db()
    assert letter.due_date == today - timedelta(days=1) and letter.is_overdue()
    staff_client("sheng_reviewer").post(action(letter, "approve"))
    letter.refresh_from_db()
    assert letter.due_date == today - timedelta(days=1) and timezone.localdate(letter.answered_at) > letter.due_date
    after = stats.year_table([letter.mailbox], year)[1]
    assert (after.answered, after.on_time) == (before.answered + 1, before.on_time)


def test_reminders_also_go_to_the_approvers_of_replies_waiting_near_or_past_the_due_date(letter):
    today = timezone.localdate()
    submit(letter)
    Letter.objects.filter(pk=letter.pk).update(due_date=WorkCalendar.load().add_workdays(today, 1))
    waiting = Letter.objects.get(code="XJDEMOM21")  # the demo's reply waiting for sign-off
    assert waiting.awaiting_signoff
    Letter.objects.filter(pk=waiting.pk).update(due_date=today - timedelta(days=2))
    deliver_queued_mail().clear()
    call_command("send_letter_reminders", stdout=io.StringIO(), stderr=io.StringIO())
    to_approvers = [message for message in deliver_queued_mail() if message.to == [REVIEWER_MAIL]]
    assert len(to_approvers) == 1 and to_approvers[0].subject.startswith("来信签批提醒：2 封")
    body = to_approvers[0].body
    assert set(re.findall(r"XJ[A-Z0-9]+", body)) == {letter.code, waiting.code}
    assert f"{waiting.code}《{waiting.subject}》" in body and "已超期" in body
    # The handlers are still reminded, and told the reply is with the approvers.
    handlers = "\n".join(message.body for message in mail.outbox if message not in to_approvers)
    assert letter.code in handlers and "答复待签批" in handlers
    sent = len(mail.outbox)
    call_command("send_letter_reminders", stdout=io.StringIO(), stderr=io.StringIO())
    assert len(deliver_queued_mail()) == sent  # once a day


def test_a_reply_waiting_long_before_its_due_date_is_not_reminded(letter):
    submit(letter)
    Letter.objects.filter(code__in=[letter.code, "XJDEMOM21"]).update(
        due_date=WorkCalendar.load().add_workdays(timezone.localdate(), 5)
    )
    deliver_queued_mail().clear()
    call_command("send_letter_reminders", stdout=io.StringIO(), stderr=io.StringIO())
    assert not [message for message in deliver_queued_mail() if message.to == [REVIEWER_MAIL]]


# ---- mailboxes without sign-off ------------------------------------------------------------------
def test_a_mailbox_without_signoff_replies_directly_and_has_nothing_to_submit():
    letter = Letter.objects.filter(site=site_of("main"), mailbox__slug="zxxx", status__in=Letter.OPEN_STATUSES).first()
    assert not letter.mailbox.signoff_required
    editor = staff_client("sheng_editor")
    page = editor.get(admin_page(letter)).content.decode()
    assert "发送答复" in page and "提交签批" not in page
    response = editor.post(action(letter, "submit"), {"reply-text": DRAFT}, follow=True)
    assert "无需签批" in response.content.decode()
    letter.refresh_from_db()
    assert not letter.signoff and not letter.draft_reply


# ---- the demo ----------------------------------------------------------------------------------
def test_the_demo_has_a_reply_waiting_and_one_approved_after_a_return():
    mailbox = director_mailbox()
    assert mailbox.signoff_required and mailbox.signoff_group.name == APPROVERS
    waiting = Letter.objects.get(code="XJDEMOM21")
    assert waiting.mailbox == mailbox and waiting.status == Letter.Status.ASSIGNED and waiting.awaiting_signoff
    assert waiting.draft_reply and not waiting.reply and waiting.draft_by.get_username() == "sheng_editor"
    assert steps(waiting)[-1] == ("signoff_submitted", "sheng_editor")
    assert waiting.code in staff_client("sheng_reviewer").get("/admin/letters/?signoff=pending").content.decode()

    approved = Letter.objects.get(code="XJDEMOM22")
    assert approved.status == Letter.Status.REPLIED and approved.is_published and not approved.signoff
    assert steps(approved) == [
        ("received", None),
        ("assigned", None),
        ("signoff_submitted", "sheng_editor"),
        ("signoff_returned", "sheng_reviewer"),
        ("signoff_submitted", "sheng_editor"),
        ("signoff_approved", "sheng_reviewer"),
        ("replied", "sheng_editor"),
        ("published", None),
    ]
    assert approved.events.get(action="signoff_returned").note


def test_a_demo_loaded_before_signoff_gets_it_with_its_signoff_letters():
    mailbox = director_mailbox()
    mailbox.signoff_required, mailbox.signoff_group = False, None
    mailbox.save_revision().publish()
    Letter.objects.filter(code__in=["XJDEMOM21", "XJDEMOM22"]).delete()
    call_command("load_demo", verbosity=0)
    mailbox = director_mailbox()
    assert mailbox.signoff_required and mailbox.signoff_group.name == APPROVERS
    assert mailbox.get_latest_revision().as_object().signoff_group_id == mailbox.signoff_group_id  # what editors open
    assert Letter.objects.get(code="XJDEMOM21").awaiting_signoff
    # Once: turned off again in the admin, a later run leaves it off.
    mailbox.signoff_required, mailbox.signoff_group = False, None
    mailbox.save_revision().publish()
    call_command("load_demo", verbosity=0)
    assert not director_mailbox().signoff_required
