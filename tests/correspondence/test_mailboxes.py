"""Public mailboxes: sending a letter, bad input, limits, lookup, published letters, privacy."""

import io
import re

import pytest
from django.contrib.auth.hashers import check_password
from PIL import Image
from post_office.models import STATUS, Email

from correspondence import services
from correspondence.models import Letter, LetterAttachment, LetterEvent, MailboxPage
from tests.helpers import answered_form, deliver_queued_mail, url_of


def mailbox(site="main", slug="jzxx") -> MailboxPage:
    hostname = {"main": "localhost", "jia": "jia.localhost", "yi": "yi.localhost"}[site]
    return MailboxPage.objects.get(slug=slug, path__startswith=_root_path(hostname))


def _root_path(hostname):
    from wagtail.models import Site

    return Site.objects.get(hostname=hostname).root_page.path


def form_defaults(client, url) -> dict:
    """What a person fills in, with the captcha answered."""
    html = client.get(url).content.decode()
    category = re.search(r'<option value="([^"]+)">', html.split('name="category"')[1]).group(1)
    return {
        **answered_form(client, url),
        "name": "赵小明",
        "phone": "13900009999",
        "email": "zhao.xm@example.com",
        "category": category,
        "subject": "咨询电子发票重复报销的查验办法",
        "content": "我单位财务人员发现有员工可能重复报销电子发票，请问有没有官方的查验办法？",
        "consent_publish": "on",
    }


def send(client, page, **changes):
    url = url_of(page)
    data = form_defaults(client, url)
    data.update(changes)
    data = {key: value for key, value in data.items() if value is not None}
    return client.post(url, data)


def pdf_file(name="证明.pdf", size=None):
    body = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    if size:
        body += b"0" * (size - len(body))
    return _upload(name, body, "application/pdf")


def png_file(name="照片.png"):
    buffer = io.BytesIO()
    Image.new("RGB", (20, 20), "white").save(buffer, format="PNG")
    return _upload(name, buffer.getvalue(), "image/png")


def _upload(name, body, content_type):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, body, content_type=content_type)


# ---- sending ------------------------------------------------------------------------------
def test_a_letter_is_saved_and_the_writer_gets_code_password_and_email(client):
    page = mailbox()
    before = Letter.objects.count()
    response = send(client, page, attachments=[pdf_file(), png_file()])
    assert response.status_code == 302 and response["Location"].endswith("/sent/")
    letter = Letter.objects.latest("pk")
    assert Letter.objects.count() == before + 1
    assert letter.subject == "咨询电子发票重复报销的查验办法" and letter.consent_publish
    assert [a.content_type for a in letter.attachments.order_by("pk")] == ["application/pdf", "image/png"]
    assert letter.events.filter(action=LetterEvent.Action.RECEIVED).exists()

    confirmation = client.get(response["Location"])
    html = confirmation.content.decode()
    assert confirmation.status_code == 200 and "no-store" in confirmation["Cache-Control"]
    assert letter.code in html
    password = re.search(r"密码</dt><dd><code>([A-Z0-9]+)</code>", html).group(1)
    assert password not in letter.password_hash and check_password(password, letter.password_hash)
    # shown once only
    assert client.get(response["Location"]).status_code == 302

    to_writer = [m for m in deliver_queued_mail() if m.to == ["zhao.xm@example.com"]]
    assert len(to_writer) == 1 and letter.code in to_writer[0].body and password not in to_writer[0].body


def test_the_due_date_counts_working_days_of_the_mailbox(client):
    page = mailbox(slug="wzzc")  # 网站找错: 3 working days
    send(client, page)
    letter = Letter.objects.latest("pk")
    from django.utils import timezone

    from portal.workdays import WorkCalendar

    # The day of receipt in the portal's time zone (Asia/Shanghai), not UTC's: after 16:00 UTC they differ.
    assert letter.due_date == WorkCalendar.load().add_workdays(timezone.localdate(letter.received_at), 3)


