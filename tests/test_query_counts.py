"""Query ceilings: the home and column pages cost the same with 50 more articles."""

import pytest
from wagtail.models import Site

from home.models import ArticlePage, ColumnPage

pytestmark = pytest.mark.django_db

# Measured figures. Wagtail's routing costs two queries per tree level, so the article
# page (four levels deep) pays the most; none of these depends on how many articles exist.
HOME_MAX_QUERIES = 18
COLUMN_MAX_QUERIES = 15
ARTICLE_MAX_QUERIES = 20


def add_articles(column, n=50):
    for i in range(n):
        column.add_child(instance=ArticlePage(title=f"批量文章{i:03d}", slug=f"bulk-{column.slug}-{i}", body="[]"))


@pytest.fixture
def news():
    root = Site.objects.get(hostname="localhost").root_page
    return ColumnPage.objects.descendant_of(root).get(slug="swyw")


def test_home_page_query_ceiling(site_client, news, django_assert_max_num_queries):
    client = site_client("main")
    client.get("/")  # warm Wagtail's site-root cache, as in production
    with django_assert_max_num_queries(HOME_MAX_QUERIES):
        assert client.get("/").status_code == 200
    add_articles(news)
    with django_assert_max_num_queries(HOME_MAX_QUERIES):
        assert "批量文章049" in client.get("/").content.decode()


def test_column_page_query_ceiling(site_client, news, django_assert_max_num_queries):
    client = site_client("main")
    client.get("/gzdt/")
    with django_assert_max_num_queries(COLUMN_MAX_QUERIES):
        assert client.get("/gzdt/").status_code == 200
    add_articles(news)
    with django_assert_max_num_queries(COLUMN_MAX_QUERIES):
        html = client.get("/gzdt/").content.decode()
    assert "批量文章049" in html


def test_article_page_query_ceiling(site_client, django_assert_max_num_queries):
    client = site_client("main")
    article = ArticlePage.objects.filter(attachments__isnull=False).first()
    path = article.get_url_parts()[2]
    client.get(path)
    with django_assert_max_num_queries(ARTICLE_MAX_QUERIES) as captured:
        assert client.get(path).status_code == 200
    assert all(q["sql"].lstrip().upper().startswith(("SELECT", "SAVEPOINT", "RELEASE")) for q in captured)
