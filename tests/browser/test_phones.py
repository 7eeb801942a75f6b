"""Phones (issue 22, item 2): at 320 and 375 px wide no text is squeezed into a column
narrower than three characters, the page's heading is on the first screen, nothing scrolls
sideways, the main navigation is one 栏目导航 bar that opens and closes by keyboard without
JavaScript, wide tables stack or scroll in a labelled region, and the primary buttons are as
large as the labels of their forms. Widths and heights are those of real phones (320×568,
375×667); 1280 px wide is checked where the same defect showed on a desktop."""

import pytest

from tests.browser.helpers import new_context, tab_until

PHONES = [(320, 568), (375, 667)]

# (site, path): a guide with materials, the letter form, the statistics, the search page and
# home pages of the main and a city site; a published-letter list, survey results and the
# English guide also hold tables.
PAGES = [
    ("main", "/nsfw/bszn/fp-pzhd/"),
    ("main", "/hdjl/zxxx/"),
    ("main", "/hdjl/statistics/"),
    ("main", "/search/?q=发票"),
    ("main", "/"),
    ("jia", "/"),
    ("jia", "/hdjl/"),
    ("main", "/hdjl/zxxx/letters/"),
    ("main", "/hdjl/wsdc/chunfeng-2026/results/"),
    ("main", "/en/taxpayer-services/service-guides/fp-pzhd/"),
    ("main", "/en/"),
]

# Text squeezed into a narrow column: a visible table cell narrower than three characters
# (3 × its font size), or a text of three or more characters that wraps onto two or more lines
# starting at the same left edge, none of them three characters wide (本站/全部站点 one character
# a line). A text that only breaks at the end of a line (its first piece starts further right)
# is not a column.
NARROW_TEXT = """() => {
  const found = [];
  const hidden = '.visually-hidden, [aria-hidden="true"], svg, select';
  const clipped = el => {  // inside a box clipped to a pixel (a stacked table's header row)
    for (let a = el; a; a = a.parentElement) {
      if (getComputedStyle(a).clipPath !== 'none' && a.getBoundingClientRect().width <= 1) return true;
    }
    return false;
  };
  const visible = el => el.getClientRects().length && !el.closest(hidden) && !clipped(el);
  for (const cell of document.querySelectorAll('main th, main td')) {
    if (!visible(cell) || !cell.textContent.trim()) continue;
    const size = parseFloat(getComputedStyle(cell).fontSize);
    const width = cell.getBoundingClientRect().width;
    const text = cell.textContent.trim().slice(0, 12);
    if (width < 3 * size) found.push(`cell "${text}": ${Math.round(width)}px < 3 × ${size}px`);
  }
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.textContent.trim();
    if ([...text].length < 3 || !visible(node.parentElement)) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    const lines = [...range.getClientRects()].filter(r => r.width > 0);
    const left = lines.length ? lines[lines.length - 1].left : 0;
    if (lines.filter(r => Math.abs(r.left - left) < 1.5).length < 2) continue;
    const size = parseFloat(getComputedStyle(node.parentElement).fontSize);
    const widest = Math.max(...lines.map(r => r.width));
    if (widest < 3 * size) found.push(`"${text.slice(0, 12)}" in ${lines.length} lines of ≤ ${Math.round(widest)}px`);
  }
  return found;
}"""


def urls(portal_server):
    return [portal_server(site) + path for site, path in PAGES]


@pytest.mark.parametrize("width, height", [*PHONES, (1280, 800)])
def test_no_text_is_squeezed_into_a_narrow_column(browser, portal_server, width, height):
    context = new_context(browser, portal_server, viewport={"width": width, "height": height})
    tab = context.new_page()
    failures = {}
    for url in urls(portal_server):
        tab.goto(url)
        if found := tab.evaluate(NARROW_TEXT):
            failures[url] = found[:5]
    context.close()
    assert not failures, f"{width}px:\n" + "\n".join(f"{u}\n  " + "\n  ".join(f) for u, f in failures.items())


