"""E-mail alerts for a column: the 邮件订阅 form, double opt-in, unsubscribing, and the
``send_column_alerts`` command; no address ever on a public page."""

import io
import itertools
import re
import time
from unittest import mock

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from wagtail.models import PageViewRestriction

from home.models import ArticlePage, ColumnPage, PolicyDocumentPage
from subscriptions import tokens
from subscriptions.models import Subscription
from tests.helpers import answered_form, chinese, deliver_queued_mail, site_of, staff_client, url_of

pytestmark = pytest.mark.django_db

ADDRESS = "zhang.san@example.com"
SLUGS = itertools.count()


def column(slug, key="main"):
    return ColumnPage.objects.descendant_of(site_of(key).root_page).get(slug=slug)


def form_url(page) -> str:
    return f"/subscribe/{page.pk}/"


def sign_up(client, page, email=ADDRESS, **changes):
    url = form_url(page)
    data = {**answered_form(client, url), "email": email, "consent": "on", **changes}
    return client.post(url, data)


def links_in(message) -> list[str]:
    return re.findall(r"http://\S+", message.body)


def confirm_link(message) -> str:
    return next(link for link in links_in(message) if "/subscribe/confirm/" in link)


def path_of(link: str) -> str:
    return "/" + link.split("/", 3)[3]


def subscribe(client, page, email=ADDRESS):
    """Sign up and follow the confirmation link, as a person would."""
    mail.outbox.clear()
    assert sign_up(client, page, email).status_code == 302
    link = path_of(confirm_link(deliver_queued_mail()[-1]))
    assert client.post(link).status_code == 200
    mail.outbox.clear()


def publish(parent, title, model=ArticlePage, **fields):
    page = model(title=title, slug=f"alert-test-{next(SLUGS)}", summary="提醒测试摘要", **fields)
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def alerts() -> list:
    call_command("send_column_alerts", stdout=io.StringIO())
    return [message for message in deliver_queued_mail() if "/subscribe/unsubscribe/" in message.body]


# ---- the form ---------------------------------------------------------------------------------
def test_the_form_asks_for_address_consent_and_captcha_and_is_never_cached(client):
    news = column("swyw")
    response = client.get(form_url(news))
    html = response.content.decode()
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    assert "<h1>邮件订阅</h1>" in html and "税务要闻" in html
    assert 'type="email"' in html and 'name="consent"' in html and 'name="captcha_1"' in html


def test_a_valid_request_mails_a_confirmation_link_and_stores_nothing(client):
    news = column("swyw")
    response = sign_up(client, news)
    assert response.status_code == 302 and response["Location"] == f"/subscribe/{news.pk}/sent/"
    assert "no-store" in response["Cache-Control"]
    sent = client.get(response["Location"])
    assert sent.status_code == 200 and "请查收确认邮件" in sent.content.decode()
    assert len(deliver_queued_mail()) == 1
    message = mail.outbox[0]
    assert message.to == [ADDRESS] and "税务要闻" in message.subject
    assert confirm_link(message).startswith("http://localhost:8000/subscribe/confirm/")
    assert not Subscription.objects.exists()


def test_the_captcha_is_required(client):
    news = column("swyw")
    response = sign_up(client, news, captcha_1="")
    assert response.status_code == 400
    assert "提交未成功" in response.content.decode()
    wrong = sign_up(client, news, captcha_1="abcd")
    assert wrong.status_code == 400
    assert deliver_queued_mail() == [] and not Subscription.objects.exists()


def test_consent_and_a_real_address_are_required(client):
    news = column("swyw")
    assert sign_up(client, news, consent="").status_code == 400
    response = sign_up(client, news, email="not-an-address")
    assert response.status_code == 400 and "name@example.com" in response.content.decode()
    assert deliver_queued_mail() == []


def test_the_answer_is_the_same_whether_or_not_the_address_is_subscribed(client):
    news = column("swyw")
    first = sign_up(client, news, email="li.si@example.com")
    first_page = client.get(first["Location"]).content.decode()
    subscribe(client, news)  # ADDRESS is now subscribed
    again = sign_up(client, news, email=ADDRESS.upper())  # the same address, spelt otherwise
    assert (again.status_code, again["Location"]) == (first.status_code, first["Location"])
    assert client.get(again["Location"]).content.decode() == first_page
    assert deliver_queued_mail() == []  # nothing to confirm: no second mail to a subscribed address
    assert Subscription.objects.filter(email=ADDRESS).count() == 1


def test_the_form_is_rate_limited(client, settings):
    settings.SUBSCRIBE_RATE_LIMIT = 2
    news = column("swyw")
    assert sign_up(client, news, email="a@example.com").status_code == 302
    assert sign_up(client, news, email="b@example.com").status_code == 302
    refused = sign_up(client, news, email="c@example.com")
    assert refused.status_code == 429 and "Retry-After" in refused
    assert len(deliver_queued_mail()) == 2


