"""FAQ entries are hits of the site search (issue #22): listed as 常见问题 with their page on
the current site's FAQ index, never as drafts, and not at all on a site without a FAQ page."""

import re

import pytest

from faq.models import FAQ, FAQIndexPage
from tests.helpers import chinese, site_of

pytestmark = pytest.mark.django_db

INCREASE = "如何申请增加发票用量？"
QUERY = "增加发票用量"


def index_url(key="main") -> str:
    site = site_of(key)
    page = FAQIndexPage.objects.live().descendant_of(site.root_page).get(locale=site.root_page.locale)
    return page.relative_url(site)


def search(client, **params) -> str:
    response = client.get("/search/", params)
    assert response.status_code == 200
    return response.content.decode()


def hits(html: str) -> list[tuple[str, str, str]]:
    """(link, title, type) of each listed result."""
    items = re.findall(r'<li class="search-result">(.*?)</li>', html.split("<main", 1)[1], re.S)
    return [
        (
            re.search(r'<h3><a href="([^"]+)">', item).group(1),
            re.search(r"<h3><a [^>]+>([^<]+)</a>", item).group(1),
            re.search(r'<span class="search-result__type">([^<]+)</span>', item).group(1),
        )
        for item in items
    ]


def faq_count(html: str) -> int:
    found = re.search(r'常见问题 <span class="facet__count">（(\d+)）', html)
    assert found, "no 常见问题 filter"
    return int(found.group(1))


@pytest.mark.parametrize("key", ["main", "jia"])
def test_a_question_is_found_and_opens_on_the_current_site(site_client, key):
    faq = chinese(FAQ.objects).get(question=INCREASE)
    client = site_client(key)
    link = f"{index_url(key)}{faq.pk}/"
    for scope in ["site", "all"]:
        found = hits(search(client, q=QUERY, scope=scope))
        assert (link, INCREASE, "常见问题") in found
    page = client.get(link)
    assert page.status_code == 200
    html = page.content.decode()
    assert INCREASE in html and site_of(key).site_name in html


def test_the_hit_shows_the_update_date_and_a_passage_of_the_answer(site_client):
    faq = chinese(FAQ.objects).get(question=INCREASE)
    html = search(site_client("main"), q=QUERY, type="faq")
    item = html.split(f">{INCREASE}</a>", 1)[1].split("</li>", 1)[0]
    assert f'<time datetime="{faq.updated:%Y-%m-%d}">' in item
    snippet = re.search(r'<p class="search-result__snippet">(.*?)</p>', item, re.S).group(1)
    assert "<mark>发票</mark>" in snippet and "<p>" not in snippet and "&lt;" not in snippet


def test_the_type_filter_counts_the_entries_the_faq_page_finds(site_client):
    client = site_client("main")
    html = search(client, q=QUERY)
    count = faq_count(html)
    on_faq_page = client.get(index_url(), {"q": QUERY}).content.decode()
    assert f"共 {count} 条常见问题" in on_faq_page
    filtered = search(client, q=QUERY, type="faq")
    assert f"共找到 {count} 条结果" in filtered
    listed = hits(filtered)
    assert len(listed) == min(count, 10) and {kind for _link, _title, kind in listed} == {"常见问题"}


def test_a_draft_entry_never_appears(site_client):
    client = site_client("main")
    before = faq_count(search(client, q=QUERY))
    faq = chinese(FAQ.objects).get(question=INCREASE)
    faq.live = False
    faq.save()
    for params in [{}, {"type": "faq"}, {"scope": "all"}]:
        html = search(client, q=QUERY, **params)
        assert INCREASE not in html
    assert faq_count(search(client, q=QUERY)) == before - 1


def test_a_site_without_a_faq_page_lists_no_entries(site_client):
    index = FAQIndexPage.objects.live().descendant_of(site_of("jia").root_page).get()
    index.unpublish()
    html = search(site_client("jia"), q=QUERY)
    assert INCREASE not in html and "/cjwt/" not in html
    assert faq_count(html) == 0
    assert INCREASE in search(site_client("main"), q=QUERY)
