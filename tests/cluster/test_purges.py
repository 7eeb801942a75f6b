"""A snippet save purges the sites of the pages that show it, not the cluster (issue #27): at a
province's size an FAQ entry, an interview guest or a form edited on the main site leaves the
county sites' cached pages alone. The apps declare where their records are shown
(``portal.pagecache.shown_on``); a snippet that declares nothing still purges the cluster."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page, Site

from correspondence.models import LetterDepartment
from faq.models import FAQ
from guides.models import FormItem, LocalGuidePage, ServiceGuidePage, Theme
from interviews.models import Guest, InterviewPage
from portal import pagecache
from search.models import PopularSearch
from tests.cluster.test_navigation import add_county_sites
from tests.factories import ServiceGuideIndexPageFactory, ServiceGuidePageFactory
from tests.helpers import chinese, site_of, url_of

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache")]

INCREASE = "如何申请增加发票用量？"  # the demo's entry linked to the guide fp-pzhd


def visitor(site: Site) -> Client:
    return Client(HTTP_HOST=f"{site.hostname}:8000")


def cached(client: Client, path: str = "/") -> bool:
    response = client.get(path)
    assert response.status_code == 200
    return response["X-Page-Cache"] == "hit"


def warm(*clients: Client) -> None:
    for client in clients:
        client.get("/")
        assert cached(client)


@pytest.fixture
def counties():
    """27 county sites more under 甲市 (30 in all), each with a home page only."""
    return add_county_sites(27, site_of("jia"))


def linked_entry() -> FAQ:
    return chinese(FAQ.objects).get(question=INCREASE)


def province_guide(slug: str = "fp-pzhd") -> ServiceGuidePage:
    return chinese(ServiceGuidePage.objects.live()).get(slug=slug)


def county_guide(theme: Theme) -> tuple[ServiceGuidePage, Client]:
    """A guide in ``theme``, linked to no entry, on a county site with no FAQ index (an entry
    shows there only through the guide's theme), and a visitor of that site."""
    site = add_county_sites(1, site_of("jia"))[0]
    index = ServiceGuideIndexPageFactory(parent=site.root_page, slug="bszn")
    guide = ServiceGuidePageFactory(parent=index, title="测试县测试事项", slug="test-item", theme=theme)
    return guide, visitor(site)


def test_an_faq_entry_published_refreshes_its_guide_and_leaves_the_county_sites_cached(client, counties):
    faq = linked_entry()
    guide = province_guide()
    guide_path = url_of(guide)
    assert INCREASE in client.get(guide_path).content.decode()
    county = visitor(counties[0])  # a site with no FAQ index and no guide
    warm(county)

    faq.question = "如何申请增加发票领用份数？"
    faq.save_revision().publish()

    html = client.get(guide_path).content.decode()
    assert "<summary>如何申请增加发票领用份数？</summary>" in html and INCREASE not in html
    assert cached(county)


def test_an_entry_moved_to_another_theme_leaves_the_guides_of_the_old_one():
    """The entry's themes are committed after ``post_save`` (a ClusterableModel): the pages it
    showed on before the change are purged before it, from the rows in the database."""
    faq = linked_entry()
    old_theme = faq.themes.get()
    guide, county = county_guide(old_theme)
    path = url_of(guide)
    assert f"<summary>{INCREASE}</summary>" in county.get(path).content.decode()  # filled up from its theme
    assert cached(county, path)

    faq.themes = [chinese(Theme.objects).exclude(pk=old_theme.pk).order_by("pk").first()]
    faq.save_revision().publish()

    assert INCREASE not in county.get(path).content.decode()


def test_an_entry_joining_a_theme_shows_on_that_themes_guides_at_once():
    faq = linked_entry()
    theme = chinese(Theme.objects).exclude(pk__in=faq.themes.all()).order_by("pk").first()
    guide, county = county_guide(theme)
    path = url_of(guide)
    assert INCREASE not in county.get(path).content.decode()
    assert cached(county, path)

    faq.themes = [*faq.themes.all(), theme]
    faq.save_revision().publish()

    assert f"<summary>{INCREASE}</summary>" in county.get(path).content.decode()


def test_a_deleted_entry_leaves_its_guide(client, counties):
    faq = linked_entry()
    guide_path = url_of(province_guide())
    assert INCREASE in client.get(guide_path).content.decode()
    county = visitor(counties[0])
    warm(county)
    faq.delete()
    assert INCREASE not in client.get(guide_path).content.decode()
    assert cached(county)


def test_a_guest_renamed_shows_on_their_interview_and_no_other_site_is_purged(client, site_client, counties):
    interview = chinese(InterviewPage.objects.live()).filter(guest_links__isnull=False).order_by("pk").first()
    guest = Guest.objects.filter(interview_links__page=interview).order_by("pk").first()
    path = url_of(interview)
    assert guest.name in client.get(path).content.decode()
    jia, county = site_client("jia"), visitor(counties[0])
    warm(jia, county)

    guest.name = "测试嘉宾甲"
    guest.save()

    assert "测试嘉宾甲" in client.get(path).content.decode()
    assert cached(jia) and cached(county)


def test_a_form_renamed_shows_in_the_form_libraries_and_sites_without_one_keep_their_pages(client, counties):
    form = chinese(FormItem.objects).order_by("pk").first()
    library = "/nsfw/bgxz/"
    assert form.title in client.get(library).content.decode()
    county = visitor(counties[0])  # a bare site: no form library, no guide
    warm(county)

    form.title = "测试表格（新名称）"
    form.save()

    assert "测试表格（新名称）" in client.get(library).content.decode()
    assert cached(county)


def test_a_theme_is_listed_on_every_site_and_purges_the_cluster(counties):
    county = visitor(counties[0])
    warm(county)
    theme = chinese(Theme.objects).order_by("pk").first()
    theme.name = "改名的主题"
    theme.save()
    assert not cached(county)


@pytest.mark.parametrize(
    "record",
    [
        lambda: LetterDepartment.objects.order_by("pk").first(),  # 承办部门: staff only
        lambda: PopularSearch.objects.order_by("pk").first() or PopularSearch.objects.create(query="发票"),
    ],
    ids=["letter department", "popular search"],
)
def test_what_no_cached_page_shows_purges_nothing(client, record):
    warm(client)
    item = record()
    item.save()
    assert cached(client)


def purges_and_queries(record) -> tuple[set, int]:
    bumped = []
    original = pagecache._bump
    pagecache._bump = bumped.append
    try:
        with CaptureQueriesContext(connection) as captured:
            record.save()
    finally:
        pagecache._bump = original
    return set(bumped), len(captured)


def test_what_an_entry_save_purges_and_costs_does_not_grow_with_the_sites():
    """The sites of its FAQ indexes, its guides and the cities' local pages of those guides,
    found in a fixed number of queries whatever the number of sites."""
    faq = linked_entry()
    shown = list(Page.objects.filter(pk__in=pagecache.pages_showing(faq).values("pk")))
    local = LocalGuidePage.objects.filter(guide__in=[page.pk for page in shown])
    showing = {page.get_site().pk for page in [*shown, *local]}
    assert len(showing) == 4  # the FAQ indexes of the main site, 甲市, 乙市 and 临江县
    Site.get_site_root_paths()
    keys, before = purges_and_queries(faq)
    assert keys == {f"pagecache:v:site:{site_id}" for site_id in showing}

    add_county_sites(27, site_of("jia"))
    Site.get_site_root_paths()
    keys_after, after = purges_and_queries(faq)
    assert keys_after == keys and after == before  # none of the 27 new sites
