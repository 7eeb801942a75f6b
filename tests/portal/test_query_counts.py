"""Query ceilings: the home and column pages cost the same with 50 more articles."""

import pytest
from wagtail.models import Site

from home.models import ArticlePage, ColumnPage
from tests.helpers import chinese

pytestmark = pytest.mark.django_db

# Measured figures; none of these depends on how many articles exist. Routing a path served
# before costs one query, the page's own row (portal/routing.py keeps where each path leads with
# the site data; Wagtail's own walk pays two queries per tree level). What is inside <main> of
# an article, a policy, a guide, the guide index, the form library and an archived interview is
# kept in the shared cache under the site data versions ({% contentfragment %}: pages that share
# their content), so a request after the first pays none of the queries of the body, its
# attachments, links, 信息索引 or 信息报送 (tests/portal/test_shared_content.py).
# The site, its identity and footer, its menu, its home page and the restricted paths, and
# each page's breadcrumb trail and other-language version, are kept per process between
# edits (portal/sitedata.py): the first request after a save pays several queries more to
# load them again (tests/portal/test_site_data.py); these ceilings are for the requests after it,
# which is every request until the next save. The home page pays one for its banner image.
HOME_MAX_QUERIES = 1
COLUMN_MAX_QUERIES = 1
ARTICLE_MAX_QUERIES = 1


def add_articles(column, n=50):
    """Published as an editor publishes (a revision), which refreshes the listings pages keep."""
    for i in range(n):
        article = column.add_child(
            instance=ArticlePage(title=f"批量文章{i:03d}", slug=f"bulk-{column.slug}-{i}", body="[]", live=False)
        )
        article.save_revision().publish()


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
    assert "批量文章049" in client.get("/").content.decode()  # the first request after the saves reloads
    with django_assert_max_num_queries(HOME_MAX_QUERIES):
        assert "批量文章049" in client.get("/").content.decode()


def test_column_page_query_ceiling(site_client, news, django_assert_max_num_queries):
    client = site_client("main")
    client.get("/gzdt/")
    with django_assert_max_num_queries(COLUMN_MAX_QUERIES):
        assert client.get("/gzdt/").status_code == 200
    add_articles(news)
    client.get("/gzdt/")  # the first request after the saves reloads the site data
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


GUIDE_INDEX_MAX_QUERIES = 1  # filtered: its list and counts are kept with the site data
GUIDE_INDEX_FIRST_REQUEST_MAX_QUERIES = 28  # the first after adding the guides: the site data reloads
FORM_LIBRARY_MAX_QUERIES = 1


def count_queries(client, path):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(path)  # warm the site-root cache
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


def test_guide_index_costs_the_same_with_10_or_60_guides(site_client, django_assert_max_num_queries):
    from guides.models import Department, ServiceGuideIndexPage, ServiceGuidePage, Theme

    root = Site.objects.get(hostname="localhost").root_page
    index = root.add_child(instance=ServiceGuideIndexPage(title="计数测试指南", slug="count-guides"))
    themes, departments = list(chinese(Theme.objects.all())), list(chinese(Department.objects.all()))

    def add(start, n):
        for i in range(start, start + n):
            index.add_child(
                instance=ServiceGuidePage(
                    title=f"计数指南{i:03d}",
                    slug=f"count-guide-{i}",
                    for_individuals=i % 2 == 0,
                    for_enterprises=i % 3 == 0 or i % 2 == 1,
                    theme=themes[i % len(themes)],
                    department=departments[i % len(departments)],
                    visits=i % 3,
                )
            )

    client = site_client("main")
    client.get("/")  # the footer's image renditions exist (each test starts with an empty cache)
    add(0, 10)
    with django_assert_max_num_queries(GUIDE_INDEX_FIRST_REQUEST_MAX_QUERIES):
        client.get("/count-guides/?audience=individual")
    ten = count_queries(client, "/count-guides/?audience=individual")
    add(10, 50)
    sixty = count_queries(client, "/count-guides/?audience=individual")
    assert ten == sixty <= GUIDE_INDEX_MAX_QUERIES


