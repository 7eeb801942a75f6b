"""Error pages 400, 403, 404, 429 and 500 in Chinese and English, and request ids
(issue #10, hardening: item 10).

Every error page is in the visitor's language, names the request id that the response's
``X-Request-ID`` header and the log carry, and never shows an exception's text or a
traceback. 400 and 500 need no database; 403 and 404 fall back to the plain layout when
the site's cannot be rendered."""

import logging
import re
from datetime import timedelta

import pytest
from django.db.backends.utils import CursorWrapper
from django.db.utils import OperationalError
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse
from django.utils import translation
from wagtail.models import Site

from interviews.models import InterviewPage
from portal.requestid import RequestIdFilter
from tests.error_urls import SECRET

pytestmark = pytest.mark.django_db
with_failing_views = pytest.mark.urls("tests.error_urls")

ZH, EN = "zh-Hans", "en"
HEX_ID = re.compile(r"[0-9a-f]{32}")


def visitor(host="localhost:8000", **extra) -> Client:
    """A browser that gets the error page rather than the exception, as visitors do."""
    return Client(HTTP_HOST=host, raise_request_exception=False, **extra)


def assert_error_page(response, status: int, lang: str, message: str) -> str:
    html = response.content.decode()
    assert response.status_code == status
    assert re.search(rf'<html lang="{lang}"', html), html[:300]
    assert message in html
    request_id = response["X-Request-ID"]
    reference = f"错误编号：{request_id}" if lang == ZH else f"Reference: {request_id}"
    assert reference in html
    assert "12366" in html  # where to call with it
    assert SECRET not in html and "Traceback" not in html and "File &quot;" not in html
    assert html.count("<h1") == 1 and '<main id="main-content"' in html and 'href="#main-content"' in html
    assert '<meta name="robots" content="noindex">' in html
    return html


# ---- request ids -------------------------------------------------------------------------
def test_a_well_formed_request_id_from_the_proxy_is_echoed(client):
    response = client.get("/robots.txt", HTTP_X_REQUEST_ID="req-2026.11_24-abcdef")
    assert response["X-Request-ID"] == "req-2026.11_24-abcdef"


@pytest.mark.parametrize(
    "incoming", ["short", "has space in it", "x" * 65, "<script>alert(1)</script>", "id\nX-Injected: 1", ""]
)
def test_a_malformed_request_id_is_replaced(client, incoming):
    response = client.get("/robots.txt", HTTP_X_REQUEST_ID=incoming)
    assert HEX_ID.fullmatch(response["X-Request-ID"])


def test_every_response_gets_its_own_id(client):
    first, second = client.get("/robots.txt"), client.get("/robots.txt")
    assert HEX_ID.fullmatch(first["X-Request-ID"]) and first["X-Request-ID"] != second["X-Request-ID"]


def test_log_records_carry_the_request_id_or_a_dash():
    record = logging.LogRecord("portal", logging.WARNING, __file__, 1, "outside a request", None, None)
    assert RequestIdFilter().filter(record) and record.request_id == "-"
    request = type("Request", (), {"request_id": "abcdef0123456789"})()
    record = logging.LogRecord("django.request", logging.ERROR, __file__, 1, "boom", None, None)
    record.request = request
    RequestIdFilter().filter(record)
    assert record.request_id == "abcdef0123456789"


# ---- 400 ---------------------------------------------------------------------------------
def test_400_for_a_garbage_host_needs_no_database(django_assert_num_queries):
    with django_assert_num_queries(0):
        response = visitor(host="bad host!").get("/gzdt/")
    html = assert_error_page(response, 400, ZH, "抱歉，无法处理您的请求")
    assert "bad host" not in html


def test_400_in_english_under_en():
    response = visitor(host="bad host!").get("/en/news/")
    assert_error_page(response, 400, EN, "Sorry, we could not handle your request")


@with_failing_views
@pytest.mark.parametrize(
    "path, lang, message", [("/suspicious/", ZH, "请求有误"), ("/en/suspicious/", EN, "Bad request")]
)
def test_400_for_a_suspicious_operation(path, lang, message):
    assert_error_page(visitor().get(path), 400, lang, message)


# ---- 403 ---------------------------------------------------------------------------------
def test_403_shows_the_reason_a_guest_link_was_refused():
    interview = InterviewPage.objects.live().filter(locale__language_code="zh-hans").first()
    response = visitor().get(reverse("interviews:guest_token", args=(interview.pk, "not-a-real-token")))
    html = assert_error_page(response, 403, ZH, "抱歉，您无权访问此页面")
    assert "嘉宾链接无效。" in html
    assert "国家税务总局示例省税务局" in html  # the site's own layout


@with_failing_views
def test_403_reason_in_english():
    html = assert_error_page(visitor().get("/en/refused/"), 403, EN, "Sorry, you do not have permission")
    assert "This guest link is not valid." in html


@with_failing_views
@pytest.mark.parametrize("path, lang", [("/forbidden/", ZH), ("/en/forbidden/", EN)])
def test_403_never_shows_an_internal_message(path, lang):
    message = "抱歉，您无权访问此页面" if lang == ZH else "Sorry, you do not have permission"
    assert_error_page(visitor().get(path), 403, lang, message)


