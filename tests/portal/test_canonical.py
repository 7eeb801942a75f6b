"""``<link rel="canonical">`` on every public page: the Site's configured address (never the
Host header a request came with), the page's own path, pagination kept, filters dropped."""

import math
import re

import pytest
from django.core.cache import cache
from django.test import Client

from correspondence.models import MailboxPage
from faq.models import FAQ
from guides.models import FormLibraryPage, ServiceGuideIndexPage, ServiceGuidePage
from home.models import ArticlePage, ColumnPage
from tests.helpers import HOSTS, chinese, site_of, url_of

pytestmark = pytest.mark.django_db

CANONICAL = re.compile(r'<link rel="canonical" href="([^"]*)">')
# Names a browser, a proxy or an attacker may send for the main site: none is its address.
OTHER_HOSTS = ["127.0.0.1:8000", "localhost:31337", "127.0.0.1"]


def canonical(response) -> str:
    assert response.status_code == 200
    links = CANONICAL.findall(response.content.decode())
    assert len(links) == 1, links
    return links[0]


def main_site_pages() -> list[str]:
    root = site_of("main").root_page
    column = chinese(ColumnPage.objects.live().descendant_of(root)).order_by("path").first()
    article = chinese(ArticlePage.objects.live().descendant_of(root)).order_by("pk").first()
    guide = chinese(ServiceGuidePage.objects.live().descendant_of(root)).order_by("path").first()
    mailbox = chinese(MailboxPage.objects.live().descendant_of(root)).order_by("path").first()
    return ["/", url_of(column), url_of(article), url_of(guide), url_of(mailbox), url_of(mailbox) + "letters/"]


@pytest.mark.parametrize("host", OTHER_HOSTS)
def test_the_canonical_names_the_sites_address_whatever_the_host_header(host):
    browser = Client(HTTP_HOST=host)
    for path in main_site_pages():
        assert canonical(browser.get(path)) == f"http://localhost:8000{path}", path


def test_a_city_page_names_its_own_site(site_client):
    root = site_of("jia").root_page
    article = chinese(ArticlePage.objects.live().descendant_of(root)).order_by("pk").first()
    browser = Client(HTTP_HOST="jia.localhost:31337")
    assert canonical(browser.get("/")) == "http://jia.localhost:8000/"
    assert canonical(browser.get(url_of(article))) == f"http://jia.localhost:8000{url_of(article)}"


def test_the_sites_own_scheme_and_port_are_used(settings):
    site = site_of("main")
    site.port = 443
    site.save()
    assert canonical(Client(HTTP_HOST="127.0.0.1:8000").get("/")) == "https://localhost/"
    site.port = 80
    site.save()
    assert canonical(Client(HTTP_HOST="localhost:31337").get("/")) == "http://localhost/"


def test_an_english_page_points_at_itself(client):
    assert canonical(Client(HTTP_HOST="127.0.0.1:8000").get("/en/")) == "http://localhost:8000/en/"


def test_a_faq_entry_route_points_at_the_entry(client):
    entry = FAQ.objects.filter(live=True, locale__language_code="zh-hans").order_by("pk").first()
    path = f"/nsfw/cjwt/{entry.pk}/"
    assert canonical(client.get(path)) == f"http://localhost:8000{path}"


def test_listings_keep_the_page_number_and_drop_filters(client):
    index = ServiceGuideIndexPage.objects.live().get(url_path="/home/nsfw/bszn/")
    guides = url_of(index)
    last = math.ceil(ServiceGuidePage.objects.child_of(index).live().count() / index.per_page)
    assert last > 2
    library = url_of(FormLibraryPage.objects.live().get(url_path="/home/nsfw/bgxz/"))
    base = "http://localhost:8000"
    assert canonical(client.get(guides, {"page": "1"})) == f"{base}{guides}"
    assert canonical(client.get(guides, {"page": "2"})) == f"{base}{guides}?page=2"
    assert canonical(client.get(guides, {"page": "abc"})) == f"{base}{guides}"  # shown as page 1
    assert canonical(client.get(guides, {"page": "999"})) == f"{base}{guides}?page={last}"  # the last page, shown
    assert canonical(client.get(guides, {"theme": "fpbl"})) == f"{base}{guides}"
    assert canonical(client.get(guides, {"theme": "fpbl", "page": "2"})) == f"{base}{guides}"
    assert canonical(client.get(library, {"format": "pdf", "utm_source": "x"})) == f"{base}{library}"
    assert canonical(client.get("/", {"utm_source": "weixin"})) == f"{base}/"


def test_a_cached_page_keeps_the_sites_address(settings):
    settings.PAGE_CACHE_SECONDS = 300
    cache.clear()
    try:
        first = Client(HTTP_HOST="localhost:31337").get("/")
        again = Client(HTTP_HOST="127.0.0.1:8000").get("/")
        assert canonical(first) == canonical(again) == "http://localhost:8000/"
    finally:
        cache.clear()


def test_error_pages_have_no_canonical(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert not CANONICAL.search(response.content.decode())


def test_the_hosts_of_the_demo_are_what_these_tests_assume():
    assert HOSTS["main"] == "localhost" and site_of("main").port == 8000