def test_form_library_costs_the_same_with_10_or_60_forms(site_client):
    from guides.models import FormItem, FormLibraryPage, GuideMaterial

    root = Site.objects.get(hostname="localhost").root_page
    root.add_child(instance=FormLibraryPage(title="计数测试表格", slug="count-forms"))
    template = FormItem.objects.exclude(sample=None).first()
    used_by = GuideMaterial.objects.filter(page__live=True).first().page
    FormItem.objects.all().delete()

    def add(start, n):
        for i in range(start, start + n):
            form = FormItem.objects.create(
                code=f"T-{i:03d}",
                title=f"计数表格{i:03d}",
                theme=template.theme,
                department=template.department,
                document=template.document,
                alt_document=template.alt_document,
                sample=template.sample,
                updated=template.updated,
            )
            used_by.materials.create(name=f"材料{i}", form=form)

    client = site_client("main")
    add(0, 10)
    ten = count_queries(client, "/count-forms/")
    add(10, 50)
    sixty = count_queries(client, "/count-forms/")
    assert ten == sixty <= FORM_LIBRARY_MAX_QUERIES


# Mailbox pages: the same whether a mailbox has 24 letters or 64. 互动交流 pays one query
# more to list its other sections (意见征集, 网上调查).
MAILBOX_MAX_QUERIES = {"/hdjl/": 7, "/hdjl/jzxx/": 10, "/hdjl/jzxx/letters/": 11, "/hdjl/statistics/": 9}


def test_mailbox_pages_query_ceilings(site_client, django_assert_max_num_queries):
    from django.utils import timezone

    from correspondence.models import Letter

    client = site_client("main")
    for url in MAILBOX_MAX_QUERIES:
        client.get(url)
    template = Letter.objects.filter(mailbox__slug="jzxx", site__hostname="localhost", is_published=True).first()
    for number in range(40):
        template.pk = None
        template.code = f"BULK{number:04d}"
        template.received_at = timezone.now() - timezone.timedelta(days=number * 9)
        template.save()
    for url in MAILBOX_MAX_QUERIES:  # published letters purged the site: its shared data reloads once
        client.get(url)
    for url, ceiling in MAILBOX_MAX_QUERIES.items():
        with django_assert_max_num_queries(ceiling):
            assert client.get(url).status_code == 200, url


def _first_url(model, hostname="localhost"):
    root = Site.objects.get(hostname=hostname).root_page
    page = chinese(model.objects.live().descendant_of(root)).order_by("path").first()
    return page.get_url_parts()[2]


# Every other page type, measured on the demo content (the first page of each type on the
# main site, after one warm-up request). With the page cache on, a repeat visit by an
# anonymous visitor costs no query at all (tests/portal/test_page_cache.py).
OTHER_PAGE_MAX_QUERIES = {
    "PolicyDocumentPage": 1,  # its 主题分类 comes with the page (``serve_related``)
    "PolicyInterpretationPage": 2,  # + the policies it explains, which its JSON-LD names
    "ServiceGuidePage": 1,
    "StandardPage": 1,
    "SitemapPage": 2,  # + the site's tree
}


@pytest.mark.parametrize("type_name", OTHER_PAGE_MAX_QUERIES)
def test_other_page_types_query_ceilings(site_client, type_name, django_assert_max_num_queries):
    from wagtail.models import get_page_models

    model = next(m for m in get_page_models() if m.__name__ == type_name)
    client = site_client("main")
    path = _first_url(model)
    client.get(path)
    with django_assert_max_num_queries(OTHER_PAGE_MAX_QUERIES[type_name]):
        assert client.get(path).status_code == 200


# The English edition: links the editors made to Chinese pages are followed to their live
# translations (portal.languages.localize_pages), batched per list (footer, quick links,
# featured columns) and remembered for the request, so each list costs one query, not one
# or two per link. Routing an English path costs one query more than a Chinese one: the home
# page's English translation (portal.pages.PortalPage.localized; the locale's id is kept with
# the site data).
ENGLISH_MAX_QUERIES = {"/en/": 2, "/en/news/": 2, "/en/notices/tzgg-12366-service-hours/": 2}


@pytest.mark.parametrize("path", ENGLISH_MAX_QUERIES)
def test_english_page_query_ceilings(site_client, path, django_assert_max_num_queries):
    client = site_client("main")
    client.get(path)
    with django_assert_max_num_queries(ENGLISH_MAX_QUERIES[path]):
        response = client.get(path)
    assert response.status_code == 200
    assert 'lang="en"' in response.content.decode()


def test_english_links_point_at_english_pages(site_client):
    """The footer's and the quick links' pages, batched, still lead to their translations."""
    html = site_client("main").get("/en/").content.decode()
    footer = html.split('class="footer-links"')[1].split("</nav>")[0]
    assert 'href="/en/sitemap/"' in footer and 'href="/en/privacy/"' in footer
    quick = html.split('class="quick-links"')[1].split("</ul>")[0]
    assert 'href="/en/taxpayer-services/service-guides/"' in quick
