"""A live interview in three browsers: the public follows the page, the host starts the
interview, approves a question and sends a guest link, the guest answers, and the answer
appears on the public page without a reload, announced politely to screen readers."""

import re
import sqlite3

from tests.browser.helpers import axe_violations


def upcoming_interview(portal_server) -> tuple[int, str]:
    """(page id, URL path) of the demo's upcoming interview, read from the server's database."""
    with sqlite3.connect(portal_server.database) as db:
        page_id, url_path = db.execute(
            "SELECT p.id, p.url_path FROM interviews_interviewpage i JOIN wagtailcore_page p ON p.id = i.page_ptr_id"
            " WHERE i.scheduled_start > datetime('now') AND p.live ORDER BY i.scheduled_start LIMIT 1"
        ).fetchone()
    # url_path is /<home slug>/zxft/<slug>/: drop the site root's segment.
    return page_id, "/" + url_path.strip("/").split("/", 1)[1] + "/"


def test_an_answer_appears_on_the_public_page_without_reload(browser, portal_server):
    base = portal_server("main")
    page_id, path = upcoming_interview(portal_server)

    public_context = browser.new_context(locale="zh-CN")
    public = public_context.new_page()
    public.goto(base + path)
    assert public.locator("[data-status-label]").inner_text() == "预告"
    public.evaluate("window.__notReloaded = true")

    host_context = browser.new_context(locale="zh-CN")
    host = host_context.new_page()
    host.goto(base + "/admin/login/")
    host.fill("#id_username", "host")
    host.fill("#id_password", "demo-host-2026")
    with host.expect_navigation():
        host.click("button[type=submit]")
    host.goto(f"{base}/admin/interviews/{page_id}/")
    with host.expect_navigation():
        host.click("button:has-text('开始直播')")
    question = host.locator("[id^=question-]").first
    question_text = question.locator("p").nth(1).inner_text().strip()
    guest_option = question.locator("select option").nth(1)
    guest_name, guest_id = guest_option.inner_text(), guest_option.get_attribute("value")
    question.locator("select").select_option(value=guest_id)
    with host.expect_navigation():
        question.get_by_role("button", name="通过", exact=True).click()

    # The public page learns about the start and the approved question by polling.
    # (locators, not wait_for_function: the page's CSP forbids the eval that one uses)
    public.locator("[data-status-label]", has_text="直播中").wait_for(timeout=20000)
    public.locator(".entry--question", has_text=question_text[:15]).wait_for(timeout=20000)

    host.locator("#id_guest").select_option(value=guest_id)
    with host.expect_navigation():
        host.click("button:has-text('生成嘉宾链接')")
    link = host.locator("input[readonly]").first.input_value()
    assert re.search(rf"/interviews/{page_id}/guest/[^/]+/$", link)

    guest_context = browser.new_context(locale="zh-CN")
    guest = guest_context.new_page()
    guest.goto(link)
    assert guest_name in guest.inner_text("h1 + p")
    assert not axe_violations(guest, None)
    answer = "可以的，这项业务已经实现全程网上办理，登录电子税务局即可提交。"
    box = guest.locator(".guest-question", has_text=question_text[:15])
    box.locator("textarea").fill(answer)
    with guest.expect_navigation():
        box.locator("button:has-text('发布回答')").click()
    assert "已发布" in guest.inner_text("main")

    posted = public.locator(".entry--question", has_text=question_text[:15]).locator(".entry--answer", has_text=answer)
    posted.wait_for(timeout=20000)
    assert public.evaluate("window.__notReloaded") is True
    assert answer[:10] in public.inner_text("[data-announcer]")
    assert public.evaluate("document.activeElement === document.body")  # focus was not moved
    assert not axe_violations(public, None)
    for context in (public_context, host_context, guest_context):
        context.close()
