"""The page cache for anonymous visitors (portal/pagecache.py): what is stored, what purges
it, and what must never come from it."""

import pytest
from django.core.cache import cache
from django.test import Client
from wagtail.models import Site

from correspondence.models import Letter
from guides.models import Theme
from home.models import ArticlePage, ColumnPage, HomePage
from interviews.models import InterviewPage, InterviewState
from portal.models import SiteIdentity, SiteText
from search.models import SearchTermDay
from tests.correspondence.test_mailboxes import mailbox, send
from tests.helpers import HOSTS, chinese, url_of

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache")]


def site_of(key):
    return Site.objects.get(hostname=HOSTS[key])


def article(key="main"):
    return chinese(ArticlePage.objects.live().descendant_of(site_of(key).root_page)).order_by("pk").first()


def test_anonymous_page_is_stored_and_served_without_the_database(client, django_assert_num_queries):
    first = client.get("/")
    assert first.status_code == 200 and first["X-Page-Cache"] == "miss"
    with django_assert_num_queries(0):
        second = client.get("/")
    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content
    assert second["ETag"] == first["ETag"]
    assert "public" in second["Cache-Control"] and "s-maxage=60" in second["Cache-Control"]
    # Headers added around the cache (CSP, HSTS-style headers) are on hits too.
    assert "Content-Security-Policy" in second


