"""Every public page of the demo cluster passes axe-core's WCAG 2.1 A/AA rules in Chromium,
and the shell works by keyboard. Pages come from each site's sitemap.xml, so a new page
type is covered as soon as it is published."""

import urllib.parse

import pytest

from tests.browser.helpers import axe_violations, sitemap_urls


@pytest.mark.parametrize("site", ["main", "jia", "yi", "county"])
def test_every_page_in_the_sitemap_passes_axe(portal_server, page, site):
    base = portal_server(site)
    urls = sitemap_urls(base)
    assert len(urls) >= (15 if site == "county" else 20)
    extra = [
        base + "/search/?q=发票",
        base + "/search/?q=发票&scope=all&type=guide&page=2",
        base + "/search/?q=量子纠缠火星",  # no result: suggestions instead
        base + "/no-such-page/",
        base + "/gzdt/?page=2",
        base + "/xxgk/gkml/?genre=notice&page=1",  # 公开目录, filtered
        base + "/xxgk/gkml/?q=2026",
    ]
    if site != "county":  # the registers (the county's template has none)
        extra += [base + "/xxgk/qsgg/?year=2025&page=2", base + "/xxgk/sxzt/?q=示例省"]
    english = [url for url in urls if urllib.parse.urlsplit(url).path.startswith("/en/")]
    if site == "main":  # the English edition: its pages are in the sitemap too
        assert len(english) >= 30
        extra += [base + "/en/search/?q=invoice", base + "/en/no-such-page/", base + "/en/a11y/", base + "/sites/"]
        extra += [base + "/en/information-disclosure/catalogue/?genre=announcement&org=国家税务总局示例省税务局"]
    else:
        assert not english
    failures = {}
    blocked = []  # anything the Content-Security-Policy refused (a script, style, image, media)
    page.on(
        "console", lambda message: blocked.append(message.text) if "Content Security Policy" in message.text else None
    )
    for url in urls + extra:
        violations = axe_violations(page, url)
        violations += [f"CSP: {text}" for text in blocked]
        blocked.clear()
        if violations:
            failures[url] = violations
    print(f"axe {site}: {len(urls + extra)} URLs ({len(english)} English), {len(failures)} with violations")
    assert not failures, "\n".join(f"{url}\n  " + "\n  ".join(v) for url, v in failures.items())


@pytest.mark.parametrize("width", [320, 1280])
def test_no_horizontal_scrolling_at_narrow_and_wide_widths(portal_server, browser, width):
    context = browser.new_context(viewport={"width": width, "height": 800})
    tab = context.new_page()
    for path in ["/", "/gzdt/", "/sitemap/", "/xxgk/gkml/", "/zcwj/p2026-03-einvoice/"]:
        tab.goto(portal_server("main") + path)
        overflow = tab.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at {width}px"
    context.close()


def test_skip_link_is_first_and_moves_focus_to_main(portal_server, page):
    page.goto(portal_server("jia") + "/gzdt/")
    page.keyboard.press("Tab")
    focused = page.evaluate("[document.activeElement.textContent.trim(), document.activeElement.getAttribute('href')]")
    assert focused == ["跳到主要内容", "#main-content"]
    assert page.evaluate("getComputedStyle(document.activeElement).top") != "-160px"  # visible when focused
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main-content"


def test_keyboard_reaches_an_article_from_the_home_page(portal_server, page):
    page.goto(portal_server("main") + "/")
    for _ in range(60):
        page.keyboard.press("Tab")
        href = page.evaluate("document.activeElement.getAttribute('href') || ''")
        if href.startswith("/gzdt/swyw/") and href.count("/") > 3:
            break
    else:
        pytest.fail("no article link reached by keyboard within 60 tabs")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"  # focus is visible
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith(href)
    assert page.locator("h1").count() == 1


def test_pages_work_without_javascript(portal_server, browser):
    context = browser.new_context(java_script_enabled=False)
    tab = context.new_page()
    tab.goto(portal_server("yi") + "/")
    assert "no-js" in (tab.locator("html").get_attribute("class") or "")
    assert tab.locator("nav[aria-label='主导航'] a").count() >= 5
    tab.locator("#site-search-q").fill("办税")
    with tab.expect_navigation():
        tab.locator(".site-search button").click()
    assert "/search/" in tab.url and tab.locator("h1").inner_text() == "站内搜索"
    context.close()
