"""Outgoing mail through a durable outbox (发信队列, portal/outbox.py): every mail is a row in
django-post-office's queue, written in the transaction of the change that causes it; a public
POST never talks to a mail server; ``send_queued_mail`` delivers, retries with growing waits,
and gives up visibly; superusers see the queue and resend failed mails."""

import json
import re
import smtplib
import subprocess
import sys
import time
from datetime import timedelta
from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.mail import EmailMultiAlternatives, send_mail
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.core.management import get_commands
from django.utils import timezone
from post_office.models import STATUS, Email, Log
from wagtail.models import ModelLogEntry, Page

from correspondence import services
from correspondence.models import Letter, LetterEvent
from home.models import ColumnPage
from portal import outbox
from tests.correspondence.test_mailboxes import form_defaults, mailbox
from tests.helpers import answered_form, deliver_queued_mail, site_of, staff_client, url_of
from tests.portal.test_settings import CLEAN_ENV, ROOT

pytestmark = pytest.mark.django_db

OUTBOX = "/admin/outbox/"
WRITER = "zhao.xm@example.com"


class MailServer:
    """The mail server as the code that delivers mail meets it (Django's in-memory backend,
    which the tests deliver through): ``hang`` makes every connection wait, then time out, as a
    server that accepts and never answers does; ``refuse`` makes it refuse some addresses."""

    def __init__(self, monkeypatch):
        self.calls: list[list[str]] = []
        self.hang_seconds = 0.0
        self.refused: set[str] = set()
        self.failure: Exception | None = None
        original = LocmemBackend.send_messages

        def send_messages(backend, messages):
            for message in messages:
                self.calls.append(list(message.to))
            if self.hang_seconds:
                time.sleep(self.hang_seconds)
                raise TimeoutError("timed out waiting for the mail server (test)")
            if self.failure is not None:
                raise self.failure
            refused = {address: (550, b"5.1.1 mailbox unavailable") for m in messages for address in m.to}
            refused = {address: why for address, why in refused.items() if address in self.refused}
            if refused:
                raise smtplib.SMTPRecipientsRefused(refused)
            return original(backend, messages)

        monkeypatch.setattr(LocmemBackend, "send_messages", send_messages)


@pytest.fixture
def server(monkeypatch):
    return MailServer(monkeypatch)


def post_letter(client):
    page = mailbox()
    return client.post(url_of(page), form_defaults(client, url_of(page)))


def queued_to(address: str):
    return Email.objects.filter(to__contains=address)


def let_time_pass():
    """As if the retry wait were over: every waiting mail is due now."""
    Email.objects.filter(status__in=[STATUS.queued, STATUS.requeued]).update(
        scheduled_time=timezone.now() - timedelta(seconds=1)
    )


# ---- a public POST never waits for a mail server ------------------------------------------
def test_a_letter_post_with_a_hung_mail_server_answers_at_once_and_the_mail_goes_later(client, server):
    server.hang_seconds = 3
    started = time.monotonic()
    response = post_letter(client)
    elapsed = time.monotonic() - started
    assert response.status_code == 302 and response["Location"].endswith("/sent/")
    assert server.calls == [], "the POST talked to the mail server"
    assert elapsed < 2.5, f"the POST took {elapsed:.1f} s"
    html = client.get(response["Location"]).content.decode()
    letter = Letter.objects.latest("pk")
    assert letter.code in html and re.search(r"密码</dt><dd><code>[A-Z0-9]{8}</code>", html)
    # both mails wait in the outbox, in the letter's transaction; nothing has been sent
    assert queued_to(WRITER).get().status == STATUS.queued
    assert queued_to(letter.department.email).get().status == STATUS.queued
    assert mail.outbox == []
    assert letter.events.filter(action=LetterEvent.Action.MAILED).count() == 2

    server.hang_seconds = 0
    sent = deliver_queued_mail()
    to_writer = [message for message in sent if message.to == [WRITER]]
    assert len(to_writer) == 1 and letter.code in to_writer[0].body
    assert queued_to(WRITER).get().status == STATUS.sent


def test_a_letter_rolled_back_after_its_mail_was_queued_leaves_no_mail():
    page = mailbox()
    letters, mails = Letter.objects.count(), Email.objects.count()
    queued_before_the_failure = []

    def staff_notice_fails(*args, **kwargs):
        queued_before_the_failure.append(Email.objects.count() - mails)
        raise RuntimeError("the department notice failed (test)")

    data = {"name": "赵小明", "email": WRITER, "subject": "回滚测试", "category": "咨询", "content": "内容"}
    with mock.patch.object(services, "_mail_staff", side_effect=staff_notice_fails), pytest.raises(RuntimeError):
        services.submit_letter(page, site_of("main"), data, [], "zh-hans")
    assert queued_before_the_failure == [1]  # the writer's acknowledgement was in the queue …
    assert Letter.objects.count() == letters and Email.objects.count() == mails  # … and went with the letter
    assert deliver_queued_mail() == []