def test_columns_without_alerts_have_no_form(client):
    service = ColumnPage.objects.descendant_of(site_of("main").root_page).filter(column_type="service").first()
    assert client.get(form_url(service)).status_code == 404
    jia_news = chinese(ColumnPage.objects.descendant_of(site_of("jia").root_page).filter(column_type="news")).first()
    assert client.get(form_url(jia_news)).status_code == 404  # another site's column
    assert Client(HTTP_HOST="jia.localhost:8000").get(form_url(jia_news)).status_code == 200


# ---- double opt-in ----------------------------------------------------------------------------
def test_nothing_is_sent_before_the_address_is_confirmed(client):
    news = column("swyw")
    sign_up(client, news)
    publish(news, "提醒测试：确认前发布")
    assert alerts() == []


def test_following_the_link_shows_a_button_and_confirming_subscribes(client):
    news = column("swyw")
    sign_up(client, news)
    link = path_of(confirm_link(deliver_queued_mail()[0]))
    page = client.get(link)
    assert page.status_code == 200 and "no-store" in page["Cache-Control"]
    assert "确认订阅" in page.content.decode()
    assert not Subscription.objects.exists()  # a mail scanner opening the link confirms nothing
    done = Client(HTTP_HOST="localhost:8000", enforce_csrf_checks=True).post(link)
    assert done.status_code == 200 and "订阅成功" in done.content.decode()
    assert Subscription.objects.filter(email=ADDRESS, column=news).count() == 1
    assert client.post(link).status_code == 200  # a second click changes nothing
    assert Subscription.objects.filter(email=ADDRESS).count() == 1


def test_a_confirmation_link_expires_after_seven_days(client):
    news = column("swyw")
    with mock.patch("time.time", return_value=time.time() - 7 * 24 * 3600 - 60):
        token = tokens.confirm_token(ADDRESS, news.pk)
    link = f"/subscribe/confirm/{token}/"
    for response in (client.get(link), client.post(link)):
        assert response.status_code == 400
        html = response.content.decode()
        assert "链接已过期" in html and f'href="/subscribe/{news.pk}/"' in html
    assert not Subscription.objects.exists()
    with mock.patch("time.time", return_value=time.time() - 6 * 24 * 3600):
        recent = tokens.confirm_token(ADDRESS, news.pk)
    assert client.post(f"/subscribe/confirm/{recent}/").status_code == 200


def test_a_tampered_link_is_refused(client):
    news = column("swyw")
    token = tokens.confirm_token(ADDRESS, news.pk)
    other = column("zcwj")
    forged = tokens.confirm_token(ADDRESS, other.pk).split(":")[0] + ":" + ":".join(token.split(":")[1:])
    for bad in (token[:-2] + ("AA" if not token.endswith("AA") else "BB"), forged, "nonsense"):
        response = client.post(f"/subscribe/confirm/{bad}/")
        assert response.status_code == 400 and "链接无效" in response.content.decode()
        assert client.post(f"/subscribe/unsubscribe/{bad}/").status_code == 400
    assert not Subscription.objects.exists()


# ---- unsubscribing ------------------------------------------------------------------------------
def unsubscribe_link() -> str:
    return f"/subscribe/unsubscribe/{tokens.unsubscribe_token(ADDRESS)}/"


def test_unsubscribing_asks_first_then_deletes_the_address(client):
    subscribe(client, column("swyw"))
    subscribe(client, column("zcwj"))
    page = client.get(unsubscribe_link())
    assert page.status_code == 200 and "确认退订" in page.content.decode()
    assert "no-store" in page["Cache-Control"]
    assert Subscription.objects.filter(email=ADDRESS).count() == 2  # opening the link deletes nothing
    done = client.post(unsubscribe_link())
    assert done.status_code == 200 and "已退订" in done.content.decode()
    assert not Subscription.objects.filter(email=ADDRESS).exists()
    assert client.post(unsubscribe_link()).status_code == 200  # again: still unsubscribed


