"""Security headers on public pages and in the admin (issue #10, hardening)."""

import json
import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.django_db

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/(?:ld\+)?json\")[^>]*>", re.I)


def directives(header: str) -> dict[str, str]:
    return {part.split(" ", 1)[0]: part.split(" ", 1)[1] if " " in part else "" for part in header.split("; ")}


@pytest.mark.parametrize("path", ["/", "/gzdt/", "/search/?q=发票", "/hdjl/", "/en/", "/no-such-page/"])
def test_public_responses_carry_a_strict_policy(site_client, path):
    response = site_client("main").get(path)
    policy = directives(response["Content-Security-Policy"])
    assert policy["script-src"] == "'self'" and "unsafe" not in policy["script-src"]
    assert policy["frame-ancestors"] == "'none'" and policy["object-src"] == "'none'"
    assert policy["default-src"] == "'self'" and policy["form-action"] == "'self'"
    assert "camera=()" in response["Permissions-Policy"] and "geolocation=()" in response["Permissions-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] and response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_the_admin_gets_the_policy_as_report_only(client):
    response = client.get("/admin/login/")
    assert "Content-Security-Policy" not in response
    assert "frame-ancestors 'none'" in response["Content-Security-Policy-Report-Only"]


def test_the_admins_policy_says_where_to_report(client):
    response = client.get("/admin/login/")
    policy = directives(response["Content-Security-Policy-Report-Only"])
    assert policy["report-uri"] == "/csp-report/" and policy["report-to"] == "csp"
    assert response["Reporting-Endpoints"] == 'csp="/csp-report/"'


def test_templates_have_no_inline_scripts():
    offenders = [
        f"{path.relative_to(TEMPLATES)}: {match.group(0)}"
        for path in TEMPLATES.rglob("*.html")
        for match in INLINE_SCRIPT.finditer(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


@pytest.mark.parametrize("path", ["/", "/nsfw/bszn/", "/zxft/", "/hdjl/jzxx/"])
def test_rendered_pages_have_no_inline_scripts(site_client, path):
    response = site_client("main").get(path)
    assert response.status_code == 200
    assert INLINE_SCRIPT.findall(response.content.decode()) == []


def test_extra_sources_for_a_media_cdn(settings):
    from portal.security import content_security_policy

    settings.PORTAL_CSP_EXTRA_SOURCES = ["https://media.example.gov.cn"]
    policy = directives(content_security_policy())
    assert policy["img-src"] == "'self' https://media.example.gov.cn data:"
    assert policy["script-src"] == "'self' https://media.example.gov.cn"


# What production.py sets (tests/portal/test_settings.py checks that `check --deploy` is clean with it).
PRODUCTION = {
    "SECURE_HSTS_SECONDS": 365 * 24 * 3600,
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
    "SECURE_HSTS_PRELOAD": True,
    "SECURE_SSL_REDIRECT": True,
    "SESSION_COOKIE_SECURE": True,
    "CSRF_COOKIE_SECURE": True,
    "SECURE_REFERRER_POLICY": "strict-origin-when-cross-origin",
}


def _document_url():
    from portal.models import PortalDocument

    return PortalDocument.objects.order_by("pk").first().url


@pytest.mark.parametrize(
    "kind, path, status",
    [
        ("page", "/", 200),
        ("English page", "/en/", 200),
        ("search", "/search/?q=发票", 200),
        ("JSON", "/search/suggest/?q=发票", 200),
        ("robots", "/robots.txt", 200),
        ("sitemap", "/sitemap.xml", 200),
        ("document", None, 200),
        ("not found", "/no-such-page/", 404),
        ("admin login", "/admin/login/", 200),
    ],
)
def test_every_kind_of_response_carries_the_hardening_headers(settings, kind, path, status):
    from django.test import Client

    for name, value in PRODUCTION.items():
        setattr(settings, name, value)
    client = Client(HTTP_HOST="localhost:8000")
    response = client.get(path or _document_url(), secure=True)
    assert response.status_code == status, kind
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Request-ID"]
    policy = response.get("Content-Security-Policy") or response["Content-Security-Policy-Report-Only"]
    assert "frame-ancestors 'none'" in policy or "default-src 'none'" in policy
    for cookie in response.cookies.values():
        assert cookie["secure"] and cookie["httponly"] or cookie.key == "csrftoken" and cookie["secure"]
    # Plain HTTP is redirected to HTTPS before anything else happens.
    assert client.get(path or _document_url()).status_code == 301


def test_a_page_from_the_cache_carries_the_same_headers(settings):
    from django.core.cache import cache
    from django.test import Client

    for name, value in PRODUCTION.items():
        setattr(settings, name, value)
    settings.PAGE_CACHE_SECONDS = 300
    cache.clear()
    client = Client(HTTP_HOST="localhost:8000")
    first, second = client.get("/", secure=True), client.get("/", secure=True)
    assert second["X-Page-Cache"] == "hit"
    for header in ("Strict-Transport-Security", "Content-Security-Policy", "Permissions-Policy", "Referrer-Policy"):
        assert second[header] == first[header]
    assert second["X-Request-ID"] != first["X-Request-ID"]
    cache.clear()


# ---- /csp-report/: where the admin's report-only policy reports ----------------------------
REPORT = {
    "csp-report": {
        "document-uri": "https://tax.example.gov.cn/admin/pages/3/edit/",
        "referrer": "",
        "violated-directive": "script-src-elem",
        "effective-directive": "script-src-elem",
        "original-policy": "default-src 'self'; report-uri /csp-report/",
        "disposition": "report",
        "blocked-uri": "inline",
        "line-number": 12,
        "source-file": "https://tax.example.gov.cn/admin/pages/3/edit/",
        "status-code": 200,
        "script-sample": "",
    }
}
REPORTS_JSON = [
    {
        "type": "csp-violation",
        "age": 10,
        "url": "https://tax.example.gov.cn/admin/",
        "user_agent": "Mozilla/5.0",
        "body": {
            "documentURL": "https://tax.example.gov.cn/admin/",
            "effectiveDirective": "img-src",
            "blockedURL": "https://tracker.example.net/pixel.gif",
            "disposition": "report",
            "originalPolicy": "default-src 'self'",
            "statusCode": 200,
        },
    },
    {"type": "deprecation", "body": {"id": "something-else"}},
]


@pytest.fixture
def reporter(settings):
    from django.core.cache import cache
    from django.test import Client

    cache.clear()  # the rate limit's counters
    yield Client(REMOTE_ADDR="192.0.2.80", enforce_csrf_checks=True)  # browsers send no CSRF token
    cache.clear()


def post_report(client, body, content_type="application/csp-report", **extra):
    data = body if isinstance(body, bytes | str) else json.dumps(body)
    return client.post("/csp-report/", data=data, content_type=content_type, **extra)


def csp_warnings(caplog):
    return [record for record in caplog.records if record.name == "portal.csp" and record.levelname == "WARNING"]


def test_a_violation_report_is_logged_with_the_request_id(reporter, caplog):
    caplog.set_level("WARNING", logger="portal.csp")
    response = post_report(reporter, REPORT)
    assert response.status_code == 204 and response.content == b""
    [record] = csp_warnings(caplog)
    assert record.request_id == response["X-Request-ID"]
    message = record.getMessage()
    assert "script-src-elem" in message and "'inline'" in message and "/admin/pages/3/edit/" in message
    assert "line 12" in message


def test_reporting_api_batches_are_read_too(reporter, caplog):
    caplog.set_level("WARNING", logger="portal.csp")
    response = post_report(reporter, REPORTS_JSON, content_type="application/reports+json")
    assert response.status_code == 204
    [record] = csp_warnings(caplog)  # the deprecation report is not a CSP violation
    assert "img-src" in record.getMessage() and "https://tracker.example.net/pixel.gif" in record.getMessage()


def test_only_posts_are_taken(reporter):
    assert reporter.get("/csp-report/").status_code == 405
    assert reporter.put("/csp-report/", json.dumps(REPORT), content_type="application/csp-report").status_code == 405


def test_a_body_over_16_kb_is_refused_unread(reporter, caplog):
    caplog.set_level("WARNING", logger="portal.csp")
    big = {"csp-report": {**REPORT["csp-report"], "script-sample": "x" * 17_000}}
    assert post_report(reporter, big).status_code == 413
    assert csp_warnings(caplog) == []


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"not json at all",
        b"\xff\xfe\x00garbage",
        b"[" * 15_000,  # nested deeper than the parser goes
        b"1" * 5_000,  # a number too long to convert
        b"null",
        b'"a string"',
        b"{}",
        b'{"csp-report": "not an object"}',
        b'{"csp-report": {}}',
        b'[{"type": "csp-violation", "body": "not an object"}]',
        b"[1, 2, 3]",
    ],
)
def test_garbage_is_refused_and_never_an_error(reporter, caplog, body):
    caplog.set_level("WARNING", logger="portal.csp")
    assert post_report(reporter, body).status_code == 400
    assert csp_warnings(caplog) == []


def test_what_a_report_says_cannot_forge_log_lines(reporter, caplog):
    caplog.set_level("WARNING", logger="portal.csp")
    forged = {"csp-report": {**REPORT["csp-report"], "blocked-uri": "x\n2026-01-01 ERROR [-] admin: fake" + "y" * 1000}}
    assert post_report(reporter, forged).status_code == 204
    [record] = csp_warnings(caplog)
    assert "\n" not in record.getMessage() and len(record.getMessage()) < 1000


def test_reports_are_rate_limited_per_address(reporter, settings, caplog):
    from django.test import Client

    settings.CSP_REPORT_RATE_LIMIT = 3
    caplog.set_level("WARNING", logger="portal.csp")
    assert [post_report(reporter, REPORT).status_code for _ in range(4)] == [204, 204, 204, 429]
    assert len(csp_warnings(caplog)) == 3  # the refused one is not logged
    assert post_report(Client(REMOTE_ADDR="192.0.2.81"), REPORT).status_code == 204  # another address
