"""Parts of pages kept with the site data ({% sitefragment %}, the menu, the facet counts, the
view-restriction check, page URLs): a render after a save shows the change, a render before
it skips the queries."""

import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from wagtail.models import Page, PageViewRestriction, Site

from guides.models import FormItem
from home.models import ArticlePage, ColumnPage
from interviews.models import Entry, InterviewPage, Status
from portal.pages import PortalPage

pytestmark = pytest.mark.django_db


def queries(client, path) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


def test_home_page_listings_cost_no_query_until_a_publish_shows_the_new_article(site_client):
    client = site_client("main")
    client.get("/")
    # the page, the panel of the month's deadlines and the listings come from the site data:
    # the only query left is Wagtail's locale lookup
    assert queries(client, "/") <= 1
    news = ColumnPage.objects.get(slug="gzdt", url_path__startswith="/home/")
    column = ArticlePage.objects.live().descendant_of(news).first().get_parent()
    article = ArticlePage(title="新发布的一条工作动态", slug="fresh-news", date=timezone.now())
    column.add_child(instance=article)
    assert "新发布的一条工作动态" not in client.get("/").content.decode()  # a draft
    article.save_revision().publish()
    assert "新发布的一条工作动态" in client.get("/").content.decode()
    article.unpublish()
    assert "新发布的一条工作动态" not in client.get("/").content.decode()


def test_home_page_fragments_follow_the_language_and_the_site(site_client):
    main, jia = site_client("main"), site_client("jia")
    chinese, english = main.get("/").content.decode(), main.get("/en/").content.decode()
    city = jia.get("/").content.decode()
    assert ">Notices</h2>" in english and ">Notices</h2>" not in chinese  # each its own fragments
    assert chinese.count('class="home-block') > 2 and chinese != city


def test_a_restriction_added_after_pages_were_served_is_enforced_at_once(site_client):
    client = site_client("main")
    news = ColumnPage.objects.get(slug="gzdt", url_path__startswith="/home/")
    article = ArticlePage.objects.live().descendant_of(news).first()
    path = article.get_url_parts()[2]
    assert client.get(path).status_code == 200
    assert client.get(path).status_code == 200  # the site data holds "no restriction here"
    PageViewRestriction.objects.create(page=news, restriction_type=PageViewRestriction.LOGIN)
    response = client.get(path)
    assert response.status_code == 302 and "login" in response["Location"]


def test_a_correction_to_an_archived_transcript_shows_on_the_next_request(site_client):
    client = site_client("main")
    interview = next(p for p in InterviewPage.objects.live().specific() if p.status() == Status.ENDED)
    path = interview.get_url_parts()[2]
    client.get(path)
    entry = Entry.objects.filter(interview=interview, hidden=False).exclude(text="").first()
    assert entry.text.splitlines()[0][:12] in client.get(path).content.decode()
    entry.text = "更正后的回答文字。"
    entry.save()
    assert "更正后的回答文字。" in client.get(path).content.decode()


def add_form(library) -> None:
    """A copy of one of the library's forms, titled 新增的表格, coded last (ZZ-9999)."""
    form = FormItem.objects.filter(locale=library.locale).first()
    form.pk = None
    form.translation_key = uuid.uuid4()
    form.code = "ZZ-9999"
    form.title = "新增的表格"
    form.save()


def test_form_library_counts_follow_a_new_form(site_client):
    client = site_client("main")
    library = Page.objects.get(url_path="/home/nsfw/bgxz/")
    path = library.url
    before = client.get(path).content.decode()
    total = FormItem.objects.filter(locale=library.locale).count()
    assert f"共 {total} 张表格" in before
    add_form(library)
    assert f"共 {total + 1} 张表格" in client.get(path).content.decode()


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_page_urls_are_wagtails(language):
    pages = [page for page in Page.objects.live().specific() if isinstance(page, PortalPage)]
    assert len(pages) > 100
    with translation.override(language):
        for page in pages:
            assert page.get_url_parts() == Page.get_url_parts(page), page.url_path
    site = Site.objects.get(hostname="localhost")
    assert site.root_page.specific.relative_url(site) == "/"


def test_a_column_lists_from_the_site_data_until_a_publish_shows_the_new_article(site_client, monkeypatch):
    monkeypatch.setattr(ColumnPage, "per_page", 3)  # the demo's columns fit on one page
    client = site_client("main")
    news = ColumnPage.objects.get(slug="gzdt", url_path__startswith="/home/")
    path = news.get_url_parts()[2]
    first = client.get(path).content.decode()
    # the list and its count come from the site data: Wagtail's locale lookup and the two
    # routing queries are left
    assert queries(client, path) <= 3
    second_page = client.get(path, {"page": 2}).content.decode()
    assert first != second_page and 'aria-current="page">2</a>' in second_page
    column = ArticlePage.objects.live().descendant_of(news).first().get_parent()
    article = ArticlePage(title="栏目列表里的新动态", slug="fresh-in-column", date=timezone.now())
    column.add_child(instance=article)
    article.save_revision().publish()
    assert "栏目列表里的新动态" in client.get(path).content.decode()
    assert "栏目列表里的新动态" not in client.get(path, {"page": 2}).content.decode()


def test_guide_index_lists_by_filter_from_the_site_data(site_client):
    client = site_client("main")
    index = Page.objects.get(url_path="/home/nsfw/bszn/").specific
    path = index.url
    everything = client.get(path).content.decode()
    assert queries(client, path) <= 3
    online = client.get(path, {"online": "1"}).content.decode()
    # each choice of filters its own list
    assert "到现场" in everything.split('class="guide-list"')[1]
    assert "到现场" not in online.split('class="guide-list"')[1].split("</ul>")[0]
    assert client.get(path).content.decode() == everything
    guide = index.get_children().live().specific().first()
    guide.title = "改过标题的办事指南"
    guide.save_revision().publish()
    assert "改过标题的办事指南" in client.get(path).content.decode()


def test_form_library_lists_a_new_form_on_its_last_page(site_client):
    client = site_client("main")
    library = Page.objects.get(url_path="/home/nsfw/bgxz/")
    path = library.url
    client.get(path, {"page": 999})
    client.get(path)
    assert queries(client, path) <= 3
    add_form(library)
    assert "新增的表格" in client.get(path, {"page": 999}).content.decode()


def test_the_articles_of_a_column_read_the_column_once(site_client):
    client = site_client("main")
    news = ColumnPage.objects.get(slug="gzdt", url_path__startswith="/home/")
    column = ArticlePage.objects.live().descendant_of(news).first().get_parent()
    first, second = ArticlePage.objects.live().child_of(column)[:2]
    assert client.get(first.get_url_parts()[2]).status_code == 200
    with CaptureQueriesContext(connection) as captured:
        assert client.get(second.get_url_parts()[2]).status_code == 200
    assert not [q for q in captured.captured_queries if 'FROM "home_columnpage"' in q["sql"]]
