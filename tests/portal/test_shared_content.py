"""A page's own content kept in the shared cache ({% contentfragment %}, ``PortalPage.shares_content``)
and paths routed from the site data (portal/routing.py): a request after the first skips the
queries and the rendering of the content, and every change a visitor could see shows at once."""

import pytest
from django.core.cache.backends.dummy import DummyCache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from home.models import ArticleAttachment, ArticlePage, ColumnPage
from interviews import services as interviews
from interviews.models import Entry, InterviewPage, Status
from portal import sitedata
from tests.helpers import staff_client, url_of

pytestmark = pytest.mark.django_db


def queries(client, path) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


@pytest.fixture
def article():
    news = ColumnPage.objects.get(slug="gzdt", url_path__startswith="/home/")
    return ArticlePage.objects.live().exact_type(ArticlePage).descendant_of(news).first()


def publish_with_title(page, title):
    page.title = title
    page.save_revision().publish()


def test_an_article_served_again_costs_one_query_and_a_publish_shows_it_at_once(site_client, article):
    client = site_client("main")
    path = url_of(article)
    first = queries(client, path)
    assert queries(client, path) == 1 < first  # the page's row; the content comes from the cache
    publish_with_title(article, "共享内容测试：修改后的标题")
    html = client.get(path).content.decode()
    assert "<h1>共享内容测试：修改后的标题</h1>" in html


def test_an_editor_sees_the_same_content_as_a_visitor(site_client, article):
    path = url_of(article)
    visitor = site_client("main").get(path).content.decode()
    editor = staff_client("sheng_editor").get(path).content.decode()

    def main(html):
        return html[html.index('<main id="main-content"') : html.index("</main>")]

    assert main(editor) == main(visitor)


def test_a_preview_shows_the_draft_and_leaves_the_published_content_alone(site_client, article):
    client = site_client("main")
    path = url_of(article)
    published = article.title
    assert f"<h1>{published}</h1>" in client.get(path).content.decode()
    article.title = "共享内容测试：尚未发布的草稿"
    article.save_revision()  # a draft
    draft = article.get_latest_revision_as_object()
    preview = draft.make_preview_request().content.decode()
    assert "<h1>共享内容测试：尚未发布的草稿</h1>" in preview
    html = client.get(path).content.decode()
    assert f"<h1>{published}</h1>" in html and "尚未发布的草稿" not in html


def test_a_renamed_document_shows_its_new_title_on_the_articles_that_list_it(site_client, article):
    client = site_client("main")
    path = url_of(article)
    attachment = ArticleAttachment.objects.filter(page__live=True, title="").select_related("document").first()
    if attachment is None:
        attachment = article.attachments.create(document=ArticleAttachment.objects.first().document, title="")
        article.save_revision().publish()
    else:
        path = url_of(attachment.page)
    client.get(path)
    document = attachment.document
    document.title = "共享内容测试：改名后的附件"
    document.save()
    assert "共享内容测试：改名后的附件" in client.get(path).content.decode()


def test_a_query_string_renders_the_content_afresh(site_client, article):
    client = site_client("main")
    path = url_of(article)
    client.get(path)
    cached = queries(client, path)
    assert queries(client, path + "?from=weibo") > cached  # not stored under a visitor's parameters


def test_without_the_cache_the_content_is_rendered(site_client, article, monkeypatch):
    client = site_client("main")
    path = url_of(article)
    client.get(path)

    # What portal.cache.RedisCache does while Redis is down: every read a miss, writes dropped.
    monkeypatch.setattr(sitedata, "cache", DummyCache("down", {}))
    response = client.get(path)
    assert response.status_code == 200
    assert f"<h1>{article.title}</h1>" in response.content.decode()


def test_a_live_interview_is_rendered_for_each_request_and_an_archive_until_it_is_corrected(site_client):
    client = site_client("main")
    pages = InterviewPage.objects.live().filter(locale__language_code="zh-hans")
    upcoming = next(page for page in pages if page.status() == Status.UPCOMING)
    archived = next(page for page in pages if page.status() == Status.ENDED and page.entries.exists())
    interviews.start(upcoming, None)
    upcoming.refresh_from_db()
    client.get(url_of(upcoming))
    interviews.post_host_entry(upcoming, None, "共享内容测试：主持人的新发言")
    assert "共享内容测试：主持人的新发言" in client.get(url_of(upcoming)).content.decode()

    client.get(url_of(archived))
    entry = archived.entries.filter(kind=Entry.Kind.ANSWER).first()
    interviews.correct(entry, None, "共享内容测试：更正后的答复")
    assert "共享内容测试：更正后的答复" in client.get(url_of(archived)).content.decode()


def test_a_path_served_before_follows_a_renamed_slug_an_unpublish_and_a_deletion(site_client, article):
    client = site_client("main")
    old = url_of(article)
    assert client.get(old).status_code == 200
    assert client.get(old).status_code == 200  # routed from the site data
    article.slug = "renamed-for-routing"
    article.save_revision().publish()
    article.refresh_from_db()
    new = url_of(article)
    assert new != old and client.get(old).status_code == 404 and client.get(new).status_code == 200
    article.unpublish()
    assert client.get(new).status_code == 404
    article.save_revision().publish()
    assert client.get(new).status_code == 200
    article.delete()
    assert client.get(new).status_code == 404
