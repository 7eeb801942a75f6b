"""Absolute addresses come from the Site, never from the Host header (issue 24, item 2).

The page cache keys pages on the site, not the host: one request with ``Host: localhost:31337``
(the port passes ``ALLOWED_HOSTS``) must not put that address into what later visitors get."""

import re

import pytest
from django.test import Client
from wagtail.models import Site

from home.models import ArticlePage, ColumnPage
from participation.models import ConsultationPage
from subscriptions.queries import subscribable_column
from taxservice.models import FilingCalendarPage
from tests.helpers import HOSTS, chinese, url_of

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache")]

POISON = "localhost:31337"


def main_site():
    return Site.objects.get(hostname=HOSTS["main"])


def first_live(model):
    return chinese(model.objects.live().descendant_of(main_site().root_page)).order_by("pk").first()


def pages_with_absolute_addresses() -> dict[str, str]:
    """What each kind of address is on: meta Url, og:url, JSON-LD (every page); hreflang
    (a page with an English version); 本页链接 (articles, consultations); webcal:// (the filing
    calendar)."""
    article = first_live(ArticlePage)
    return {
        "home page": "/",
        "article": url_of(article),
        "consultation": url_of(first_live(ConsultationPage)),
        "filing calendar": url_of(first_live(FilingCalendarPage)),
    }


def test_a_poisoned_host_does_not_reach_the_next_visitor():
    attacker = Client(HTTP_HOST=POISON)
    visitor = Client(HTTP_HOST="localhost:8000")
    for name, url in pages_with_absolute_addresses().items():
        poisoned = attacker.get(url)
        assert poisoned.status_code == 200 and poisoned["X-Page-Cache"] == "miss", name
        later = visitor.get(url)
        assert later["X-Page-Cache"] == "hit", name  # the same stored page
        html = later.content.decode()
        assert "31337" not in html, name
        assert 'name="Url" content="http://localhost:8000/' in html, name
        assert 'property="og:url" content="http://localhost:8000/' in html, name


def test_every_kind_of_address_is_the_sites():
    attacker = Client(HTTP_HOST=POISON)
    urls = pages_with_absolute_addresses()
    home = attacker.get("/").content.decode()
    assert re.search(r'<link rel="alternate" hreflang="en" href="http://localhost:8000/en/', home)
    article = attacker.get(urls["article"]).content.decode()
    assert f'本页链接：<a href="http://localhost:8000{urls["article"]}">' in article
    assert '"url": "http://localhost:8000/"' in article  # JSON-LD: the publisher
    assert f'"mainEntityOfPage": "http://localhost:8000{urls["article"]}"' in article
    calendar = attacker.get(urls["filing calendar"]).content.decode()
    assert "webcal://localhost:8000/taxservice/calendar/" in calendar
    for response in (attacker.get("/robots.txt"), attacker.get(urls["filing calendar"])):
        assert "31337" not in response.content.decode()
    assert "Sitemap: http://localhost:8000/sitemap.xml" in attacker.get("/robots.txt").content.decode()


def test_a_feed_names_its_own_address_from_the_site(rf):
    request = rf.get("/", HTTP_HOST="localhost:8000")
    columns = chinese(ColumnPage.objects.live().descendant_of(main_site().root_page)).order_by("pk")
    column = next(column for column in columns if subscribable_column(request, column.pk) is not None)
    feed = Client(HTTP_HOST=POISON).get(f"/feeds/{column.pk}.xml")
    body = feed.content.decode()
    assert feed.status_code == 200 and "31337" not in body
    assert f'href="http://localhost:8000/feeds/{column.pk}.xml"' in body


def test_the_scheme_follows_the_sites_port():
    """Behind a TLS proxy a site is saved with port 443: its addresses are https:// without a port."""
    Site.objects.filter(pk=main_site().pk).update(port=443)
    response = Client(HTTP_HOST="localhost:443").get("/")
    html = response.content.decode()
    assert 'property="og:url" content="https://localhost/"' in html
    assert "Sitemap: https://localhost/sitemap.xml" in Client(HTTP_HOST="localhost").get("/robots.txt").content.decode()
