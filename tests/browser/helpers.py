"""What the browser tests share: axe-core's rule set and run, the sitemaps, contexts with a
display-mode cookie, keyboard walking, and the answer to a captcha (read from the test
server's database: the test cannot read the image or listen to the audio)."""

import re
import sqlite3
import urllib.parse
import urllib.request

import pytest

SITES = ["main", "jia", "yi"]

# WCAG 2.1 A and AA, and also axe's best-practice rule "region" (all content inside landmarks),
# which a run limited to the WCAG tags leaves out: HTML_CodeSniffer reports the same.
WCAG_21_AA = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "rules": {"region": {"enabled": True}},
}


def sitemap_urls(base: str) -> list[str]:
    """The site's page URLs: sitemap.xml is an index of files (portal/sitemaps.py)."""
    # glibc does not resolve *.localhost (Chromium does): ask 127.0.0.1 with the site's Host.
    parts = urllib.parse.urlsplit(base)

    def locations(url: str) -> list[str]:
        path = urllib.parse.urlsplit(url)
        address = f"http://127.0.0.1:{parts.port}{path.path}" + (f"?{path.query}" if path.query else "")
        request = urllib.request.Request(address, headers={"Host": parts.netloc})
        return re.findall(r"<loc>([^<]+)</loc>", urllib.request.urlopen(request, timeout=10).read().decode())

    return [url for file in locations(f"{base}/sitemap.xml") for url in locations(file)]


def axe_violations(page, url: str | None) -> list[str]:
    """axe-core's WCAG 2.1 A/AA violations of ``url``, or of the page as it is (None)."""
    from axe_playwright_python.sync_playwright import Axe

    if url is not None:
        response = page.goto(url)
        assert response is not None
    results = Axe().run(page, options=WCAG_21_AA)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} -> {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
    ]


def fetch(url: str) -> str:
    """A page of the test server, asked of 127.0.0.1 with the site's Host (glibc does not
    resolve *.localhost; Chromium does)."""
    parts = urllib.parse.urlsplit(url)
    request = urllib.request.Request(
        f"http://127.0.0.1:{parts.port}{parts.path}?{parts.query}", headers={"Host": parts.netloc}
    )
    return urllib.request.urlopen(request, timeout=10).read().decode()


def new_context(browser, portal_server, cookie="", **options):
    """A browser context in Chinese, with the ``a11y`` display-mode cookie on every site."""
    context = browser.new_context(locale="zh-CN", **options)
    if cookie:
        for site in SITES:
            host = urllib.parse.urlsplit(portal_server(site)).hostname
            context.add_cookies([{"name": "a11y", "value": cookie, "domain": host, "path": "/"}])
    return context


def tab_until(tab, predicate_js: str, limit: int = 120) -> str:
    """Press Tab until ``predicate_js`` holds (focus visibly outlined); the focused link's href."""
    for _ in range(limit):
        tab.keyboard.press("Tab")
        if tab.evaluate(predicate_js):
            assert tab.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none"
            return tab.evaluate("document.activeElement.getAttribute('href') || ''")
    pytest.fail(f"keyboard never reached: {predicate_js}")


def captcha_answer(portal_server, key: str) -> str:
    """What the audio says (the test cannot listen): the challenge stored for ``key``."""
    with sqlite3.connect(portal_server.database) as db:
        return db.execute("SELECT response FROM captcha_captchastore WHERE hashkey = ?", [key]).fetchone()[0]
