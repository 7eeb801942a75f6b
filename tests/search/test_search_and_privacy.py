"""The header search stays on the current site; restricted pages stay out of listings."""

import pytest
from wagtail.models import PageViewRestriction, Site

from home.models import ArticlePage, ColumnPage
from tests.helpers import HOSTS, city_article

pytestmark = pytest.mark.django_db


def article_of(key):
    root = Site.objects.get(hostname=HOSTS[key]).root_page
    return ArticlePage.objects.live().descendant_of(root).order_by("path").first()


def test_search_finds_pages_of_the_current_site_only(site_client):
    article = city_article("jia")
    on_jia = site_client("jia").get("/search/", {"q": article.title}).content.decode()
    assert f">{article.title}</a>" in on_jia
    assert "共找到" in on_jia
    on_main = site_client("main").get("/search/", {"q": article.title}).content.decode()
    own, _, elsewhere = on_main.partition("其他站点的结果")  # the cluster's answers come apart, after
    assert f">{article.title}</a>" not in own and f">{article.title}</a>" in elsewhere


@pytest.mark.parametrize("query", ["", "   ", "x" * 5000, "<script>alert(1)</script>", "发票%00"])
def test_odd_queries_never_crash(site_client, query):
    response = site_client("main").get("/search/", {"q": query, "page": "abc"})
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.content.decode()


def test_pages_behind_a_login_restriction_are_not_listed(site_client):
    root = Site.objects.get(hostname=HOSTS["main"]).root_page
    column = ColumnPage.objects.descendant_of(root).get(slug="swyw")
    article = ArticlePage.objects.live().child_of(column).order_by("-date").first()
    PageViewRestriction.objects.create(page=article, restriction_type=PageViewRestriction.LOGIN)
    client = site_client("main")
    assert article.title not in client.get("/gzdt/swyw/").content.decode()
    assert article.title not in client.get("/").content.decode()
    assert f">{article.title}</a>" not in client.get("/search/", {"q": article.title}).content.decode()
    # and the page itself asks for a login
    assert client.get(article.get_url_parts()[2]).status_code == 302


def test_restricted_column_leaves_the_menu(site_client):
    root = Site.objects.get(hostname=HOSTS["yi"]).root_page
    column = ColumnPage.objects.child_of(root).get(slug="xxgk")
    PageViewRestriction.objects.create(page=column, restriction_type=PageViewRestriction.LOGIN)
    html = site_client("yi").get("/").content.decode()
    nav = html.split('aria-label="主导航"')[1].split("</nav>")[0]
    assert "政府信息公开" not in nav
