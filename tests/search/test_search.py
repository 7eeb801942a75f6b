"""Search that finds Chinese content (issue #6): segmentation, synonyms, scope and type
filters, best bets, the query log and its report, Elasticsearch settings, suggestions."""

import json
import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from wagtail.models import Page, PageViewRestriction, Site

from home.models import ArticlePage, ColumnPage
from search.models import SearchTermDay, SynonymGroup
from search.text import query_terms, segment
from tests.helpers import HOSTS, city_article

pytestmark = pytest.mark.django_db


def result_links(html: str) -> list[str]:
    """The result links in order: best bets first, then the ranked results (not the block of
    the cluster's other sites after them)."""
    main = html.split("<main", 1)[1]
    return re.findall(r'<li class="search-result(?: search-result--promoted)?">\s*<h3><a href="([^"]+)"', main)


def search(client, **params):
    response = client.get("/search/", params)
    assert response.status_code == 200
    return response.content.decode()


def test_words_inside_longer_runs_are_found(site_client):
    from search.engine import build_query

    assert "发票" in segment("纳税人领用发票").split()
    root = Site.objects.get(hostname=HOSTS["main"]).root_page
    column = ColumnPage.objects.descendant_of(root).get(slug="swyw")
    article = column.add_child(instance=ArticlePage(title="新办纳税人领用发票须知", slug="lingyong", body="[]"))
    found = Page.objects.filter(pk=article.pk).search(build_query(["发票"], {}))
    assert list(found) == [article.page_ptr]
    assert not Page.objects.filter(pk=article.pk).search(build_query(["退税"], {}))


def test_stop_words_do_not_sink_a_query_and_alone_they_ask_for_more(site_client):
    assert query_terms("请问怎么办理个税汇算") == ["个税汇算"]
    html = search(site_client("main"), q="怎么 如何 办理 的")
    assert "请输入更具体的关键词" in html
    assert query_terms("个税APP") == ["个税app"] and query_terms("ＣＡ证书") == ["ca证书"]
    assert query_terms("12366") == ["12366"]


@pytest.mark.parametrize(
    "query", ['" OR 1=1', "*", "发票 AND NOT 退税", "<script>alert(1)</script>", "发" * 3000, "(", "NEAR(a b)"]
)
def test_queries_with_markup_or_operators_give_a_normal_page(site_client, query):
    html = search(site_client("main"), q=query)
    assert "<script>alert(1)" not in html and "站内搜索" in html


def test_matches_are_highlighted_in_an_escaped_snippet(site_client):
    html = search(site_client("main"), q="发票")
    snippets = re.findall(r'<p class="search-result__snippet">(.*?)</p>', html, re.S)
    assert snippets and any("<mark>发票</mark>" in s for s in snippets)
    assert all("<script" not in s for s in snippets)


def test_each_hit_says_its_type_and_date(site_client):
    html = search(site_client("main"), q="发票")
    first = html.split('<li class="search-result">', 1)[1].split("</li>", 1)[0]
    assert re.search(r'<span class="search-result__type">[^<]+</span>', first)
    assert re.search(r'<time datetime="\d{4}-\d{2}-\d{2}">', first)


def test_type_filters_show_counts_and_filter(site_client):
    client = site_client("main")
    html = search(client, q="发票")
    match = re.search(
        r'href="\?q=%E5%8F%91%E7%A5%A8&amp;type=guide"[^>]*>办事指南 <span class="facet__count">（(\d+)）', html
    )
    assert match, "no guide filter with a count"
    guides = search(client, q="发票", type="guide")
    assert f"共找到 {match.group(1)} 条结果" in guides
    kinds = set(re.findall(r'<span class="search-result__type">([^<]+)</span>', guides))
    assert kinds == {"办事指南"}
    forms = search(client, q="发票", type="form")
    assert "/forms/download/" in forms


def test_the_current_site_is_the_default_scope_and_the_cluster_a_choice(site_client):
    article = city_article("jia")
    client = site_client("main")
    here = search(client, q=article.title)
    # not among the site's own results: in the block of the other sites' answers after them
    own, _, elsewhere = here.partition("其他站点的结果")
    assert f">{article.title}</a>" not in own
    link = f"http://jia.localhost:8000{article.relative_url(article.get_site())}"
    assert f'<a href="{link}">{article.title}</a>' in elsewhere
    assert 'name="scope" value="site" checked' in here
    everywhere = search(client, q=article.title, scope="all")
    assert f">{article.title}</a>" in everywhere
    block = everywhere.split(f">{article.title}</a>", 1)[1].split("</li>", 1)[0]
    assert Site.objects.get(hostname=HOSTS["jia"]).site_name in block