BAD_INPUT = [
    ({"name": ""}, "姓名：此项必填，请填写。"),
    ({"subject": "", "content": ""}, "内容：此项必填，请填写。"),
    ({"phone": "", "email": ""}, "电话和邮箱至少填写一项"),
    ({"email": "not-an-email"}, "请填写正确的电子邮箱地址"),
    ({"phone": "call me maybe"}, "请填写正确的电话号码"),
    ({"category": "不存在的类别"}, "来信类别：请从列表中选择。"),
    ({"category": ""}, "来信类别：请选择一项。"),
    ({"subject": "税" * 10_000}, "标题：最多 100 个字，现在是 10000 个字。"),
    ({"content": "太短"}, "内容：至少 10 个字，现在只有 2 个字。"),
    ({"content": "请看<script>alert(1)</script>这里"}, "不能包含网页代码"),
    ({"content": "<img src=x onerror=alert(1)>图片"}, "不能包含网页代码"),
    ({"captcha_1": "0000x"}, "验证码不正确"),
    ({"website": "http://spam.example"}, "提交未成功"),
    ({"started": "forged"}, "页面已过期"),
]


@pytest.mark.parametrize(("changes", "message"), BAD_INPUT)
def test_bad_input_shows_a_message_and_saves_nothing(client, changes, message):
    page = mailbox()
    before = Letter.objects.count()
    response = send(client, page, **changes)
    html = response.content.decode()
    assert response.status_code == 400
    assert message in html
    assert 'class="error-summary"' in html and 'href="#' in html
    assert Letter.objects.count() == before
    assert "<script>alert(1)</script>" not in html


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ([pdf_file(size=5 * 1024 * 1024 + 1)], "超过 5 MB"),
        ([_upload("发票.pdf", b"MZ\x90\x00 this is an exe", "application/pdf")], "不是有效的 PDF、JPG 或 PNG"),
        ([_upload("photo.png", b"\x89PNG\r\n\x1a\nnot really a png", "image/png")], "不是有效的 PDF、JPG 或 PNG"),
        ([pdf_file("1.pdf"), pdf_file("2.pdf"), pdf_file("3.pdf"), pdf_file("4.pdf")], "最多上传 3 个附件"),
    ],
)
def test_bad_attachments_are_refused_and_nothing_is_stored(client, files, message, settings):
    page = mailbox()

    def stored_files():
        return set(settings.PRIVATE_MEDIA_ROOT.rglob("*"))

    before = (Letter.objects.count(), LetterAttachment.objects.count(), stored_files())
    response = send(client, page, attachments=files)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert (Letter.objects.count(), LetterAttachment.objects.count(), stored_files()) == before


def test_undecodable_bytes_are_refused(client):
    page = mailbox()
    url = url_of(page)
    data = form_defaults(client, url)
    from urllib.parse import urlencode

    body = urlencode({k: v for k, v in data.items() if k != "content"}).encode() + b"&content=" + b"%FF%FE%FD" * 20
    before = Letter.objects.count()
    response = client.post(url, body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400
    assert "无法识别的字符" in response.content.decode()
    assert Letter.objects.count() == before


def test_sending_too_fast_is_refused(client, settings):
    settings.FORM_MIN_FILL_SECONDS = 60
    before = Letter.objects.count()
    response = send(client, mailbox())
    assert response.status_code == 400 and "提交过快" in response.content.decode()
    assert Letter.objects.count() == before


def test_a_new_captcha_keeps_what_was_typed(client):
    page = mailbox()
    response = send(client, page, new_captcha="1", subject="我已经写好的标题")
    html = response.content.decode()
    assert response.status_code == 200 and "我已经写好的标题" in html and "error-summary" not in html


def test_attachments_are_stored_outside_media_and_only_staff_can_download(client, settings, admin_client):
    page = mailbox()
    send(client, page, attachments=[pdf_file("收据.pdf")])
    attachment = LetterAttachment.objects.latest("pk")
    path = attachment.file.path
    assert path.startswith(str(settings.PRIVATE_MEDIA_ROOT)) and not path.startswith(str(settings.MEDIA_ROOT) + "/")
    download = f"/admin/letters/{attachment.letter_id}/attachments/{attachment.pk}/"
    assert client.get(download).status_code == 302  # to the login page
    response = admin_client.get(download)
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")


def test_a_mail_outage_loses_nothing(client, settings, caplog):
    settings.POST_OFFICE = {**settings.POST_OFFICE, "BACKENDS": {"default": "tests.failing_mail.EmailBackend"}}
    before = Letter.objects.count()
    response = send(client, mailbox())
    assert response.status_code == 302
    letter = Letter.objects.latest("pk")
    assert Letter.objects.count() == before + 1
    assert letter.code in client.get(response["Location"]).content.decode()
    # the mails wait in the outbox; the sender's failure keeps them there for the next attempt
    deliver_queued_mail()
    acknowledgement = Email.objects.get(to__contains="zhao.xm@example.com")
    assert acknowledgement.status == STATUS.requeued and letter.code in acknowledgement.message
    assert acknowledgement.logs.get().message == "mail server unreachable (test)"
    assert "Failed to send email" in caplog.text
    assert not letter.events.filter(action=LetterEvent.Action.MAIL_FAILED).exists()


def test_the_letter_rate_limit_answers_429_at_the_configured_count(client, settings):
    settings.LETTER_RATE_LIMIT = 2
    page = mailbox()
    before = Letter.objects.count()
    assert send(client, page).status_code == 302
    assert send(client, page).status_code == 302
    refused = send(client, page)
    assert refused.status_code == 429
    assert "提交过于频繁" in refused.content.decode() and refused["Retry-After"]
    assert Letter.objects.count() == before + 2
    # another address is not affected
    other = type(client)(HTTP_HOST="localhost:8000", REMOTE_ADDR="10.1.2.3")
    assert send(other, page).status_code == 302


def test_the_rate_limit_uses_the_forwarded_address_only_behind_a_trusted_proxy(rf, settings):
    from portal.ratelimit import client_ip

    request = rf.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="1.1.1.1, 203.0.113.9")
    assert client_ip(request) == "10.0.0.1"
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(request) == "203.0.113.9"


