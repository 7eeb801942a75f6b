"""Every public form, filled in and sent in a real browser, reaches its confirmation at the
address the visitor used: 127.0.0.1 (the README's address, which the main site's
``localhost`` record serves), ``localhost`` and a city host. A redirect to another host
than the visitor's would be refused by the Content-Security-Policy's ``form-action 'self'``
and leave the visitor on the form with no message (issue #22)."""

import re

import pytest

from tests.browser.helpers import captcha_answer

ANSWER_SURVEY = """() => {
  const form = document.querySelector('main form[method=post]');
  const groups = new Set([...form.querySelectorAll('input[type=radio], input[type=checkbox]')].map(i => i.name));
  for (const name of groups) form.querySelector(`input[name="${name}"]`).click();
  for (const area of form.querySelectorAll('textarea')) area.value = '建议延长申报期服务时间。';
}"""


def base_for(portal_server, address: str) -> str:
    """``127.0.0.1`` reaches the same server as ``localhost`` (the main site's record)."""
    main = portal_server("main")
    return main.replace("localhost", "127.0.0.1") if address == "127.0.0.1" else portal_server(address)


def answer_captcha(page, portal_server) -> None:
    page.fill("#id_captcha_1", captcha_answer(portal_server, page.get_attribute("input[name=captcha_0]", "value")))


def send(page, label: str) -> None:
    with page.expect_navigation():
        page.click(f"main form[method=post] button[type=submit]:has-text('{label}')")


def write_letter(page, portal_server, base, mailbox="/hdjl/jzxx/"):
    page.goto(base + mailbox)
    page.fill("#id_name", "孙测试")
    page.fill("#id_phone", "13900001234")
    page.select_option("#id_category", index=1)
    page.fill("#id_subject", "浏览器测试来信")
    page.fill("#id_content", "请问电子税务局的发票查验入口在哪里？")
    answer_captcha(page, portal_server)
    send(page, "提交来信")
    return "/sent/", "来信已提交"


def look_up(page, portal_server, base):
    page.goto(base + "/hdjl/jzxx/lookup/")
    page.fill("#id_code", "XJDEMOM01")
    page.fill("#id_password", "DEMO2026")
    answer_captcha(page, portal_server)
    send(page, "查询")
    return "/lookup/", "办理过程"


def ask(page, portal_server, base):
    page.goto(base + "/zxft/")
    href = page.locator("a[href*='interview-service-measures']").first.get_attribute("href")
    page.goto(base + re.sub(r"^https?://[^/]+", "", href) + "ask/")
    page.fill("#id_content", "请问跨区域涉税事项报告能否全程网上办理？")
    answer_captcha(page, portal_server)
    send(page, "提交问题")
    return "/ask/sent/", "问题已提交"


def comment(page, portal_server, base):
    page.goto(base + "/hdjl/yjzj/nsjf-fwgf-2026/comment/")
    page.fill("#id_content", "建议写明帮办服务的预约方式。")
    answer_captcha(page, portal_server)
    send(page, "提交意见")
    return "/comment/sent/", "意见已提交"


def answer_survey(page, portal_server, base):
    page.goto(base + "/hdjl/wsdc/nsrmyd-2026/")
    page.evaluate(ANSWER_SURVEY)
    answer_captcha(page, portal_server)
    send(page, "提交问卷")
    return "/sent/", "问卷已提交"


def give_feedback(page, portal_server, base):
    page.goto(base + "/nsfw/cjwt/")
    entry = page.locator("main a[href*='/nsfw/cjwt/']").filter(has_text=re.compile(".{6,}")).first
    page.goto(base + re.sub(r"^https?://[^/]+", "", entry.get_attribute("href")) + "feedback/?helpful=yes")
    answer_captcha(page, portal_server)
    send(page, "提交评价")
    return "/feedback/thanks/", "感谢您的评价"


FORMS = [write_letter, look_up, ask, comment, answer_survey, give_feedback]


@pytest.mark.parametrize("address", ["127.0.0.1", "main"])
@pytest.mark.parametrize("fill", FORMS, ids=[form.__name__ for form in FORMS])
def test_every_public_form_completes_at_the_address_the_visitor_used(browser, portal_server, address, fill):
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    refused = []
    page.on("console", lambda note: refused.append(note.text) if "Content Security Policy" in note.text else None)
    base = base_for(portal_server, address)
    path_end, heading = fill(page, portal_server, base)
    assert page.url.startswith(base), f"left {base} for {page.url}"
    assert page.url.split("?")[0].endswith(path_end), (page.url, page.locator(".error-summary").all_inner_texts())
    assert heading in page.inner_text("main"), page.inner_text("main")[:300]
    assert not refused, refused
    context.close()


def test_a_letter_to_a_city_mailbox_completes_on_the_city_host(browser, portal_server):
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    base = portal_server("jia")
    path_end, heading = write_letter(page, portal_server, base)
    assert page.url.startswith(base) and page.url.endswith(path_end), page.url
    assert heading in page.inner_text("h1")
    context.close()