@pytest.mark.parametrize("width, height", PHONES)
@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_the_heading_is_on_the_first_screen_and_nothing_scrolls_sideways(
    browser, portal_server, width, height, javascript
):
    context = new_context(
        browser, portal_server, viewport={"width": width, "height": height}, java_script_enabled=javascript
    )
    tab = context.new_page()
    failures = {}
    for url in urls(portal_server):
        tab.goto(url)
        problems = []
        page = tab.evaluate(
            """() => ({
              h1: document.querySelector('h1').getBoundingClientRect().bottom,
              nav: document.querySelector('.main-nav').getBoundingClientRect().height,
              scrollWidth: document.scrollingElement.scrollWidth,
            })"""
        )
        if page["h1"] > height:
            problems.append(f"h1 ends {round(page['h1'])}px down, below the first screen ({height}px)")
        if page["nav"] > 64:  # one 栏目导航 bar, not rows of links
            problems.append(f"the main navigation is {round(page['nav'])}px tall")
        if page["scrollWidth"] > width:
            problems.append(f"the page is {page['scrollWidth']}px wide")
        if problems:
            failures[url] = problems
    context.close()
    assert not failures, "\n".join(f"{u}\n  " + "\n  ".join(p) for u, p in failures.items())


MENU_LINKS = "document.querySelectorAll('.main-nav__list a')"


@pytest.mark.parametrize("site", ["main", "jia"])
def test_the_menu_opens_and_closes_by_keyboard_without_javascript(browser, portal_server, site):
    context = new_context(browser, portal_server, viewport={"width": 375, "height": 667}, java_script_enabled=False)
    tab = context.new_page()
    tab.goto(portal_server(site) + "/nsfw/")
    assert "no-js" in tab.get_attribute("html", "class")
    menu = tab.locator(".main-nav summary")
    assert menu.inner_text().strip() == "栏目导航"
    links = tab.locator(".main-nav__list a")
    count = links.count()
    assert count >= 5 and not links.first.is_visible()  # closed: one bar

    tab_until(tab, "document.activeElement.matches('.main-nav summary')")
    assert menu.get_attribute("aria-expanded") is None  # <details> says expanded/collapsed itself
    tab.keyboard.press("Enter")
    assert tab.locator(".main-nav details").get_attribute("open") is not None
    assert links.first.is_visible() and links.nth(count - 1).is_visible()
    # every link is next in the tab order, the current column marked
    reached = []
    for _ in range(count):
        tab.keyboard.press("Tab")
        reached.append(tab.evaluate("document.activeElement.getAttribute('href')"))
    assert reached == tab.evaluate(f"[...{MENU_LINKS}].map(a => a.getAttribute('href'))")
    assert "/nsfw/" in reached and tab.locator(".main-nav__list a[aria-current]").count() == 1
    for _ in range(count):
        tab.keyboard.press("Shift+Tab")
    assert tab.evaluate("document.activeElement.matches('.main-nav summary')")
    tab.keyboard.press("Space")
    assert tab.locator(".main-nav details").get_attribute("open") is None
    assert not links.first.is_visible()
    context.close()


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_on_wide_screens_the_menu_is_a_row_of_links(browser, portal_server, javascript):
    viewport = {"width": 1280, "height": 800}
    context = new_context(browser, portal_server, viewport=viewport, java_script_enabled=javascript)
    tab = context.new_page()
    tab.goto(portal_server("main") + "/")
    assert not tab.locator(".main-nav summary").is_visible()
    tops = tab.evaluate(f"[...{MENU_LINKS}].map(a => a.getBoundingClientRect().top)")
    assert len(tops) >= 5 and len(set(tops)) == 1  # all visible, on one row
    tab_until(tab, f"document.activeElement === {MENU_LINKS}[1]")
    context.close()


TABLES = """() => [...document.querySelectorAll('main table')].map(table => {
  const region = table.closest('.table-scroll');
  const first = table.querySelector('tbody tr > :first-child');
  return {
    caption: (table.caption ? table.caption.textContent : '').trim().slice(0, 20),
    scrolls: region ? region.scrollWidth > region.clientWidth : table.getBoundingClientRect().width > innerWidth,
    stacked: getComputedStyle(table.querySelector('tbody tr')).display !== 'table-row',
    region: region ? {role: region.getAttribute('role'), tabindex: region.getAttribute('tabindex'),
                      label: region.getAttribute('aria-label') || region.getAttribute('aria-labelledby')} : null,
    sticky: first ? getComputedStyle(first).position : '',
    labels: [...table.querySelectorAll('tbody td')].filter(td => td.getClientRects().length)
      .map(td => [td.dataset.label || '', getComputedStyle(td, '::before').content]),
  };
})"""