# ---- lookup -----------------------------------------------------------------------------------
def lookup(client, page, code, password):
    url = url_of(page) + "lookup/"
    return client.post(url, {**answered_form(client, url), "code": code, "password": password})


def test_lookup_shows_status_timeline_and_reply(client):
    letter = Letter.objects.filter(status=Letter.Status.REPLIED, site__hostname="localhost").first()
    response = lookup(client, letter.mailbox, letter.code.lower(), "demo2026")
    html = response.content.decode()
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    assert "已答复" in html and letter.reply[:30] in html and "收到来信" in html
    assert letter.phone not in html or not letter.phone


def test_lookup_never_reveals_whether_a_code_exists(client):
    letter = Letter.objects.filter(site__hostname="localhost").first()
    wrong_password = lookup(client, letter.mailbox, letter.code, "WRONG123")
    unknown_code = lookup(client, letter.mailbox, "XJ000000NOPE", "WRONG123")
    assert wrong_password.status_code == unknown_code.status_code == 400

    def message(response):
        return re.search(r'<div class="error-summary".*?</div>', response.content.decode(), re.S).group(0)

    assert message(wrong_password) == message(unknown_code)
    assert "查询码或密码不正确" in message(unknown_code)


def test_a_letter_found_through_another_mailbox_is_shown_under_its_own(client):
    director = mailbox(slug="jzxx")
    letter = Letter.objects.filter(mailbox=mailbox(slug="zxxx")).first()  # 纳税咨询
    response = lookup(client, director, letter.code, "DEMO2026")
    html = response.content.decode()
    assert response.status_code == 200 and letter.subject in html
    assert "<h1>纳税咨询：信件查询</h1>" in html and "局长信箱：信件查询" not in html
    assert "<title>信件查询_纳税咨询_" in html
    assert '<span aria-current="page">纳税咨询</span>' in html.split('class="breadcrumbs')[1].split("</nav>")[0]
    # the mailbox's own links: another lookup goes to the letter's mailbox
    assert f'href="{url_of(letter.mailbox)}lookup/">查询其他信件' in html


def test_a_letter_of_another_site_names_its_site_and_mailbox(client):
    letter = Letter.objects.filter(mailbox=mailbox("jia", "jzxx")).first()
    html = lookup(client, mailbox(slug="jzxx"), letter.code, "DEMO2026").content.decode()
    assert letter.subject in html
    assert "<h1>局长信箱（甲市税务局）：信件查询</h1>" in html


def test_failed_lookups_are_rate_limited(client, settings):
    settings.LOOKUP_RATE_LIMIT = 3
    letter = Letter.objects.filter(site__hostname="localhost").first()
    for _ in range(3):
        assert lookup(client, letter.mailbox, letter.code, "WRONG123").status_code == 400
    refused = lookup(client, letter.mailbox, letter.code, "DEMO2026")
    assert refused.status_code == 429 and letter.subject not in refused.content.decode()


