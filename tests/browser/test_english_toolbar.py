"""The accessibility toolbar on an English page (issue 22, item 3): every message a11y.js
writes (the status line, the elderly-mode link) comes from the page, in its language."""

import re

from tests.browser.helpers import new_context

HAN = re.compile(r"[\u3400-\u9fff\uff00-\uffef\u3000-\u303f]")  # Chinese and full-width punctuation


def test_the_toolbar_speaks_english_on_english_pages(browser, portal_server):
    context = new_context(browser, portal_server)
    context.add_init_script(
        "window.__spoken = [];"
        "window.speechSynthesis.speak = u => window.__spoken.push([u.text, u.lang]);"
        "window.speechSynthesis.cancel = () => {};"
    )
    tab = context.new_page()
    tab.goto(portal_server("main") + "/en/news/")
    status = tab.locator(".a11y-panel__status")
    elderly_link = tab.locator("[data-a11y-elderly-link]")
    said = []

    def press(selector):
        tab.click(selector)
        said.append(status.inner_text())
        return said[-1]

    tab.click("#a11y-toggle")
    press('[data-a11y="text-up"]')
    assert press('[data-a11y="text-up"]') == "Text size: 125%"
    assert press('[data-a11y="text-reset"]') == "Text size: 100%"
    assert press('[data-token="hc"]') == "High contrast: on"
    assert press('[data-token="hc"]') == "High contrast: off"
    assert press('[data-token="el"]') == "Senior mode: on"
    assert elderly_link.inner_text() == "Exit senior mode"
    assert press('[data-token="el"]') == "Senior mode: off"
    assert elderly_link.inner_text() == "Senior mode"
    assert press('[data-a11y="speak"]') == "Reading the page aloud"
    assert tab.evaluate("window.__spoken[0][1]") == "en-US"
    tab.evaluate(
        "(() => { const r = document.createRange(); r.selectNodeContents(document.querySelector('h1'));"
        " getSelection().removeAllRanges(); getSelection().addRange(r); })()"
    )
    assert press('[data-a11y="speak"]') == "Reading the selection aloud"
    assert press('[data-a11y="stop"]') == "Reading aloud stopped"
    assert press('[data-a11y="reset"]') == "Display reset to the default"
    assert not [message for message in said if HAN.search(message)], said
    context.close()

    # a browser without speech synthesis is told so, in English
    context = new_context(browser, portal_server)
    context.add_init_script("delete window.speechSynthesis; delete window.SpeechSynthesisUtterance;")
    tab = context.new_page()
    tab.goto(portal_server("main") + "/en/")
    tab.click("#a11y-toggle")
    tab.click('[data-a11y="speak"]')
    assert tab.inner_text(".a11y-panel__status") == "Your browser cannot read aloud; you can use a screen reader."
    context.close()


def test_the_chinese_toolbar_still_speaks_chinese(browser, portal_server):
    context = new_context(browser, portal_server)
    tab = context.new_page()
    tab.goto(portal_server("jia") + "/")
    tab.click("#a11y-toggle")
    tab.click('[data-token="el"]')
    assert tab.inner_text(".a11y-panel__status") == "长者模式已开启"
    assert tab.inner_text("[data-a11y-elderly-link]") == "退出长者模式"
    tab.click('[data-a11y="reset"]')
    assert tab.inner_text(".a11y-panel__status") == "已恢复默认显示"
    assert tab.inner_text("[data-a11y-elderly-link]") == "长者模式"
    context.close()
