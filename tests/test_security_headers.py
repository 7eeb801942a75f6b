"""Security headers on public pages and in the admin (issue #10, hardening)."""

import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.django_db

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"
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