def test_one_click_unsubscribe_from_a_mail_program(client):
    subscribe(client, column("swyw"))
    mail_program = Client(enforce_csrf_checks=True, HTTP_HOST="localhost:8000")  # no cookie, no CSRF token
    response = mail_program.post(
        unsubscribe_link(), "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200
    assert not Subscription.objects.exists()


# ---- the command ------------------------------------------------------------------------------
def test_one_mail_per_subscriber_with_only_new_articles_and_nothing_on_a_rerun(client):
    news, policies = column("swyw"), column("zcwj")
    publish(news, "提醒测试：订阅之前的消息")
    subscribe(client, news)
    subscribe(client, policies)
    subscribe(client, news, email="wang.wu@example.com")
    fresh_news = publish(news, "提醒测试：新消息")
    policy = publish(
        policies,
        "提醒测试：新政策",
        model=PolicyDocumentPage,
        issuing_body="示例省税务局",
        document_number="示税发〔2026〕8号",
    )
    sent = alerts()
    assert sorted(message.to[0] for message in sent) == sorted([ADDRESS, "wang.wu@example.com"])
    mine = next(message for message in sent if message.to == [ADDRESS])
    assert "提醒测试：新消息" in mine.body and "提醒测试：新政策（示税发〔2026〕8号）" in mine.body
    assert "http://localhost:8000" + url_of(fresh_news) in mine.body
    assert "http://localhost:8000" + url_of(policy) in mine.body
    assert "提醒测试：订阅之前的消息" not in mine.body
    assert "2 条新内容" in mine.subject
    theirs = next(message for message in sent if message.to == ["wang.wu@example.com"])
    assert "提醒测试：新消息" in theirs.body and "提醒测试：新政策" not in theirs.body

    deliver_queued_mail().clear()
    assert alerts() == []  # a re-run sends nothing new
    publish(news, "提醒测试：又一条消息")
    again = alerts()
    assert len(again) == 2
    assert all("提醒测试：又一条消息" in m.body and "提醒测试：新消息" not in m.body for m in again)


def test_an_alert_mail_can_be_unsubscribed_in_one_click(client):
    news = column("swyw")
    subscribe(client, news)
    publish(news, "提醒测试：退订头")
    (message,) = alerts()
    header = message.extra_headers["List-Unsubscribe"]
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    link = re.fullmatch(r"<(http://localhost:8000/subscribe/unsubscribe/[^>]+/)>", header).group(1)
    assert link in message.body
    assert Client(enforce_csrf_checks=True, HTTP_HOST="localhost:8000").post(path_of(link)).status_code == 200
    assert not Subscription.objects.exists()


def test_restricted_and_unpublished_articles_are_never_alerted(client):
    news = column("swyw")
    subscribe(client, news)
    hidden = publish(news, "提醒测试：内部消息")
    PageViewRestriction.objects.create(page=hidden, restriction_type=PageViewRestriction.LOGIN)
    gone = publish(news, "提醒测试：已撤下")
    gone.unpublish()
    assert alerts() == []


def test_a_failed_mail_is_tried_again_on_the_next_run(client):
    news = column("swyw")
    subscribe(client, news)
    publish(news, "提醒测试：重试")
    with mock.patch("subscriptions.services.deliver", side_effect=OSError("mail server down")):
        call_command("send_column_alerts", stdout=io.StringIO(), stderr=io.StringIO())
    (message,) = alerts()
    assert "提醒测试：重试" in message.body


def test_an_english_column_mails_english_links(client):
    chinese_news = column("swyw")
    news = ColumnPage.objects.get(translation_key=chinese_news.translation_key, locale__language_code="en")
    url = f"/en/subscribe/{news.pk}/"
    data = {**answered_form(client, url), "email": ADDRESS, "consent": "on"}
    response = client.post(url, data)
    assert response.status_code == 302 and response["Location"] == f"/en/subscribe/{news.pk}/sent/"
    assert confirm_link(deliver_queued_mail()[0]).startswith("http://localhost:8000/en/subscribe/confirm/")


# ---- personal data ----------------------------------------------------------------------------
def test_no_address_on_any_public_page(client):
    news = column("swyw")
    subscribe(client, news)
    sign_up(client, news, email="li.si@example.com")  # waiting for confirmation
    confirm = path_of(confirm_link(deliver_queued_mail()[-1]))
    article = publish(news, "提醒测试：公开页面")
    pages = [
        url_of(news),
        url_of(article),
        f"/feeds/{news.pk}.xml",
        form_url(news),
        f"/subscribe/{news.pk}/sent/",
        confirm,
        unsubscribe_link(),
        "/",
        "/sitemap.xml",
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert "zhang.san" not in html and "li.si" not in html, url
    assert "li.si" not in client.post(confirm).content.decode()
    assert "zhang.san" not in client.post(unsubscribe_link()).content.decode()


def test_staff_see_how_many_subscribe_each_column_and_no_address(client):
    news = column("swyw")
    subscribe(client, news)
    subscribe(client, news, email="wang.wu@example.com")
    report = staff_client("admin").get("/admin/reports/subscriptions/")
    html = report.content.decode()
    assert report.status_code == 200
    row = re.search(r"<tr>(?:(?!</tr>).)*税务要闻(?:(?!</tr>).)*</tr>", html, re.S).group(0)
    assert re.search(r"<td>2</td>", row)
    assert ADDRESS not in html and "wang.wu" not in html
    assert f"/admin/pages/{news.pk}/edit/" in html
    city = staff_client("jia_editor", "jia.localhost:8000").get("/admin/reports/subscriptions/").content.decode()
    assert f"/admin/pages/{news.pk}/edit/" not in city and "国家税务总局甲市税务局" in city