@pytest.mark.parametrize("width", [320, 375])
def test_wide_tables_stack_or_scroll_in_a_labelled_region(browser, portal_server, width):
    context = new_context(browser, portal_server, viewport={"width": width, "height": 667})
    tab = context.new_page()
    failures = []
    for url in urls(portal_server):
        tab.goto(url)
        for table in tab.evaluate(TABLES):
            where = f"{url} {table['caption']!r}"
            if table["stacked"]:  # each cell says which column it is
                unlabelled = [label for label, shown in table["labels"] if not label or label not in shown]
                if unlabelled:
                    failures.append(f"{where}: stacked cells without their column's name")
            elif table["scrolls"]:
                region = table["region"] or {}
                if region.get("role") != "region" or region.get("tabindex") != "0" or not region.get("label"):
                    failures.append(f"{where}: scrolls outside a labelled, focusable region")
                if table["sticky"] != "sticky":
                    failures.append(f"{where}: scrolls away its first column")
    context.close()
    assert not failures, "\n".join(failures)


def test_the_materials_stack_and_the_statistics_scroll_by_keyboard(browser, portal_server):
    context = new_context(browser, portal_server, viewport={"width": 375, "height": 667})
    tab = context.new_page()
    tab.goto(portal_server("main") + "/nsfw/bszn/fp-pzhd/")
    materials = tab.locator("table.materials")
    assert materials.locator("thead").is_hidden() or materials.locator("thead").bounding_box()["height"] <= 1
    cell = materials.locator("tbody tr").first.locator("td").first
    assert cell.evaluate("td => getComputedStyle(td, '::before').content").startswith('"形式与份数"')
    tab.goto(portal_server("main") + "/hdjl/statistics/")
    region = tab.locator(".table-scroll").first
    region.focus()
    tab.keyboard.press("ArrowRight")
    tab.keyboard.press("ArrowRight")
    tab.wait_for_timeout(300)
    assert region.evaluate("r => r.scrollLeft") > 0
    context.close()


SUBMIT_BUTTONS = """() => [...document.querySelectorAll('main form')].map(form => {
  const button = form.querySelector('button[type=submit]:not(.button-link)');
  if (!button) return null;
  const labels = [...form.querySelectorAll('label, legend')].filter(l => l.getClientRects().length
    && !l.closest('.visually-hidden, .field--trap'));
  const box = button.getBoundingClientRect();
  return {
    text: button.textContent.trim(),
    size: parseFloat(getComputedStyle(button).fontSize),
    labels: Math.max(...labels.map(l => parseFloat(getComputedStyle(l).fontSize)), 0),
    body: parseFloat(getComputedStyle(document.body).fontSize),
    height: box.height,
    width: box.width,
  };
}).filter(Boolean)"""


@pytest.mark.parametrize("width", [320, 1280])
def test_primary_buttons_are_at_least_as_large_as_the_labels(browser, portal_server, width):
    context = new_context(browser, portal_server, viewport={"width": width, "height": 800})
    tab = context.new_page()
    base = portal_server("main")
    failures = []
    for path in ["/hdjl/zxxx/", "/hdjl/statistics/", "/search/?q=发票", "/hdjl/zxxx/lookup/", "/hdjl/zxxx/letters/"]:
        tab.goto(base + path)
        buttons = tab.evaluate(SUBMIT_BUTTONS)
        assert buttons, path
        for b in buttons:
            if b["size"] < max(b["labels"], b["body"]) or b["height"] < 44 or b["width"] < 44:
                failures.append(
                    f"{path} {b['text']}: {b['size']}px text (labels {b['labels']}px), "
                    f"{round(b['width'])}×{round(b['height'])}px"
                )
    context.close()
    assert not failures, "\n".join(failures)