def test_a_saved_letter_always_has_its_mail_queued_in_its_transaction(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        response = post_letter(client)
    assert response.status_code == 302
    letter = Letter.objects.latest("pk")
    assert callbacks == []  # nothing waits for the commit: the mail rows are part of it
    acknowledgement = queued_to(WRITER).get()
    assert acknowledgement.subject == f"来信已收到：{letter.subject}" and letter.code in acknowledgement.message
    assert acknowledgement.created >= letter.received_at
    assert acknowledgement.message_id.endswith("@tax-shili.example>")  # not this machine's name from DNS


def test_a_mail_that_cannot_be_queued_is_noted_on_the_letter_which_is_kept(client, caplog):
    with mock.patch.object(outbox.QueueBackend, "send_messages", side_effect=ValueError("queue refused (test)")):
        response = post_letter(client)
    assert response.status_code == 302
    letter = Letter.objects.latest("pk")
    assert letter.events.filter(action=LetterEvent.Action.MAIL_FAILED).count() == 2
    assert "Mail about letter" in caplog.text and letter.code in client.get(response["Location"]).content.decode()


# ---- retries, failure, resending -----------------------------------------------------------
def test_a_failing_smtp_server_is_retried_with_growing_waits_then_the_mail_is_marked_failed(server, settings):
    server.failure = smtplib.SMTPServerDisconnected("Connection unexpectedly closed (test)")
    send_mail("测试邮件", "正文", None, ["someone@example.com"])
    email = Email.objects.get(to__contains="someone@example.com")
    retries = settings.POST_OFFICE["MAX_RETRIES"]
    interval = settings.POST_OFFICE["RETRY_INTERVAL"]
    waits = []
    for attempt in range(1, retries + 2):
        assert deliver_queued_mail() == []
        email.refresh_from_db()
        if attempt <= retries:
            assert email.status == STATUS.requeued and email.number_of_retries == attempt
            waits.append(email.scheduled_time - email.last_updated)
            assert deliver_queued_mail() == [] and len(server.calls) == attempt  # not before its time
            let_time_pass()
    assert waits == [interval * 2**n for n in range(retries)]  # 5, 10, 20 … minutes
    assert email.status == STATUS.failed and len(server.calls) == retries + 1
    assert Log.objects.filter(email=email, status=STATUS.failed).count() == retries + 1
    let_time_pass()
    deliver_queued_mail()
    assert len(server.calls) == retries + 1  # a failed mail is not tried again by itself

    html = staff_client("admin").get(OUTBOX, {"status": STATUS.failed}).content.decode()
    row = listing_rows(html)["someone@example.com"]
    assert row[1:5] == [
        "测试邮件",
        "发送失败",
        str(retries + 1),
        "SMTPServerDisconnected: Connection unexpectedly closed (test)",
    ]


def test_a_refused_address_fails_alone(server):
    server.refused = {"bad@example.com"}
    send_mail("一", "正文", None, ["bad@example.com"])
    send_mail("二", "正文", None, ["good@example.com"])
    sent = deliver_queued_mail()
    assert [message.to for message in sent] == [["good@example.com"]]
    assert Email.objects.get(to__contains="bad@example.com").status == STATUS.requeued
    assert Log.objects.get(email__to__contains="bad@example.com").exception_type == "SMTPRecipientsRefused"


def failed_mail(server, address="failed@example.com") -> Email:
    server.failure = smtplib.SMTPException("451 try later (test)")
    send_mail("失败的邮件", "正文", None, [address])
    email = Email.objects.get(to__contains=address)
    Email.objects.filter(pk=email.pk).update(status=STATUS.failed)
    Log.objects.create(email=email, status=STATUS.failed, exception_type="SMTPException", message="451 try later")
    server.failure = None
    return email


def listing_rows(html: str) -> dict[str, list[str]]:
    """Each row of the listing's table, by its first cell, as its cells' text."""
    rows = {}
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", html, re.S):
        cells = [re.sub(r"<[^>]+>", " ", cell) for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
        cells = [" ".join(cell.split()).replace("重新发送", "").strip() for cell in cells]
        if cells:
            rows[cells[0]] = cells
    return rows


def resend_url(html: str, address: str) -> str:
    label = f"重新发送给 {address} 的邮件"
    return re.search(rf'<a href="([^"]+)"[^>]*aria-label="{label}"[^>]*>.*?重新发送\s*</a>', html, re.S).group(1)


def test_superusers_resend_a_failed_mail_with_the_csrf_token(server):
    email = failed_mail(server)
    admin = staff_client("admin")
    admin.handler.enforce_csrf_checks = True
    html = admin.get(OUTBOX).content.decode()
    url = resend_url(html, "failed@example.com")
    assert url == f"{OUTBOX}resend/{email.pk}/"
    assert admin.post(url).status_code == 403  # no CSRF token
    confirm = admin.get(url)
    page = confirm.content.decode()
    assert confirm.status_code == 200 and "failed@example.com" in page and "重新放入发信队列" in page
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    response = admin.post(url, {"csrfmiddlewaretoken": token}, follow=True)
    assert (
        response.status_code == 200
        and "已将发给 failed@example.com 的邮件重新放入发信队列" in response.content.decode()
    )
    email.refresh_from_db()
    assert email.status == STATUS.queued and email.number_of_retries == 0
    assert [message.to for message in deliver_queued_mail()] == [["failed@example.com"]]
    email.refresh_from_db()
    assert email.status == STATUS.sent
    entry = ModelLogEntry.objects.get(action=outbox.RESEND_ACTION)
    assert entry.user.username == "admin" and entry.label == f"#{email.pk}"  # no address in the history
    # only a failed mail can be resent
    assert admin.get(url).status_code == 404


def test_city_staff_cannot_see_the_outbox_or_resend(server):
    email = failed_mail(server)
    for username in ("jia_editor", "jia_admin", "sheng_admin"):
        client = staff_client(username)
        refused = client.get(OUTBOX)  # Wagtail answers PermissionDenied with a redirect and a message
        assert refused.status_code == 302 and refused["Location"] == "/admin/", username
        assert client.get(OUTBOX, HTTP_X_REQUESTED_WITH="XMLHttpRequest").status_code == 403
        resend = f"{OUTBOX}resend/{email.pk}/"
        assert client.post(resend).status_code == 302
        assert client.post(resend, HTTP_X_REQUESTED_WITH="XMLHttpRequest").status_code == 403
        dashboard = client.get("/admin/").content.decode()
        assert OUTBOX not in dashboard and "发送失败" not in dashboard
    email.refresh_from_db()
    assert email.status == STATUS.failed
    groups = staff_client("admin").get("/admin/groups/new/").content.decode()
    assert "post_office" not in groups and "can view email" not in groups.lower()


def test_the_outbox_lists_recipients_and_subjects_never_bodies_and_offers_no_edits(server):
    email = failed_mail(server)
    Email.objects.filter(pk=email.pk).update(message="来信内容：绝密的正文")
    admin = staff_client("admin")
    html = admin.get(OUTBOX).content.decode()
    assert "发信队列" in html and "failed@example.com" in html and "失败的邮件" in html
    for heading in ["收件人", "主题", "状态", "尝试次数", "最近一次错误", "下次尝试", "加入队列"]:
        assert heading in html
    assert "绝密的正文" not in html
    assert f"{OUTBOX}edit/" not in html and f"{OUTBOX}delete/" not in html and f"{OUTBOX}new/" not in html
    for path in (f"{OUTBOX}new/", f"{OUTBOX}edit/{email.pk}/", f"{OUTBOX}delete/{email.pk}/"):
        assert admin.get(path).status_code == 404


def test_the_dashboard_tells_superusers_of_failed_and_late_mail(server):
    admin = staff_client("admin")
    assert "发信队列" not in panel_text(admin.get("/admin/").content.decode())
    failed_mail(server)
    assert "1 封邮件发送失败" in panel_text(admin.get("/admin/").content.decode())
    send_mail("迟迟未发", "正文", None, ["late@example.com"])
    Email.objects.filter(to__contains="late@example.com").update(created=timezone.now() - timedelta(minutes=20))
    text = panel_text(admin.get("/admin/").content.decode())
    assert "1 封邮件到发送时间已超过 15 分钟仍未发出" in text
    assert "有 1 封邮件到发送时间已超过 15 分钟仍未发出" in admin.get(OUTBOX).content.decode()


def panel_text(html: str) -> str:
    found = re.search(r'id="portal-outbox-section".*?</section>', html, re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", found.group(0)).split()) if found else ""


# ---- every kind of mail goes through the queue ---------------------------------------------
def test_wagtail_workflow_mail_is_queued(server):
    editor = get_user_model().objects.get(username="jia_editor")
    page = Page.objects.get(pk=site_of("jia").root_page.pk).get_children().live().first().specific
    page.save_revision(user=editor)
    page.get_workflow().start(page, editor)
    assert server.calls == [] and queued_to("jia_reviewer@tax-shili.example").exists()
    assert "jia_reviewer@tax-shili.example" in {address for m in deliver_queued_mail() for address in m.to}


def test_the_password_reset_mail_is_queued(client, server):
    user = get_user_model().objects.get(username="jia_editor")
    response = client.post("/admin/password_reset/", {"email": user.email})
    assert response.status_code == 302 and server.calls == []
    assert queued_to(user.email).get().status == STATUS.queued
    (message,) = deliver_queued_mail()
    assert message.to == [user.email] and "/admin/password_reset/confirm/" in message.body


def test_the_subscription_confirmation_is_queued(client, server):
    column = ColumnPage.objects.descendant_of(site_of("main").root_page).get(slug="swyw")  # 税务要闻
    url = f"/subscribe/{column.pk}/"
    data = {**answered_form(client, url), "email": "reader@example.com", "consent": "on"}
    assert client.post(url, data).status_code == 302
    assert server.calls == [] and queued_to("reader@example.com").get().status == STATUS.queued
    (message,) = deliver_queued_mail()
    assert "/subscribe/confirm/" in message.body


def test_mail_is_kept_exactly_as_written_not_rendered_as_a_template(server):
    subject = "关于 {{ settings.SECRET_KEY }} 与 {% if %} 的问题"
    body = "{{{TEST}}} {# 注释 #} {% endverbatim %} {% load static %}{% static 'x' %}"
    message = EmailMultiAlternatives(subject, body, None, ["writer@example.com"])
    message.attach_alternative(f"<p>{body}</p>", "text/html")
    message.send()
    (delivered,) = deliver_queued_mail()
    assert delivered.subject == subject and delivered.body == body
    assert delivered.alternatives[0][0] == f"<p>{body}</p>"


# ---- configuration -------------------------------------------------------------------------
def test_cron_runs_the_portals_sender_every_minute_and_cleans_up_after_90_days():
    assert get_commands()["send_queued_mail"] == "portal"  # post_office's, with growing waits
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("#### Scheduled jobs (cron)", 1)[1].split("```", 2)[1]
    lines = {
        line.split("manage.py", 1)[1].split("#")[0].strip(): line.split()[:5]
        for line in block.splitlines()
        if "manage.py" in line
    }
    assert lines["send_queued_mail"] == ["*", "*", "*", "*", "*"]
    assert "cleanup_mail --days 90 --delete-attachments" in lines


PROBE = """
import json, django
from django.conf import settings
django.setup()
print(json.dumps({
    "backend": settings.EMAIL_BACKEND,
    "delivery": settings.POST_OFFICE["BACKENDS"]["default"],
    "priority": settings.POST_OFFICE["DEFAULT_PRIORITY"],
    "timeout": settings.EMAIL_TIMEOUT,
    "retries": settings.POST_OFFICE["MAX_RETRIES"],
}))
"""


def probe(module: str, **env) -> subprocess.CompletedProcess:
    production = {"SECRET_KEY": "outbox-test-" + "Zq8-vYb2_Lm4nP0rS6tU" * 3, "ALLOWED_HOSTS": "tax.example.gov.cn"}
    return subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env={**CLEAN_ENV, **production, "DJANGO_SETTINGS_MODULE": module, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_queues_every_mail_and_delivers_over_smtp_with_a_timeout():
    values = json.loads(probe("portal.settings.production").stdout)
    assert values == {
        "backend": "portal.outbox.EmailBackend",
        "delivery": "django.core.mail.backends.smtp.EmailBackend",
        "priority": "medium",
        "timeout": 10,
        "retries": 7,
    }
    values = json.loads(probe("portal.settings.dev", EMAIL_TIMEOUT="5").stdout)
    assert values["backend"] == "portal.outbox.EmailBackend" and values["timeout"] == 5
    assert values["delivery"] == "django.core.mail.backends.console.EmailBackend"
    refused = probe("portal.settings.production", EMAIL_BACKEND="portal.outbox.EmailBackend")
    assert refused.returncode != 0 and "not the outbox" in refused.stderr
