"""A nonsense query reaches the page that says nothing was found, and is logged as a search
that found nothing (issue #22): single common characters (不, 的, 个 …) no longer match pages
on their own."""

import re

import pytest

from search.models import SearchTermDay
from search.text import query_terms

pytestmark = pytest.mark.django_db

NOTHING_FOUND = "没有找到相关内容"


def search(client, query: str) -> str:
    response = client.get("/search/", {"q": query})
    assert response.status_code == 200
    return response.content.decode()


def result_links(html: str) -> list[str]:
    return re.findall(r'<li class="search-result[^"]*">\s*<h3><a href="([^"]+)"', html.split("<main", 1)[1])


@pytest.mark.parametrize("query", ["不的了是", "的不a", "qwxz 不", "了个的不"])
def test_a_nonsense_query_finds_nothing_and_is_logged_as_empty(site_client, admin_client, query):
    html = search(site_client("main"), query)
    assert NOTHING_FOUND in html
    assert result_links(html) == []
    logged = SearchTermDay.objects.get(query=query)
    assert (logged.searches, logged.empty) == (1, 1)
    report = admin_client.get("/admin/reports/search-terms/").content.decode()
    assert f"<td>{query}</td><td>1</td><td>1</td>" in report.split("<h2>无结果的搜索词</h2>", 1)[1]


@pytest.mark.parametrize("query", ["不动产", "个税", "税"])
def test_real_words_still_find_pages(site_client, query):
    html = search(site_client("main"), query)
    assert NOTHING_FOUND not in html
    assert result_links(html)
    assert SearchTermDay.objects.get(query=query).empty == 0


def test_single_characters_count_only_when_the_query_has_nothing_longer():
    assert query_terms("公司换了银行账户") == ["公司", "银行", "账户"]  # not 换
    assert query_terms("资金困难交不上税") == ["资金", "困难", "交不上"]  # not 税
    assert query_terms("qwxz 不") == ["qwxz"]
    assert query_terms("A107012表怎么填") == ["a107012"]
    assert query_terms("税") == ["税"]  # alone, a single character is still searched
    assert query_terms("不的了是") == [] and query_terms("个") == []