def test_unpublished_and_private_pages_never_appear(site_client):
    root = Site.objects.get(hostname=HOSTS["main"]).root_page
    column = ColumnPage.objects.descendant_of(root).get(slug="swyw")
    draft = column.add_child(
        instance=ArticlePage(title="未发布的测试稿件发票", slug="draft-search", live=False, body="[]")
    )
    private = column.add_child(instance=ArticlePage(title="内部测试稿件发票", slug="private-search", body="[]"))
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
    for scope in ["site", "all"]:
        html = search(site_client("main"), q="测试稿件", scope=scope)
        assert draft.title not in html and private.title not in html


def test_editors_synonyms_apply_at_once(site_client):
    client = site_client("main")
    assert "共找到 0 条结果" in search(client, q="票子")
    SynonymGroup.objects.create(terms="发票，票子")
    html = search(client, q="票子")
    assert "共找到 0 条结果" not in html and "<mark>发票</mark>" in html


def test_the_shipped_synonyms_are_loaded():
    assert SynonymGroup.objects.count() >= 40
    assert SynonymGroup.objects.filter(terms__contains="个税").exists()


def test_best_bets_come_first_and_are_marked(site_client):
    from wagtail.contrib.search_promotions.models import Query, SearchPromotion

    root = Site.objects.get(hostname=HOSTS["main"]).root_page
    target = ArticlePage.objects.live().descendant_of(root).order_by("path").last()
    SearchPromotion.objects.create(query=Query.get("发票"), page=target, description="编辑推荐的说明", sort_order=0)
    html = search(site_client("main"), q="发票")
    assert result_links(html)[0] == target.get_url_parts()[2]
    assert "推荐结果" in html and "编辑推荐的说明" in html
    assert result_links(html).count(target.get_url_parts()[2]) == 1


def test_searches_are_logged_and_reported_with_the_empty_ones(site_client, admin_client):
    client = site_client("main")
    search(client, q="发票")
    search(client, q="发票")
    search(client, q="量子纠缠火星")
    search(client, q="发票", page="2")  # paging is not a new search
    assert SearchTermDay.objects.get(query="发票").searches == 2
    assert SearchTermDay.objects.get(query="量子纠缠火星").empty == 1
    report = admin_client.get("/admin/reports/search-terms/").content.decode()
    top_table, empty_table = report.split("<h2>热门搜索词</h2>", 1)[1].split("<h2>无结果的搜索词</h2>", 1)
    assert "<td>发票</td><td>2</td><td>0</td>" in top_table
    assert "<td>量子纠缠火星</td><td>1</td><td>1</td>" in empty_table and "发票" not in empty_table


def test_the_search_report_is_refused_to_city_editors():
    editor = get_user_model().objects.get(username="jia_editor")
    client = Client()
    client.force_login(editor)
    assert client.get("/admin/reports/search-terms/").status_code in (302, 403)


def admin_menu(html: str) -> dict[str, str]:
    """The admin sidebar's links, {label: url}, read from the JSON the sidebar is built from."""
    props = json.loads(
        html.split('<script id="wagtail-sidebar-props" type="application/json">', 1)[1].split("</script>")[0]
    )
    links = {}

    def walk(node):
        if isinstance(node, dict):
            if "url" in node and "label" in node:
                links[node["label"]] = node["url"]
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(props)
    return links


def test_the_reports_menu_offers_one_search_report(admin_client):
    """Wagtail's 搜索词 report (search promotions' query log, never written here) is not offered;
    the project's 搜索统计 is, and best bets (推广搜索结果) stay in the settings menu."""
    menu = admin_menu(admin_client.get("/admin/").content.decode())
    assert menu["搜索统计"] == "/admin/reports/search-terms/"
    assert "/admin/searchpicks/reports/search-terms/" not in menu.values() and "搜索词" not in menu
    assert "/admin/searchpicks/" in menu.values()
    assert admin_client.get("/admin/searchpicks/").status_code == 200
    assert admin_client.get("/admin/searchpicks/add/").status_code == 200


