"""One install, three sites: each hostname gets its own tree, name and footer."""

import re

import pytest
from wagtail.models import Site

from home.models import ArticlePage, HomePage
from portal.models import SiteIdentity
from tests.helpers import HOSTS

pytestmark = pytest.mark.django_db


def test_four_sites_with_their_own_home_pages():
    sites = {site.hostname: site for site in Site.objects.all()}
    assert set(sites) == {"localhost", "jia.localhost", "yi.localhost", "linjiang.localhost"}
    assert sites["localhost"].is_default_site
    roots = {site.root_page_id for site in sites.values()}
    assert len(roots) == 4
    assert HomePage.objects.filter(pk__in=roots).count() == 4


@pytest.mark.parametrize(
    "key, name, address",
    [
        ("main", "国家税务总局示例省税务局", "示例省示例市政务路100号"),
        ("jia", "国家税务总局甲市税务局", "示例省甲市东湖区明德路88号"),
        ("yi", "国家税务总局乙市税务局", "示例省乙市北城区人民路168号"),
    ],
)
def test_each_host_serves_its_own_home_page_and_footer(site_client, key, name, address):
    response = site_client(key).get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert f"<title>{name}</title>" in html
    assert address in html
    others = {"main", "jia", "yi"} - {key}
    # Other sites appear only as cluster links, never as this site's identity.
    for other in others:
        other_identity = SiteIdentity.objects.get(site__hostname=HOSTS[other])
        assert other_identity.address not in html
        assert other_identity.site_name in html  # listed under 网站群


def test_footer_identity_fields(site_client):
    html = site_client("jia").get("/").content.decode()
    for text in [
        "主办单位",
        "国家税务总局甲市税务局办公室",
        "网站标识码",
        "bm29000101",
        "ICP备案号",
        "示ICP备20260001号-1",
        "公安机关备案号",
        "示公网安备 99010002000101号",
        "bgs@jia.tax-shili.example",
        'alt="党政机关网站标识"',
        "网站地图",
        "无障碍声明",
        "联系我们",
        "我为政府网站找错",
    ]:
        assert text in html, text
    # Without an own error-report mailbox, the link goes to the national platform with our site code.
    assert "zfwzzc.www.gov.cn/check_web/errorInfo_querySiteInfo.action?sitecode=bm29000101" in html


def test_a_sub_site_does_not_serve_another_sites_pages(site_client):
    main_article = ArticlePage.objects.live().descendant_of(Site.objects.get(hostname="localhost").root_page).first()
    path = main_article.get_url_parts()[2]
    assert site_client("main").get(path).status_code == 200
    assert site_client("jia").get(path).status_code == 404


def test_unknown_host_gets_the_default_site():
    from django.test import Client

    response = Client(HTTP_HOST="portal.unknown.example").get("/")
    assert response.status_code == 200
    assert "<title>国家税务总局示例省税务局</title>" in response.content.decode()


def test_127_0_0_1_serves_the_main_site():
    from django.test import Client

    response = Client(HTTP_HOST="127.0.0.1:8000").get("/")
    assert "国家税务总局示例省税务局" in response.content.decode()


def test_404_is_styled_and_returns_404(site_client):
    response = site_client("yi").get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "抱歉，您访问的页面不存在" in html
    assert "乙市税务局" in html  # the site's own header
    assert 'href="#main-content"' in html  # same accessible shell as every page
    assert "示例省乙市北城区人民路168号" in html  # and its footer


def test_robots_and_sitemap_xml_per_site(site_client):
    robots = site_client("jia").get("/robots.txt")
    assert robots.status_code == 200
    assert "Sitemap: http://jia.localhost:8000/sitemap.xml" in robots.content.decode()
    index = site_client("jia").get("/sitemap.xml")
    assert index.status_code == 200
    assert "<loc>http://jia.localhost:8000/sitemap-pages.xml</loc>" in index.content.decode()
    sitemap = site_client("jia").get("/sitemap-pages.xml")
    assert sitemap.status_code == 200
    body = sitemap.content.decode()
    assert "http://jia.localhost:8000/gzdt/" in body
    assert "localhost:8000/gzdt/swyw/" not in body  # the provincial site's columns are not listed


def test_sitemap_xml_is_an_index_of_bounded_files_that_together_list_every_page(
    site_client, monkeypatch, django_assert_max_num_queries
):
    """The province's main site has 15,000 pages: one file took 7 s. The index costs the
    same few queries at any size, and each file lists the URLs of ``limit`` pages (a mailbox's
    published letters and a FAQ's entries with their page)."""
    from django.test import RequestFactory

    from portal.sitemaps import PortalSitemap

    client = site_client("main")
    whole = re.findall(r"<loc>([^<]+)</loc>", client.get("/sitemap-pages.xml").content.decode())
    assert len(whole) > 20 and "http://localhost:8000/gzdt/" in whole
    monkeypatch.setattr(PortalSitemap, "limit", 7)
    with django_assert_max_num_queries(6):
        index = client.get("/sitemap.xml")
    assert index.status_code == 200 and index["Content-Type"].startswith("application/xml")
    files = re.findall(r"<loc>([^<]+)</loc>", index.content.decode())
    pages = PortalSitemap(RequestFactory().get("/", HTTP_HOST="localhost:8000")).items().count()
    assert pages > 20 and len(files) == -(-pages // 7)
    assert files[0] == "http://localhost:8000/sitemap-pages.xml"
    assert files[1] == "http://localhost:8000/sitemap-pages.xml?p=2"
    listed = []
    for file in files:
        part = re.findall(
            r"<loc>([^<]+)</loc>", client.get(file.removeprefix("http://localhost:8000")).content.decode()
        )
        assert part
        listed += part
    assert listed == whole
    assert client.get("/sitemap-pages.xml", {"p": len(files) + 1}).status_code == 404
    assert client.get("/sitemap-pages.xml", {"p": "x"}).status_code == 404
    assert client.get("/sitemap-nothing.xml").status_code == 404