# ---- published letters and privacy -----------------------------------------------------------
def test_published_letters_list_filters_and_detail(client):
    page = mailbox()
    published = Letter.objects.filter(mailbox=page, is_published=True)
    assert published.exists()
    html = client.get(url_of(page) + "letters/").content.decode()
    assert f"共 {published.count()} 封公开信件" in html
    first = published.first()
    by_category = client.get(url_of(page) + "letters/", {"category": first.category}).content.decode()
    assert f"共 {published.filter(category=first.category).count()} 封公开信件" in by_category
    year = first.received_at.year
    by_year = client.get(url_of(page) + "letters/", {"year": year}).content.decode()
    assert f"共 {published.filter(received_at__year=year).count()} 封公开信件" in by_year
    detail = client.get(url_of(page) + f"letters/{first.pk}/").content.decode()
    assert first.subject in detail and first.public_name in detail
    assert first.reply.split("\n")[0] in detail and first.content.split("\n")[0] in detail


def test_the_published_letters_link_is_worded_apart_from_the_mailbox_name(client):
    director = mailbox()  # 局长信箱
    count = Letter.objects.filter(mailbox=director, is_published=True).count()
    html = client.get(url_of(director.get_parent())).content.decode()
    assert "局长信箱公开信件" not in html
    assert f'href="{url_of(director)}letters/">局长信箱：已公开信件（{count} 封）</a>' in html
    listing = client.get(url_of(director) + "letters/").content.decode()
    assert "<h1>局长信箱：已公开信件</h1>" in listing


def test_unpublished_and_foreign_letters_are_not_found(client):
    page = mailbox()
    hidden = Letter.objects.filter(mailbox=page, is_published=False).first()
    assert client.get(url_of(page) + f"letters/{hidden.pk}/").status_code == 404
    other = Letter.objects.filter(is_published=True).exclude(mailbox=page).first()
    assert client.get(url_of(page) + f"letters/{other.pk}/").status_code == 404


def test_personal_data_never_appears_on_public_pages(site_client):
    for key, hostname in (("main", "localhost"), ("jia", "jia.localhost"), ("yi", "yi.localhost")):
        browser = site_client(key)
        pages = MailboxPage.objects.live().filter(path__startswith=_root_path(hostname))
        html = ""
        for page in pages:
            base = url_of(page)
            html += browser.get(base).content.decode()
            html += browser.get(base + "letters/").content.decode()
            html += browser.get(base + "statistics/").content.decode()
            for letter in Letter.objects.filter(mailbox=page, is_published=True):
                html += browser.get(base + f"letters/{letter.pk}/").content.decode()
        html += browser.get(url_of(pages.first().get_parent()) + "statistics/").content.decode()
        letters = Letter.objects.filter(site__hostname=hostname)
        assert letters.count() >= 15
        for letter in letters:
            for private in (letter.phone, letter.email, letter.name if len(letter.name) > 1 else ""):
                assert not private or private not in html, (letter.code, private)


def test_the_mailbox_page_shows_rules_deadline_and_recent_letters(client):
    page = mailbox()
    html = client.get(url_of(page)).content.decode()
    assert "受理须知" in html and "7 个工作日内答复" in html and "最多再延长 8 个工作日" in html
    assert 'enctype="multipart/form-data"' in html and "换一个验证码" in html
    assert "收听语音验证码（普通话）" in html
    # Enter in any field sends the letter: the browser presses the form's first submit button.
    form = html.split('<form method="post"')[1].split("</form>")[0]
    assert re.search(r'<button type="submit"[^>]*>([^<]+)</button>', form).group(1) == "提交来信"


def test_error_reporting_mailbox_is_linked_from_the_footer(client):
    page = mailbox(slug="wzzc")
    assert f'href="{url_of(page)}"' in client.get("/").content.decode()


def test_services_refuse_what_the_rules_forbid(admin_user):
    from django.core.exceptions import ValidationError

    letter = Letter.objects.filter(status=Letter.Status.REPLIED, consent_publish=False).first()
    with pytest.raises(ValidationError):
        services.set_published(letter, admin_user, True)
    with pytest.raises(ValidationError):
        services.answer(letter, admin_user, "再答复一次")