# ---- 404 ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "path, lang, message, home",
    [
        ("/no-such-page/", ZH, "抱歉，您访问的页面不存在", 'href="/"'),
        ("/en/no-such-page/", EN, "Sorry, the page you requested does not exist", 'href="/en/"'),
    ],
)
def test_404_in_the_sites_layout(path, lang, message, home):
    html = assert_error_page(visitor().get(path), 404, lang, message)
    assert "page-error--plain" not in html and 'class="site-footer"' in html
    assert home in html


def test_404_without_a_site_falls_back_to_the_plain_layout(monkeypatch, caplog):
    monkeypatch.setattr(Site, "_find_for_request", staticmethod(lambda request: None))
    html = assert_error_page(visitor().get("/no-such-page/"), 404, ZH, "抱歉，您访问的页面不存在")
    assert "page-error--plain" in html
    assert any("site layout failed" in record.getMessage() for record in caplog.records)


# ---- 500 ---------------------------------------------------------------------------------
@with_failing_views
@pytest.mark.parametrize(
    "path, lang, message",
    [("/boom/", ZH, "抱歉，服务暂时出现问题"), ("/en/boom/", EN, "Sorry, something went wrong on our side")],
)
def test_500_is_logged_with_the_request_id_the_page_shows(path, lang, message, caplog):
    with caplog.at_level(logging.ERROR, logger="django.request"):
        response = visitor().get(path)
    assert_error_page(response, 500, lang, message)
    [record] = [record for record in caplog.records if record.name == "django.request"]
    assert record.request_id == response["X-Request-ID"]
    assert record.exc_info and SECRET in str(record.exc_info[1])  # the details are in the log only


@with_failing_views
def test_500_page_needs_no_database(django_assert_num_queries):
    # The site's shared data (portal/sitedata.py) loads on a worker's first request at a
    # version, whatever the view; after that a failing view's error page costs no query.
    # (With the database down that loading fails quietly: test_500_when_the_database_is_down.)
    visitor().get("/boom/")
    with django_assert_num_queries(0):
        response = visitor().get("/boom/")
    assert_error_page(response, 500, ZH, "抱歉，服务暂时出现问题")


def test_500_when_the_database_is_down(monkeypatch):
    def refuse(*args, **kwargs):
        raise OperationalError(SECRET)

    monkeypatch.setattr(CursorWrapper, "execute", refuse)
    monkeypatch.setattr(CursorWrapper, "executemany", refuse)
    for path, lang in (("/", ZH), ("/en/", EN)):
        response = visitor().get(path)
        assert_error_page(response, 500, lang, "12366")


@with_failing_views
def test_500_keeps_the_proxys_request_id():
    response = visitor(HTTP_X_REQUEST_ID="proxy-req-0001").get("/database-gone/")
    assert response["X-Request-ID"] == "proxy-req-0001"
    assert_error_page(response, 500, ZH, "错误编号：proxy-req-0001")


# ---- 429 ---------------------------------------------------------------------------------
@with_failing_views
@pytest.mark.parametrize(
    "path, lang, message",
    [("/limited/", ZH, "查询失败次数过多"), ("/en/limited/", EN, "Too many submissions")],
)
def test_429_rate_limit_page(settings, path, lang, message):
    settings.LOOKUP_RATE_LIMIT = 1
    assert visitor().get(path).status_code == 200
    response = visitor().get(path)
    assert_error_page(response, 429, lang, message)
    # when the attempt just counted leaves the sliding window: within one window and one bucket
    retry = int(response["Retry-After"])
    assert settings.LOOKUP_RATE_WINDOW <= retry <= settings.LOOKUP_RATE_WINDOW * 7 // 6 + 1


@with_failing_views
@pytest.mark.parametrize(
    "path, lang, message",
    [("/lockout/", ZH, "登录已被暂时锁定"), ("/en/lockout/", EN, "Sign-in temporarily locked")],
)
def test_429_lockout_page_for_django_axes(path, lang, message):
    html = assert_error_page(visitor().get(path), 429, lang, message)
    assert "请稍后再试" in html or "Please try again later" in html  # no cool-off time given


@pytest.mark.parametrize(
    "context, text",
    [
        ({"cooloff_timedelta": timedelta(hours=1), "cooloff_time": "PT1H"}, "请在 60 分钟后再试"),
        ({"cooloff_time": "PT30M"}, "请在 30 分钟后再试"),
        ({"cooloff_timedelta": timedelta(seconds=30)}, "请在 1 分钟后再试"),
        ({}, "请稍后再试"),
    ],
)
def test_lockout_page_says_how_long(context, text):
    with translation.override("zh-hans"):
        html = render_to_string("429.html", {"request_id": "abcdef0123456789", **context})
    assert text in html and '<html lang="zh-Hans"' in html


def test_lockout_page_in_english_says_how_long():
    with translation.override("en"):
        html = render_to_string("429.html", {"cooloff_timedelta": timedelta(hours=1)})
    assert "Please try again in 60 minutes." in html and '<html lang="en"' in html
