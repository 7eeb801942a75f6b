"""What a result shows under its title (issue #22): text a citizen reads on the page, never a
heading's level, a choice's label or a service item's code; the code is
still searchable and shown under its label when it is what was searched for."""

import json
import re

import pytest
from wagtail.images import get_image_model
from wagtail.models import Page, Site

from home.models import ArticlePage, ColumnPage
from search.engine import build_query
from search.index import searchable_text
from tests.helpers import HOSTS

pytestmark = pytest.mark.django_db

ITEM_CODE = re.compile(r"\d{8}MB\d{7}[0-9A-Z]{10}")  # the demo's 事项编码, 11990000MB0000001A400010100 …


def search(client, **params):
    response = client.get("/search/", params)
    assert response.status_code == 200
    return response.content.decode()


def results(html: str) -> dict[str, str]:
    """{result link: the result's whole entry}, in order."""
    items = re.findall(r'<li class="search-result">(.*?)</li>', html.split("<main", 1)[1], re.S)
    return {re.search(r'<h3><a href="([^"]+)"', item).group(1): item for item in items}


def snippet_of(item: str) -> str:
    found = re.search(r'<p class="search-result__snippet">(.*?)</p>', item, re.S)
    return found.group(1) if found else ""


@pytest.fixture
def page_with_headings():
    root = Site.objects.get(hostname=HOSTS["main"]).root_page
    column = ColumnPage.objects.descendant_of(root).get(slug="swyw")
    image = get_image_model().objects.first()
    body = [
        {"type": "heading", "value": {"text": "办理渠道", "level": "h2"}},
        {"type": "paragraph", "value": "<p>可通过<b>电子税务局</b>办理。</p>"},
        {"type": "heading", "value": {"text": "注意事项", "level": "h3"}},
        {
            "type": "table",
            "value": {
                "table_caption": "办结时限一览",
                "first_row_is_table_header": True,
                "first_col_is_header": False,
                "data": [["事项", "时限"], ["变更登记", "即时办结"]],
            },
        },
        {
            "type": "image",
            "value": {
                "image": {"image": image.pk, "alt_text": "窗口工作人员正在核对资料", "decorative": False},
                "caption": "办税服务厅一角",
            },
        },
    ]
    return column.add_child(instance=ArticlePage(title="变更登记须知", slug="headings-test", body=json.dumps(body)))


def test_the_searchable_text_of_a_body_is_the_text_on_the_page(page_with_headings):
    text = searchable_text(page_with_headings)
    # the alt text is what a screen reader reads for the picture
    for shown in [
        "办理渠道",
        "电子税务局",
        "注意事项",
        "办结时限一览",
        "即时办结",
        "窗口工作人员正在核对资料",
        "办税服务厅一角",
    ]:
        assert shown in text
    for hidden in ["h2", "h3", "二级标题", "三级标题", "<b>", f"{get_image_model().objects.first().pk}"]:
        assert hidden not in text


def test_heading_levels_are_not_indexed_but_heading_texts_are(page_with_headings):
    page = Page.objects.filter(pk=page_with_headings.pk)
    assert list(page.search(build_query(["注意事项"], {}))) == [page_with_headings.page_ptr]
    assert list(page.search(build_query(["办结时限一览"], {}))) == [page_with_headings.page_ptr]
    for label in ["二级标题", "三级标题", "h2", "h3"]:
        assert not page.search(build_query([label], {})), label


def test_snippets_of_guides_and_policies_show_prose_only(site_client):
    client = site_client("main")
    shown = {}
    for query in ["票种核定", "出台背景"]:
        shown |= results(search(client, q=query))
    assert "/nsfw/bszn/fp-pzhd/" in shown  # a service guide (发票票种核定)
    assert any(link.startswith("/zcjd/") for link in shown)  # interpretations, whose bodies have headings
    assert any(link.startswith("/zcwj/") for link in shown)  # a policy document
    snippets = [snippet_of(item) for item in shown.values()]
    assert "<mark>票种核定</mark>" in snippet_of(shown["/nsfw/bszn/fp-pzhd/"])
    for text in snippets:
        assert "h2" not in text and "h3" not in text and "二级标题" not in text and "三级标题" not in text, text
        assert not ITEM_CODE.search(text), text


def test_a_search_for_an_item_code_finds_its_guide_and_labels_the_code(site_client):
    html = search(site_client("main"), q="11990000MB0000001A400010100")
    found = results(html)
    assert list(found)[:1] == ["/nsfw/bszn/fp-pzhd/"]
    item = found["/nsfw/bszn/fp-pzhd/"]
    assert not ITEM_CODE.search(snippet_of(item))
    assert "事项编码：<mark>11990000MB0000001A400010100</mark>" in item.split('class="search-result__snippet"')[0]
