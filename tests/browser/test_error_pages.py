"""The error pages in Chromium: axe-core's WCAG 2.1 A/AA rules, no Content-Security-Policy
refusal, the skip link, in Chinese and English and in high contrast.

404 and 403 come from the running portal. A browser cannot send a bad Host header and the
portal has no page that fails on purpose, so the 400 page is fetched from the server with
a garbage Host, and the 500 and lockout (429) pages are rendered here, exactly as the
error views render them; the browser is handed those at a URL of the portal (so the
stylesheet loads from it) with the portal's Content-Security-Policy."""

import sqlite3
import urllib.error
import urllib.parse
import urllib.request

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from portal.security import content_security_policy
from tests.browser.helpers import axe_violations


def _fetch(base: str, path: str, host: str) -> tuple[int, str]:
    port = urllib.parse.urlsplit(base).port
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers={"Host": host})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def _rendered(template: str, language: str) -> str:
    with translation.override(language):
        return render_to_string(template, {"request_id": "0123456789abcdef0123456789abcdef"})


def _serve(html: str):
    def handler(route):
        route.fulfill(
            status=200,
            content_type="text/html; charset=utf-8",
            headers={"Content-Security-Policy": content_security_policy()},
            body=html,
        )

    return handler


@pytest.fixture(scope="module")
def error_pages(portal_server):
    """(name, url, html or None): None means the browser loads the URL from the portal."""
    base = portal_server("main")
    with sqlite3.connect(portal_server.database) as db:
        [interview] = db.execute("SELECT page_ptr_id FROM interviews_interviewpage LIMIT 1").fetchone()
    pages = [
        ("404", base + "/no-such-page/", None),
        ("404 en", base + "/en/no-such-page/", None),
        ("404 jia", portal_server("jia") + "/no-such-page/", None),
        ("403 guest link", base + f"/interviews/{interview}/guest/not-a-real-token/", None),
    ]
    for path, name in (("/gzdt/", "400"), ("/en/news/", "400 en")):
        status, html = _fetch(base, path, "bad host!")
        assert status == 400
        pages.append((name, base + "/__error-page/" + name.replace(" ", "-") + "/", html))
    for template, language, name in (
        ("500.html", "zh-hans", "500"),
        ("500.html", "en", "500 en"),
        ("429.html", "zh-hans", "lockout 429"),
        ("429.html", "en", "lockout 429 en"),
    ):
        pages.append((name, base + "/__error-page/" + name.replace(" ", "-") + "/", _rendered(template, language)))
    return pages


@pytest.mark.parametrize("contrast", [False, True], ids=["default", "high contrast"])
def test_error_pages_pass_axe(browser, portal_server, error_pages, contrast):
    context = browser.new_context(locale="zh-CN")
    if contrast:
        for site in ("main", "jia"):
            host = urllib.parse.urlsplit(portal_server(site)).hostname
            context.add_cookies([{"name": "a11y", "value": "hc", "domain": host, "path": "/"}])
    tab = context.new_page()
    blocked = []
    tab.on(
        "console", lambda message: blocked.append(message.text) if "Content Security Policy" in message.text else None
    )
    failures = {}
    for name, url, html in error_pages:
        if html is not None:
            if contrast:  # what the server would do with the a11y cookie
                html = html.replace('class="no-js"', 'class="no-js a11y-contrast"', 1)
            tab.route(url, _serve(html))
        problems = axe_violations(tab, url)
        problems += [f"CSP: {text}" for text in blocked]
        blocked.clear()
        if tab.locator("h1").count() != 1 or tab.locator("main#main-content").count() != 1:
            problems.append("needs one h1 and main#main-content")
        tab.keyboard.press("Tab")
        if tab.evaluate("document.activeElement.getAttribute('href')") != "#main-content":
            problems.append("the skip link is not the first thing focused")
        if tab.evaluate("getComputedStyle(document.querySelector('.skip-link')).position") != "absolute":
            problems.append("the portal stylesheet did not load")
        if problems:
            failures[name] = problems
    context.close()
    assert not failures, "\n".join(f"{name}\n  " + "\n  ".join(p) for name, p in failures.items())
