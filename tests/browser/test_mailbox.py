"""The mailbox in a real browser: forms showing their errors pass axe, and a letter can be
written and sent with the keyboard alone, using the captcha's audio alternative."""

import pytest

from tests.browser.helpers import axe_violations, captcha_answer, new_context, tab_until


@pytest.mark.parametrize("site", ["main", "jia", "yi"])
def test_forms_showing_their_errors_pass_axe(portal_server, page, site):
    base = portal_server(site)
    page.goto(base + "/hdjl/")
    mailbox = page.locator(".mailbox-list__title a").first.get_attribute("href")
    page.goto(base + mailbox)
    with page.expect_navigation():
        page.click("button[type=submit]:has-text('提交来信')")
    assert page.locator(".error-summary").is_visible()
    failures = {"letter form": axe_violations(page, None)}
    page.goto(base + mailbox + "lookup/")
    page.fill("#id_code", "XJ000000NOPE")
    page.fill("#id_password", "WRONG")
    page.fill("#id_captcha_1", captcha_answer(portal_server, page.get_attribute("input[name=captcha_0]", "value")))
    with page.expect_navigation():
        page.click("button[type=submit]:has-text('查询')")
    assert "查询码或密码不正确" in page.inner_text(".error-summary")
    failures["lookup"] = axe_violations(page, None)
    for url in (mailbox + "lookup/", mailbox + "letters/?category=x&year=1999"):
        failures[url] = axe_violations(page, base + url)
    failures = {name: found for name, found in failures.items() if found}
    assert not failures, failures


def test_keyboard_journey_write_a_letter_with_the_audio_captcha(browser, portal_server):
    context = new_context(browser, portal_server)
    tab = context.new_page()
    tab.goto(portal_server("jia") + "/hdjl/")
    tab_until(tab, "document.activeElement.closest('.mailbox-list__title') !== null")
    with tab.expect_navigation():
        tab.keyboard.press("Enter")

    tab_until(tab, "document.activeElement.id === 'id_name'")
    tab.keyboard.type("钱多多")
    tab.keyboard.press("Tab")
    tab.keyboard.type("13900005678")
    tab.keyboard.press("Tab")
    tab.keyboard.type("qian.dd@example.com")
    tab.keyboard.press("Tab")
    assert tab.evaluate("document.activeElement.id") == "id_category"
    tab.keyboard.press("ArrowDown")
    tab.keyboard.press("Tab")
    tab.keyboard.type("办税服务厅叫号屏幕看不清")
    tab.keyboard.press("Tab")
    tab.keyboard.type("东湖区办税服务厅的叫号屏幕字太小，老年人看不清，建议增加语音叫号。")
    tab.keyboard.press("Tab")
    assert tab.evaluate("document.activeElement.type") == "file"
    tab.keyboard.press("Tab")
    assert tab.evaluate("document.activeElement.id") == "id_consent_publish"
    tab.keyboard.press("Space")

    # The audio alternative is reachable by keyboard and serves the spoken challenge.
    href = tab_until(tab, "document.activeElement.classList.contains('captcha__audio')")
    # (fetched by the page itself: Chromium resolves *.localhost, Playwright's own client does not)
    status, head = tab.evaluate(
        """async (href) => {
            const response = await fetch(href);
            const bytes = new Uint8Array(await response.arrayBuffer());
            return [response.status, String.fromCharCode(...bytes.slice(0, 4))];
        }""",
        href,
    )
    assert status == 200 and head == "RIFF"
    key = href.rsplit("/", 1)[1].removesuffix(".wav")
    tab.keyboard.press("Shift+Tab")  # back to the answer field
    assert tab.evaluate("document.activeElement.id") == "id_captcha_1"
    tab.keyboard.type(captcha_answer(portal_server, key))
    with tab.expect_navigation():
        tab.keyboard.press("Enter")
    assert tab.url.endswith("/sent/"), tab.locator(".error-summary").all_inner_texts()
    assert "来信已提交" in tab.inner_text("h1")
    assert tab.locator(".credentials code").count() == 2
    context.close()
