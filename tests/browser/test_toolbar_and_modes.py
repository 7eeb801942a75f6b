"""The accessibility toolbar, the high-contrast and elderly modes, narrow screens and zoom,
and keyboard-only journeys, in Chromium. Mode checks run axe on one page of every page
type of every site (picked from the sitemaps by the page's body class)."""

import re

import pytest

from tests.browser.helpers import SITES, WCAG_21_AA, axe_violations, fetch, new_context, sitemap_urls, tab_until


@pytest.fixture(scope="module")
def one_url_per_page_type(portal_server):
    """For each site, the first sitemap URL of each distinct page type, plus the routes
    that are not pages (search results, 404, help, a guide's checklist)."""
    urls = []
    for site in SITES:
        base = portal_server(site)
        seen = set()
        for url in sitemap_urls(base):
            body_class = re.search(r'<body class="([^"]*)"', fetch(url)).group(1)
            if body_class not in seen:
                seen.add(body_class)
                urls.append(url)
        urls += [base + "/search/?q=发票", base + "/a11y/"]
    urls.append(portal_server("main") + "/nsfw/bszn/?audience=individual&online=1")
    urls.append(portal_server("main") + "/nsfw/bszn/fp-pzhd/checklist/")
    urls.append(portal_server("jia") + "/nsfw/bszn/fp-pzhd/checklist/")  # a city's page of the province's guide
    urls.append(portal_server("jia") + "/nsfw/bszn/?theme=fpbl")  # a city's catalogue of local guides
    return urls


@pytest.mark.parametrize(
    "mode, cookie, options",
    [
        ("high contrast", "hc", {}),
        ("elderly", "el", {}),
        ("largest text and spacing", "t3.ls.rg", {}),
        ("320px", "", {"viewport": {"width": 320, "height": 720}}),
        ("200% zoom", "", {"viewport": {"width": 640, "height": 400}, "device_scale_factor": 2}),
        ("elderly at 320px", "el", {"viewport": {"width": 320, "height": 720}}),
    ],
)
def test_axe_and_layout_in_every_mode(browser, portal_server, one_url_per_page_type, mode, cookie, options):
    context = new_context(browser, portal_server, cookie, **options)
    tab = context.new_page()
    failures = {}
    for url in one_url_per_page_type:
        problems = axe_violations(tab, url)
        width = options.get("viewport", {}).get("width")
        if width:
            overflow = tab.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
            if overflow > 0:
                problems.append(f"scrolls sideways by {overflow}px at {width}px")
        if problems:
            failures[url] = problems
    context.close()
    assert len(one_url_per_page_type) >= 20
    assert not failures, f"{mode}:\n" + "\n".join(f"{u}\n  " + "\n  ".join(p) for u, p in failures.items())


def test_elderly_mode_has_large_type_large_targets_and_services_first(browser, portal_server):
    context = new_context(browser, portal_server, "el")
    tab = context.new_page()
    tab.goto(portal_server("main") + "/")
    assert float(tab.evaluate("getComputedStyle(document.body).fontSize").rstrip("px")) >= 18
    small = tab.evaluate(
        """[...document.querySelectorAll('.main-nav a, .quick-link a, .article-list__item > a, .footer-links a,'
             + ' .a11y-bar__link, .more a, .site-search button')]
           .map(a => [a.textContent.trim(), a.getBoundingClientRect()])
           .filter(([t, r]) => r.width > 0 && (r.height < 44 || r.width < 44))
           .map(([t, r]) => `${t}: ${Math.round(r.width)}x${Math.round(r.height)}`)"""
    )
    assert small == []
    first_block = tab.evaluate(
        "[...document.querySelectorAll('.home-block')].sort((a, b) => a.getBoundingClientRect().top"
        " - b.getBoundingClientRect().top)[0].querySelector('h2').textContent"
    )
    assert first_block == "快捷服务"
    # one toolbar control is visible (the no-JS link stays hidden when JS runs), beside the
    # elderly-mode switch and the main site's language switcher
    visible = tab.evaluate(
        "[...document.querySelectorAll('.a11y-bar__link')].filter(e => e.offsetParent !== null)"
        ".map(e => e.textContent.trim())"
    )
    assert visible == ["无障碍浏览", "退出长者模式", "English"]
    context.close()