def test_browser_revalidation_gets_304(client):
    etag = client.get("/").headers["ETag"]
    response = client.get("/", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304 and response.content == b""
    assert client.get("/", HTTP_IF_NONE_MATCH='"stale"').status_code == 200


def test_publishing_a_change_shows_on_the_next_request(client):
    page = article()
    url = page.url
    assert client.get(url)["X-Page-Cache"] == "miss"
    assert client.get(url)["X-Page-Cache"] == "hit"
    page.title = "缓存测试：已更新的标题"
    page.save_revision().publish()
    response = client.get(url)
    assert response["X-Page-Cache"] == "miss"
    assert "缓存测试：已更新的标题" in response.content.decode()


def test_publishing_a_new_article_updates_its_column_and_the_home_page(client):
    column = article().get_parent().specific
    assert isinstance(column, ColumnPage)
    client.get(column.url)
    client.get("/")
    new = ArticlePage(title="缓存测试：新发布的消息", slug="cache-test-news")
    column.add_child(instance=new)
    new.save_revision().publish()
    assert "缓存测试：新发布的消息" in client.get(column.url).content.decode()
    assert "缓存测试：新发布的消息" in client.get("/").content.decode()


def test_unpublishing_removes_the_page_for_visitors(client):
    page = article()
    url = page.url
    assert client.get(url).status_code == 200
    page.unpublish()
    assert client.get(url).status_code == 404


def test_a_change_on_another_site_leaves_this_site_cached(site_client):
    main, jia = site_client("main"), site_client("jia")
    main.get("/")
    page = article("jia")
    page.title = "甲市：只影响甲市的修改"
    page.save_revision().publish()
    assert main.get("/")["X-Page-Cache"] == "hit"
    assert jia.get(page.url)["X-Page-Cache"] == "miss"


def test_site_setting_change_purges_that_site(site_client):
    jia = site_client("jia")
    jia.get("/")
    identity = SiteIdentity.objects.get(site=site_of("jia"))
    identity.phone = "0999-12345678"
    identity.save()
    assert "0999-12345678" in jia.get("/").content.decode()


def test_snippet_change_purges_the_pages_showing_it(client, site_client):
    jia = site_client("jia")
    client.get("/")
    jia.get("/")
    text = SiteText.objects.get(pk=SiteIdentity.objects.get(site=site_of("jia")).text_id)
    text.address = "示例省甲市缓存路1号"
    text.save()
    assert "示例省甲市缓存路1号" in jia.get("/").content.decode()
    # A snippet may be shown anywhere in the cluster: every site is refreshed.
    assert client.get("/")["X-Page-Cache"] == "miss"


def test_theme_rename_shows_on_the_guide_index(client):
    theme = Theme.objects.filter(locale__language_code="zh-hans").order_by("sort_order").first()
    index = client.get("/nsfw/bszn/")
    assert index.status_code == 200 and theme.name in index.content.decode()
    theme.name = "缓存测试主题"
    theme.save()
    assert "缓存测试主题" in client.get("/nsfw/bszn/").content.decode()


def test_two_sites_with_the_same_path_never_share_an_entry(site_client):
    pages = {key: site_client(key).get("/").content.decode() for key in ("main", "jia", "yi")}
    again = {key: site_client(key).get("/") for key in ("main", "jia", "yi")}
    for key, response in again.items():
        assert response["X-Page-Cache"] == "hit"
        assert response.content.decode() == pages[key]
    assert "<title>国家税务总局甲市税务局</title>" in pages["jia"]
    assert "<title>国家税务总局乙市税务局</title>" in pages["yi"]


def test_languages_and_display_modes_are_separate_entries(client):
    chinese_home = client.get("/").content.decode()
    english_home = client.get("/en/")
    assert english_home["X-Page-Cache"] == "miss" and 'lang="en"' in english_home.content.decode()
    elderly = Client(HTTP_HOST="localhost:8000")
    elderly.cookies["a11y"] = "el"
    response = elderly.get("/")
    assert response["X-Page-Cache"] == "miss"
    assert 'class="no-js a11y-elderly"' in response.content.decode()
    assert 'class="no-js"' in chinese_home
    assert "private" in response["Cache-Control"]  # a proxy must not hand it to others
    assert client.get("/")["X-Page-Cache"] == "hit"


def test_logged_in_editor_never_gets_a_cached_page(client, django_user_model):
    client.get("/")
    editor = Client(HTTP_HOST="localhost:8000")
    editor.force_login(django_user_model.objects.get(username="admin"))
    response = editor.get("/")
    assert "X-Page-Cache" not in response
    assert "private" in response["Cache-Control"]
    page = article()
    editor.get(page.url)
    # What the editor saw was not stored for visitors either.
    assert client.get(page.url)["X-Page-Cache"] == "miss"


def test_pages_with_forms_and_posts_are_never_cached(client):
    page = mailbox()
    url = url_of(page)
    for _ in range(2):
        response = client.get(url)
        assert response.status_code == 200 and 'name="csrfmiddlewaretoken"' in response.content.decode()
        assert "X-Page-Cache" not in response
    before = Letter.objects.count()
    sent = send(client, page)
    assert sent.status_code == 302 and "X-Page-Cache" not in sent
    assert Letter.objects.count() == before + 1


def test_publishing_a_letter_refreshes_the_public_letter_list(client):
    page = mailbox()
    listing = url_of(page) + "letters/"
    client.get(listing)
    assert client.get(listing)["X-Page-Cache"] == "hit"
    letter = Letter.objects.filter(mailbox=page, is_published=True).order_by("pk").first()
    letter.subject = "缓存测试：答复后公开的来信"
    letter.save()
    assert "缓存测试：答复后公开的来信" in client.get(listing).content.decode()


def test_search_is_never_cached_and_counts_every_query(client):
    client.get("/search/", {"q": "发票"})
    client.get("/search/", {"q": "发票"})
    assert "X-Page-Cache" not in client.get("/search/", {"q": "发票"})
    assert SearchTermDay.objects.get(query="发票").searches == 3


def test_live_interview_page_is_not_cached_and_an_archive_is(client):
    interviews = chinese(InterviewPage.objects.live())
    ended = next(page for page in interviews if page.status() == "ended")
    client.get(ended.url)
    assert client.get(ended.url)["X-Page-Cache"] == "hit"
    live = next(page for page in interviews if page.status() != "ended")
    InterviewState.objects.update_or_create(page=live, defaults={"started_at": live.scheduled_start})
    for _ in range(2):
        response = client.get(live.url)
        assert response.status_code == 200 and "X-Page-Cache" not in response


def test_home_page_type_is_cached_for_every_site(site_client):
    for key in ("main", "jia", "yi"):
        assert HomePage.objects.filter(pk=site_of(key).root_page_id).exists()
        assert site_client(key).get("/")["X-Page-Cache"] == "miss"
        assert site_client(key).get("/")["X-Page-Cache"] == "hit"


def test_cache_off_means_no_header(client, settings):
    settings.PAGE_CACHE_SECONDS = 0
    assert "X-Page-Cache" not in client.get("/")


def test_the_cache_is_the_one_the_environment_names():
    """CI runs the suite a second time with REDIS_URL set: then pages really live in Redis."""
    import os

    from django.conf import settings

    backend = settings.CACHES["default"]["BACKEND"]
    if os.environ.get("REDIS_URL"):
        assert backend == "portal.cache.RedisCache"
    else:
        assert backend == "django.core.cache.backends.locmem.LocMemCache"
    cache.set("pagecache:probe", "示例", 10)
    assert cache.get("pagecache:probe") == "示例"


# ---- images and documents: the sites of the pages that show them (issue #27) ---------------
def image_shown_only_on(key):
    """An image that pages of site ``key`` show and no page of another site."""
    from wagtail.models import Page, ReferenceIndex

    from portal.models import PortalImage

    root = site_of(key).root_page
    for image in PortalImage.objects.order_by("pk"):
        ids = [int(pk) for pk in ReferenceIndex.get_references_to(image).values_list("object_id", flat=True)]
        pages = Page.objects.filter(pk__in=ids)
        if pages and all(page.path.startswith(root.path) for page in pages):
            return image, pages.first()
    raise AssertionError(f"no image shown only on {key}")


def test_an_image_save_purges_only_the_sites_that_show_it(client, site_client):
    image, page = image_shown_only_on("jia")
    jia = site_client("jia")
    path = url_of(page)
    assert jia.get(path)["X-Page-Cache"] == "miss"
    assert client.get("/")["X-Page-Cache"] == "miss"
    image.title = "新的图片标题"
    image.save()
    assert jia.get(path)["X-Page-Cache"] == "miss"  # the site that shows it: fresh
    assert client.get("/")["X-Page-Cache"] == "hit"  # the others keep their pages
    assert site_client("yi").get("/")["X-Page-Cache"] == "miss"  # (first visit)
    image.delete()
    assert jia.get(path)["X-Page-Cache"] == "miss"
    assert client.get("/")["X-Page-Cache"] == "hit"


def test_a_new_upload_purges_nothing(client):
    from wagtail.images.tests.utils import get_test_image_file

    from portal.models import PortalImage

    client.get("/")
    PortalImage.objects.create(title="新上传", file=get_test_image_file())
    assert client.get("/")["X-Page-Cache"] == "hit"


def test_an_image_a_site_identity_shows_purges_the_cluster(client, site_client):
    mark = SiteIdentity.objects.get(site=site_of("jia")).gov_mark
    client.get("/")
    mark.title = "党政机关网站标识（新）"
    mark.save()
    assert client.get("/")["X-Page-Cache"] == "miss"


def test_a_site_template_save_purges_nothing(client):
    from cluster.models import SiteTemplate

    client.get("/")
    template = SiteTemplate.objects.get(key="county")
    template.description = "改过的说明"
    template.save()
    assert client.get("/")["X-Page-Cache"] == "hit"
