"""Cluster navigation that scales (issue #27): the footer lists the province's site and its
cities only, whatever the number of counties, and links the 网站群导航 directory, where
every open site stands under its city; both cost the same queries at 3 and at 30 sites."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page, Site

from home.models import HomePage
from portal import sitedata
from portal.models import SiteIdentity, SiteText
from tests.helpers import site_of

pytestmark = pytest.mark.django_db


def add_county_sites(count: int, parent: Site) -> list[Site]:
    """``count`` bare county sites under ``parent`` (a home page, the site, its identity): what
    the navigation reads, made fast (站点开通 itself is tested in test_open_site.py)."""
    root = Page.get_first_root_node()
    sites = []
    for number in range(count):
        home = root.add_child(instance=HomePage(title=f"测试县{number}", slug=f"county-{number}"))
        site = Site.objects.create(hostname=f"county-{number}.localhost", port=8000, root_page=home)
        text = SiteText.objects.create(site_name=f"国家税务总局测试{number:02d}县税务局")
        SiteIdentity.objects.create(site=site, text=text, parent_site=parent)
        sites.append(site)
    return sites


def footer(html: str) -> str:
    return html[html.index('<nav class="cluster-links"') : html.index("</nav>", html.index('class="cluster-links"'))]


def test_the_footer_lists_the_province_and_the_cities_and_links_the_directory(client):
    links = footer(client.get("/").content.decode())
    assert "国家税务总局甲市税务局" in links and "国家税务总局乙市税务局" in links
    assert "国家税务总局临江县税务局" not in links  # a county: in the directory
    assert 'href="/sites/">全部市县税务局网站</a>' in links
    county = footer(Client(HTTP_HOST="linjiang.localhost:8000").get("/").content.decode())
    assert "国家税务总局示例省税务局" in county and "国家税务总局甲市税务局" in county


def test_the_footer_stays_short_at_thirty_sites(client):
    add_county_sites(27, site_of("jia"))
    links = footer(client.get("/").content.decode())
    assert len(re.findall(r"<li>", links)) == 2  # 甲市, 乙市
    assert "测试" not in links


def test_the_directory_groups_every_site_under_its_city(client):
    add_county_sites(3, site_of("yi"))
    response = client.get("/sites/")
    assert response.status_code == 200
    html = response.content.decode()
    main = html[html.index("<main") : html.index("</main>")]
    assert "<h1>网站群导航</h1>" in main
    jia = main.index("国家税务总局甲市税务局")
    yi = main.index("国家税务总局乙市税务局")
    # each city's counties follow it, in a list named after the city
    assert jia < main.index("国家税务总局临江县税务局")
    assert 'aria-label="国家税务总局乙市税务局所属县区局"' in main
    for number in range(3):
        assert yi < main.index(f"国家税务总局测试{number:02d}县税务局")
    assert 'href="http://county-0.localhost:8000/"' in main


def test_the_english_directory_names_chinese_only_sites_in_chinese(client):
    html = client.get("/en/sites/").content.decode()
    main = html[html.index("<main") : html.index("</main>")]
    assert ">Jia City Tax Service</a>" in main
    assert '<a href="http://linjiang.localhost:8000/" lang="zh-Hans">国家税务总局临江县税务局</a>' in main


def test_a_closed_site_leaves_the_navigation(client):
    identity = SiteIdentity.objects.get(site__hostname="linjiang.localhost")
    identity.closed = True
    identity.save()
    assert "临江县" not in client.get("/sites/").content.decode()


def queries_for(host: str, path: str) -> int:
    """Queries of one uncached render with cold site data. Wagtail's table of site root paths
    is left out: it takes a query per site, once per change of a site, and is shared by every
    worker through the cache (``Site.get_site_root_paths``)."""
    Site.get_site_root_paths()
    Client(HTTP_HOST=host).get(path)  # renditions and the like, made once
    sitedata.clear()
    with CaptureQueriesContext(connection) as captured:
        assert Client(HTTP_HOST=host).get(path).status_code == 200
    return len(captured)


@pytest.mark.parametrize(
    "host, path",
    [
        ("localhost:8000", "/"),
        ("localhost:8000", "/sites/"),
        ("linjiang.localhost:8000", "/"),
        ("jia.localhost:8000", "/gzdt/"),
    ],
)
def test_pages_cost_the_same_queries_at_3_and_at_30_sites(settings, host, path):
    settings.PAGE_CACHE_SECONDS = 0  # every request rendered
    before = queries_for(host, path)
    add_county_sites(27, site_of("jia"))
    assert queries_for(host, path) == before
