"""依申请公开 in a real browser: the form showing its errors and the lookup results (a decided
application with its 告知书 link, one waiting for 补正 with its form) pass axe, and an
application can be filled in and sent, ending with Enter in the captcha field."""

from tests.browser.helpers import axe_violations, captcha_answer


def look_up(portal_server, page, base, code):
    page.goto(base + "/xxgk/ysqgk/lookup/")
    page.fill("#id_code", code)
    page.fill("#id_password", "DEMO2026")
    page.fill("#id_captcha_1", captcha_answer(portal_server, page.get_attribute("input[name=captcha_0]", "value")))
    with page.expect_navigation():
        page.click("button[type=submit]:has-text('查询')")


def test_the_form_and_the_lookup_results_pass_axe(portal_server, page):
    base = portal_server("main")
    page.goto(base + "/xxgk/ysqgk/")
    with page.expect_navigation():
        page.click("button[type=submit]:has-text('提交申请')")
    assert page.locator(".error-summary").is_visible()
    failures = {"form with errors": axe_violations(page, None)}
    look_up(portal_server, page, base, "GKDEMOM05")
    assert "下载告知书" in page.inner_text("main")
    failures["decided"] = axe_violations(page, None)
    look_up(portal_server, page, base, "GKDEMOM28")
    assert page.locator("#id_text").is_visible()
    failures["clarifying"] = axe_violations(page, None)
    failures = {name: found for name, found in failures.items() if found}
    assert not failures, failures


def test_an_application_is_filled_in_and_sent(portal_server, page):
    base = portal_server("jia")
    page.goto(base + "/xxgk/ysqgk/")
    page.select_option("#id_applicant_type", "person")
    fields = [
        ("#id_name", "钱多多"),
        ("#id_id_number", "119900199001010010"),
        ("#id_phone", "13900005678"),
        ("#id_email", "qian.dd@example.com"),
        ("#id_info_title", "甲市2025年税收宣传月活动经费"),
        ("#id_info_description", "甲市税务局2025年税收宣传月活动的经费预算和支出明细。"),
    ]
    page.select_option("#id_id_type", "id_card")
    page.select_option("#id_delivery", "email")
    for selector, text in fields:
        page.focus(selector)
        page.keyboard.type(text)
    page.focus("#id_captcha_1")
    page.keyboard.type(captcha_answer(portal_server, page.get_attribute("input[name=captcha_0]", "value")))
    with page.expect_navigation():
        page.keyboard.press("Enter")
    errors = page.locator(".error-summary")
    assert "申请已提交" in page.inner_text("h1"), errors.inner_text() if errors.count() else page.url
    assert page.locator(".credentials code").first.inner_text().startswith("GK")