def test_toolbar_by_keyboard_and_choices_persist(browser, portal_server):
    context = new_context(browser, portal_server)
    tab = context.new_page()
    tab.goto(portal_server("jia") + "/gzdt/")
    tab.keyboard.press("Tab")  # skip link
    tab.keyboard.press("Tab")  # toolbar button
    assert tab.evaluate("document.activeElement.id") == "a11y-toggle"
    tab.keyboard.press("Enter")
    assert tab.get_attribute("#a11y-toggle", "aria-expanded") == "true"
    assert tab.evaluate("document.activeElement.getAttribute('aria-label')") == "缩小字号"
    tab.keyboard.press("Tab")
    tab.keyboard.press("Tab")  # A+
    tab.keyboard.press("Enter")
    tab.keyboard.press("Enter")
    assert "a11y-text-2" in tab.get_attribute("html", "class")
    assert tab.inner_text(".a11y-panel__status") == "字号：125%"
    contrast = tab.locator('[data-token="hc"]')
    contrast.focus()
    tab.keyboard.press("Space")
    assert contrast.get_attribute("aria-pressed") == "true"
    assert "a11y-contrast" in tab.get_attribute("html", "class")
    tab.keyboard.press("Escape")
    assert tab.evaluate("document.activeElement.id") == "a11y-toggle"
    assert tab.locator("#a11y-panel").is_hidden()

    # another page of the same site: the choices are there on first paint (server-rendered)
    response = tab.goto(portal_server("jia") + "/tzgg/")
    first_paint_classes = re.search(r'<html[^>]*class="([^"]*)"', response.text()).group(1)
    assert "a11y-text-2" in first_paint_classes and "a11y-contrast" in first_paint_classes

    tab.click("#a11y-toggle")
    tab.click('[data-a11y="reset"]')
    assert "a11y-" not in tab.get_attribute("html", "class")
    context.close()


def test_read_aloud_uses_the_browsers_speech_synthesis(browser, portal_server):
    context = new_context(browser, portal_server)
    context.add_init_script(
        "window.__spoken = [];"
        "window.speechSynthesis.speak = u => window.__spoken.push([u.text, u.lang]);"
        "window.speechSynthesis.cancel = () => {};"
    )
    tab = context.new_page()
    tab.goto(portal_server("main") + "/gzdt/swyw/")
    tab.click("#a11y-toggle")
    tab.click('[data-a11y="speak"]')
    text, lang = tab.evaluate("window.__spoken[0]")
    assert text.startswith("税务要闻") and lang == "zh-CN"
    tab.evaluate(
        "(() => { const r = document.createRange(); r.selectNodeContents(document.querySelector('h1'));"
        " getSelection().removeAllRanges(); getSelection().addRange(r); })()"
    )
    tab.click('[data-a11y="speak"]')
    assert tab.evaluate("window.__spoken[1][0]") == "税务要闻"
    assert tab.inner_text(".a11y-panel__status") == "正在朗读所选内容"
    context.close()


def test_keyboard_journey_guide_filter_and_form_download(browser, portal_server):
    context = new_context(browser, portal_server, accept_downloads=True)
    tab = context.new_page()
    tab.goto(portal_server("main") + "/")
    tab_until(tab, "document.activeElement.textContent.trim().startsWith('办事指南')")
    with tab.expect_navigation():
        tab.keyboard.press("Enter")
    assert tab.inner_text("h1") == "办事指南"
    tab_until(tab, "document.activeElement.textContent.trim().startsWith('发票办理')")
    with tab.expect_navigation():
        tab.keyboard.press("Enter")
    assert "theme=fpbl" in tab.url and "已筛选：发票办理" in tab.inner_text(".result-count")
    tab_until(tab, "document.activeElement.closest('.guide-list__title') !== null")
    with tab.expect_navigation():
        tab.keyboard.press("Enter")
    tab_until(tab, "(document.activeElement.getAttribute('href') || '').startsWith('/forms/download/')")
    # PDFs open inline and DOCX files download; either way the file itself is served.
    with tab.expect_response(lambda r: "/documents/" in r.url) as served:
        tab.keyboard.press("Enter")
    assert served.value.status == 200
    assert served.value.headers["content-type"] in (
        "application/pdf",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    context.close()


def test_keyboard_journey_search_and_open_a_result(browser, portal_server):
    context = new_context(browser, portal_server)
    tab = context.new_page()
    tab.goto(portal_server("main") + "/")
    tab_until(tab, "document.activeElement.id === 'site-search-q'")
    tab.keyboard.type("纳税人")
    with tab.expect_navigation():
        tab.keyboard.press("Enter")
    assert "/search/" in tab.url
    # the first result that is a page (a form's result downloads its file instead)
    href = tab_until(
        tab,
        "document.activeElement.closest('.search-results') !== null"
        " && !document.activeElement.getAttribute('href').startsWith('/forms/download/')",
    )
    with tab.expect_navigation():
        tab.keyboard.press("Enter")
    assert tab.url.endswith(href) and tab.locator("h1").count() == 1
    context.close()


def test_focus_is_never_trapped_in_the_toolbar(browser, portal_server):
    context = new_context(browser, portal_server)
    tab = context.new_page()
    tab.goto(portal_server("yi") + "/")
    tab.click("#a11y-toggle")
    for _ in range(20):
        tab.keyboard.press("Tab")
        if not tab.evaluate("!!document.activeElement.closest('.a11y-bar')"):
            break
    else:
        pytest.fail("Tab never left the toolbar")
    context.close()


def test_wcag_rule_set_is_the_one_required():
    assert set(WCAG_21_AA["runOnly"]["values"]) == {"wcag2a", "wcag2aa", "wcag21a", "wcag21aa"}
    assert WCAG_21_AA["rules"]["region"] == {"enabled": True}  # content outside landmarks too
