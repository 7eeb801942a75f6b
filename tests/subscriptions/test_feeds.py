"""A column's RSS feed: what it lists, where it answers (and where it is a 404), how pages
point to it, and that it is cached and purged like a page."""

import itertools
import xml.etree.ElementTree as ET
from email.utils import parsedate_to_datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page, PageViewRestriction

from home.models import ArticlePage, ColumnPage, PolicyDocumentPage
from tests.helpers import chinese, outline, site_of, url_of

pytestmark = pytest.mark.django_db

FEED_MAX_QUERIES = 2  # the column and its articles; none per article (site data and page URLs are cached)


def column(slug, key="main"):
    return ColumnPage.objects.descendant_of(site_of(key).root_page).get(slug=slug)


def english_column(slug):
    chinese_column = column(slug)
    return ColumnPage.objects.get(translation_key=chinese_column.translation_key, locale__language_code="en")


def read_feed(response):
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"].startswith("application/rss+xml")
    channel = ET.fromstring(response.content).find("channel")
    items = [{child.tag: child.text for child in item} for item in channel.findall("item")]
    return channel, items


SLUGS = itertools.count()


def publish(parent, title, model=ArticlePage, **fields):
    page = model(title=title, slug=f"feed-test-{next(SLUGS)}", **fields)
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def test_a_news_feed_lists_the_newest_articles_with_links_on_the_columns_site(client):
    news = column("swyw")
    channel, items = read_feed(client.get(f"/feeds/{news.pk}.xml"))
    assert channel.findtext("title").startswith("税务要闻")
    assert channel.findtext("link") == "http://localhost:8000" + url_of(news)
    newest = list(chinese(ArticlePage.objects.live().descendant_of(news)).order_by("-date", "-pk")[:20])
    assert [item["title"] for item in items] == [page.title for page in newest]
    first = items[0]
    assert first["link"] == "http://localhost:8000" + url_of(newest[0])
    assert parsedate_to_datetime(first["pubDate"]) == newest[0].date.replace(microsecond=0)
    assert first["description"] == newest[0].summary


def test_a_feed_holds_at_most_twenty_articles(client):
    news = column("swyw")
    for i in range(25):
        news.add_child(instance=ArticlePage(title=f"订阅测试批量{i:02d}", slug=f"feed-bulk-{i}", body="[]"))
    _channel, items = read_feed(client.get(f"/feeds/{news.pk}.xml"))
    assert len(items) == 20


def test_a_policy_feed_gives_each_policys_document_number(client):
    policies = column("zcwj")
    _channel, items = read_feed(client.get(f"/feeds/{policies.pk}.xml"))
    policy = chinese(PolicyDocumentPage.objects.live().descendant_of(policies)).exclude(document_number="")
    policy = policy.order_by("-date").first()
    item = next(item for item in items if item["title"] == policy.title)
    assert item["description"].startswith(f"文号：{policy.document_number}")


def test_notices_and_interpretations_have_feeds_too(client):
    notices = ColumnPage.objects.descendant_of(site_of("main").root_page).filter(column_type="notice").first()
    for found in (notices, column("zcjd")):
        _channel, items = read_feed(client.get(f"/feeds/{found.pk}.xml"))
        assert items, found


def test_a_city_column_has_its_feed_on_the_city_site_only(site_client):
    jia_news = chinese(ColumnPage.objects.descendant_of(site_of("jia").root_page).filter(column_type="news")).first()
    channel, _items = read_feed(site_client("jia").get(f"/feeds/{jia_news.pk}.xml"))
    assert channel.findtext("link").startswith("http://jia.localhost:8000/")
    assert channel.findtext("title").endswith("国家税务总局甲市税务局")
    assert site_client("main").get(f"/feeds/{jia_news.pk}.xml").status_code == 404


def test_the_english_column_has_an_english_feed_under_en(client):
    news = english_column("swyw")
    channel, items = read_feed(client.get(f"/en/feeds/{news.pk}.xml"))
    assert channel.findtext("language") == "en"
    assert channel.findtext("link") == "http://localhost:8000" + url_of(news)
    assert url_of(news).startswith("/en/")
    assert all(item["link"].startswith("http://localhost:8000/en/") for item in items)
    assert client.get(f"/feeds/{news.pk}.xml").status_code == 404  # the Chinese address of an English column
    assert client.get(f"/en/feeds/{column('swyw').pk}.xml").status_code == 404


