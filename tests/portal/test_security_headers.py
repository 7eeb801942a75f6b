"""Security headers on public pages and in the admin (issue #10, hardening)."""

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
