"""Search in the browser: suggestions while typing (the keyboard journey to a result is in
test_toolbar_and_modes.py)."""


def test_the_header_box_suggests_guide_titles_while_typing(portal_server, page):
    page.goto(portal_server("main") + "/")
    box = page.locator("#site-search-q")
    assert box.get_attribute("list") == "site-search-q-suggestions"  # set up by suggest.js
    box.focus()
    page.keyboard.type("发票")
    # a locator, not wait_for_function: the page's CSP forbids the eval that one uses
    page.locator("#site-search-q-suggestions option").first.wait_for(state="attached", timeout=5000)
    options = page.eval_on_selector_all("#site-search-q-suggestions option", "els => els.map(e => e.value)")
    assert options and all("发票" in option for option in options)