def test_no_feed_for_other_column_types_unpublished_or_restricted_columns_or_other_pages(client):
    service = chinese(ColumnPage.objects.filter(column_type=ColumnPage.ColumnType.SERVICE)).first()
    disclosure = chinese(ColumnPage.objects.filter(column_type=ColumnPage.ColumnType.DISCLOSURE)).first()
    article = chinese(ArticlePage.objects.live()).first()
    for page in (service, disclosure, article, Page.objects.get(depth=1)):
        assert client.get(f"/feeds/{page.pk}.xml").status_code == 404, page
    assert client.get("/feeds/999999.xml").status_code == 404

    news = column("swyw")
    PageViewRestriction.objects.create(page=news, restriction_type=PageViewRestriction.PASSWORD, password="x")
    assert client.get(f"/feeds/{news.pk}.xml").status_code == 404
    PageViewRestriction.objects.filter(page=news).delete()
    assert client.get(f"/feeds/{news.pk}.xml").status_code == 200
    news.unpublish()
    assert client.get(f"/feeds/{news.pk}.xml").status_code == 404


def test_a_restricted_article_never_appears(client):
    news = column("swyw")
    secret = publish(news, "订阅测试：仅限内部")
    assert "订阅测试：仅限内部" in client.get(f"/feeds/{news.pk}.xml").content.decode()
    PageViewRestriction.objects.create(page=secret, restriction_type=PageViewRestriction.LOGIN)
    assert "订阅测试：仅限内部" not in client.get(f"/feeds/{news.pk}.xml").content.decode()


def alternate_feeds(response) -> list[dict]:
    return [
        attrs
        for attrs in outline(response).all("link")
        if attrs.get("rel") == "alternate" and attrs.get("type") == "application/rss+xml"
    ]


def test_the_column_page_and_its_articles_point_to_the_feed(client):
    news = column("swyw")
    feed_url = f"/feeds/{news.pk}.xml"
    article = chinese(ArticlePage.objects.live().child_of(news)).first()
    for url in (url_of(news), url_of(article)):
        response = client.get(url)
        links = alternate_feeds(response)
        assert [link["href"] for link in links] == [feed_url], url
        assert links[0]["title"] == "税务要闻（RSS）"
        anchors = {a.get("href"): a for a in outline(response).all("a")}
        assert feed_url in anchors and f"/subscribe/{news.pk}/" in anchors
        html = response.content.decode()
        assert "订阅（RSS）" in html and "邮件订阅" in html


def test_policy_and_interpretation_pages_point_to_their_columns_feed(client):
    for slug in ("zcwj", "zcjd"):
        parent = column(slug)
        page = chinese(ArticlePage.objects.live().child_of(parent)).first()
        assert [link["href"] for link in alternate_feeds(client.get(url_of(page)))] == [f"/feeds/{parent.pk}.xml"]


def test_columns_without_a_feed_offer_no_subscription(client):
    service = ColumnPage.objects.descendant_of(site_of("main").root_page).filter(column_type="service").first()
    response = client.get(url_of(service))
    assert response.status_code == 200
    assert alternate_feeds(response) == []
    assert "订阅（RSS）" not in response.content.decode()


def test_english_pages_point_to_the_english_feed(client):
    news = english_column("swyw")
    response = client.get(url_of(news))
    assert [link["href"] for link in alternate_feeds(response)] == [f"/en/feeds/{news.pk}.xml"]
    assert f'href="/en/subscribe/{news.pk}/"' in response.content.decode()


def test_the_feed_is_cached_like_a_page_and_purged_when_a_page_is_published(client, page_cache):
    news = column("swyw")
    url = f"/feeds/{news.pk}.xml"
    assert client.get(url)["X-Page-Cache"] == "miss"
    with CaptureQueriesContext(connection) as captured:
        hit = client.get(url)
    assert hit["X-Page-Cache"] == "hit" and len(captured) == 0
    assert client.get(url, HTTP_IF_NONE_MATCH=hit["ETag"]).status_code == 304
    publish(news, "订阅测试：缓存后新发布的消息")
    fresh = client.get(url)
    assert fresh["X-Page-Cache"] == "miss"
    assert "订阅测试：缓存后新发布的消息" in fresh.content.decode()


def test_a_feed_costs_the_same_few_queries_however_many_articles(client):
    news = column("swyw")
    url = f"/feeds/{news.pk}.xml"

    def count() -> int:
        client.get(url)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    before = count()
    for i in range(30):
        news.add_child(instance=ArticlePage(title=f"计数测试{i:02d}", slug=f"feed-count-{i}", body="[]"))
    publish(
        column("zcwj"), "计数测试政策", model=PolicyDocumentPage, issuing_body="示例", document_number="示税〔2026〕9号"
    )
    after = count()
    assert before == after <= FEED_MAX_QUERIES
