"""The per-process site data (portal/sitedata.py): a page served after a save shows the
change at once, whatever it was (identity, menu, restricted pages, home page), and the
requests before the next save skip the queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Locale, Page, PageViewRestriction, Site

from home.models import ArticlePage, ColumnPage
from portal.models import SiteIdentity

pytestmark = pytest.mark.django_db


def queries(client, path="/about/") -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


def test_repeat_requests_skip_the_site_queries_until_a_save(site_client):
    client = site_client("main")
    client.get("/about/")
    warm = queries(client)
    identity = SiteIdentity.objects.get(site__hostname="localhost")
    identity.phone = "12366-8"
    identity.save()
    cold = queries(client)
    assert cold >= warm + 4  # site, identity, cluster list, menu and restricted paths reload
    assert queries(client) == warm


def test_identity_change_shows_on_the_next_request_of_every_site(site_client):
    main, jia = site_client("main"), site_client("jia")
    assert "国家税务总局甲市税务局" in main.get("/").content.decode()  # the cluster list in the footer
    jia.get("/")
    identity = SiteIdentity.objects.get(site__hostname="localhost")
    identity.phone = "0000-12366-99"
    identity.save()
    assert "0000-12366-99" in main.get("/about/").content.decode()
    text = SiteIdentity.objects.get(site__hostname="jia.localhost").text
    text.site_name = "国家税务总局甲市税务局（新名称）"
    text.save()
    assert "国家税务总局甲市税务局（新名称）" in main.get("/about/").content.decode()


def test_a_new_menu_column_appears_once_published(site_client):
    client = site_client("main")
    assert "新设栏目" not in client.get("/about/").content.decode()
    root = Site.objects.get(hostname="localhost").root_page
    column = ColumnPage(title="新设栏目", slug="new-column", show_in_menus=True)
    root.add_child(instance=column)
    column.save_revision().publish()
    assert "新设栏目" in client.get("/about/").content.decode()


def test_a_restricted_page_leaves_the_listings_at_once(site_client):
    client = site_client("main")
    news = ColumnPage.objects.get(slug="gzdt", url_path__startswith="/home/")
    article = ArticlePage.objects.live().descendant_of(news).order_by("-date", "-pk").first()
    title = article.title
    assert title in client.get("/gzdt/").content.decode()
    PageViewRestriction.objects.create(page=article, restriction_type=PageViewRestriction.LOGIN)
    assert title not in client.get("/gzdt/").content.decode()


def test_home_page_edits_show_on_the_next_request(site_client):
    client = site_client("main")
    client.get("/")
    home = Site.objects.get(hostname="localhost").root_page.specific
    home.banner_title = "新的横幅标题"
    home.save_revision().publish()
    assert "新的横幅标题" in client.get("/").content.decode()


def test_switched_off(site_client, settings):
    settings.SITE_DATA_CACHE = False
    client = site_client("main")
    client.get("/about/")
    off = queries(client)
    settings.SITE_DATA_CACHE = True
    client.get("/about/")
    assert queries(client) < off


def test_breadcrumbs_follow_a_renamed_column(site_client):
    client = site_client("main")
    news = ColumnPage.objects.get(slug="gzdt", url_path__startswith="/home/")
    path = ArticlePage.objects.live().descendant_of(news).first().get_url_parts()[2]
    assert f">{news.title}</a>" in client.get(path).content.decode()
    news.title = "全省税务动态"
    news.save_revision().publish()
    html = client.get(path).content.decode()
    assert ">全省税务动态</a>" in html and f">{news.title}</a>" in html


def test_the_language_switcher_follows_a_newly_published_translation(site_client):
    client = site_client("main")
    page = Page.objects.get(url_path="/home/hdjl/jzxx/").specific
    assert "this page is not available in English" in client.get("/hdjl/jzxx/").content.decode()
    english = page.copy_for_translation(Locale.objects.get(language_code="en"), copy_parents=True)
    english.title = "Notices on tax-related letters"
    english.save_revision().publish()
    path = english.get_url_parts()[2]
    html = client.get("/hdjl/jzxx/").content.decode()
    assert "this page is not available in English" not in html
    assert f'rel="alternate" hreflang="en" href="http://localhost:8000{path}"' in html
    assert f'href="{path}" hreflang="en" lang="en">English</a>' in html