def test_a_query_with_no_result_offers_popular_searches_and_themes(site_client):
    from wagtail.models import Locale

    from search.models import PopularSearch

    PopularSearch.objects.create(query="发票", locale=Locale.objects.get(language_code="zh-hans"))
    client = site_client("main")
    search(client, q="数电票")  # searched once: not popular (tests/search/test_popular.py)
    html = search(client, q="量子纠缠火星")
    assert "没有找到相关内容" in html
    suggestions = html.split("没有找到相关内容", 1)[1]
    assert "q=%E5%8F%91%E7%A5%A8" in suggestions  # 发票, an editor's term
    assert "%E6%95%B0%E7%94%B5%E7%A5%A8" not in suggestions
    assert "?theme=" in suggestions


def test_suggestions_while_typing(site_client):
    response = site_client("main").get("/search/suggest/", {"q": "发票"})
    assert response.status_code == 200
    suggestions = response.json()["suggestions"]
    assert suggestions and all("发票" in title for title in suggestions) and len(suggestions) <= 8
    assert site_client("main").get("/search/suggest/", {"q": ""}).json() == {"suggestions": []}


def test_english_search_uses_the_same_words(site_client):
    html = site_client("main").get("/en/search/", {"q": "invoices"}).content.decode()
    assert 'href="/en/' in html


def test_elasticsearch_index_settings_and_mapping_use_the_whitespace_analyzer():
    from guides.models import ServiceGuidePage
    from search.elasticsearch import SearchBackend

    backend = SearchBackend({"URLS": ["http://127.0.0.1:9"]})
    analyzers = backend.settings["settings"]["analysis"]["analyzer"]
    assert analyzers["portal_words"]["tokenizer"] == "whitespace"
    assert analyzers["default"]["tokenizer"] == "whitespace"
    assert "ngram_analyzer" in analyzers  # Wagtail's own analyzers are kept
    mapping = backend.mapping_class(ServiceGuidePage).get_mapping()
    properties = json.dumps(mapping)
    assert '"analyzer": "portal_words"' in properties


def test_elasticsearch_queries_carry_the_segmented_words():
    from modelsearch.backends.elasticsearch9 import Elasticsearch9SearchBackend

    from guides.models import ServiceGuidePage
    from search.engine import build_query

    backend = Elasticsearch9SearchBackend({"URLS": ["http://127.0.0.1:9"]})
    query = build_query(query_terms("个税怎么退"), {"个税": ["个人所得税"]})
    compiled = json.dumps(
        backend.query_compiler_class(ServiceGuidePage.objects.live(), query).get_query(), ensure_ascii=False
    )
    assert "个税" in compiled and "个人所得税" in compiled and "怎么" not in compiled


def test_a_very_broad_query_says_only_the_most_relevant_are_listed(site_client, monkeypatch):
    from search import engine

    html = search(site_client("main"), q="发票")
    assert "仅列出最相关的部分" not in html
    monkeypatch.setattr(engine, "MAX_HITS", 5)
    html = search(site_client("main"), q="发票")
    assert "仅列出最相关的部分" in html
    assert len(result_links(html)) <= 10


def test_a_sites_own_search_ranks_all_its_matches_not_its_share_of_the_clusters_best(site_client, monkeypatch):
    """At 140 sites a county listed its share of the cluster's best 300 (6 of its 310 pages
    on 发票): here the cluster's best few are the main site's, and the city still lists its own."""
    from search import backends, engine

    def pages(html):  # the pages ranked by the full-text search, not the forms' and FAQ's records
        return [link for link in result_links(html) if not any(part in link for part in ("/forms/", "/faq/", "/cjwt/"))]

    client = site_client("jia")
    city_links = pages(search(client, q="发票"))
    assert len(city_links) >= 2
    monkeypatch.setattr(engine, "MAX_HITS", 2)
    monkeypatch.setattr(backends, "RANKED_LIMIT", 2)
    everywhere = pages(search(client, q="发票", scope="all"))
    assert not any(link.startswith("http://jia.localhost") for link in everywhere)  # the main site's outrank
    html = search(client, q="发票")
    own, _, elsewhere = html.partition("其他站点的结果")
    listed = pages(own)
    assert len(listed) == 2 and all(link in city_links for link in listed)
    assert "查看全部站点的" in elsewhere  # the other sites' best still follow in their block


def test_ranked_searches_rank_only_the_querysets_own_pages(site_client, monkeypatch):
    from search import backends
    from search.engine import build_query

    monkeypatch.setattr(backends, "RANKED_LIMIT", 1)
    root = Site.objects.get(hostname=HOSTS["jia"]).root_page
    city = Page.objects.live().descendant_of(root)
    found = list(city.search(build_query(["发票"], {}))[:3])
    assert len(found) == 3 and all(page.path.startswith(root.path) for page in found)
