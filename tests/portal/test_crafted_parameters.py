"""Crafted ids and years answer 404 (or 400), never 500 (issue 24, item 5).

An id of 2⁶³ or more overflows a ``bigint`` in the database driver (PostgreSQL raises,
SQLite refuses to convert it), and a year the ``datetime`` module cannot hold (0, 10000, thirty
digits, a superscript "²" that ``str.isdigit`` accepts and ``int`` refuses) breaks the date
lookups. These tests walk **every** route of the URLconf — the portal's, Wagtail's admin, the
Django admin — and every route of every routable page type, put such ids wherever a route
takes one, and request each with GET and POST (staff routes as the superuser, the rest as an
anonymous visitor); then every page type with crafted ``year``, ``month``, ``page`` and
``since`` parameters. Run them on PostgreSQL too (``DATABASE_URL``): SQLite forgives some
overflows PostgreSQL does not.
"""

import re

import pytest
from django.db import transaction
from django.test import Client
from django.urls import get_resolver
from django.urls.resolvers import LocalePrefixPattern, RegexPattern, RoutePattern, URLResolver
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.models import Page, get_page_models

from tests.helpers import staff_client, url_of

HUGE_IDS = [str(2**63), str(10**30)]
CRAFTED_YEARS = ["0", "10000", "1" * 30, "²", "1", "-1", "9" * 5000]
CRAFTED = {
    "year": CRAFTED_YEARS,
    "month": ["0000-00", "10000-01", "2026-13", "1" * 30 + "-01"],
    "page": ["0", str(2**63), "1" * 5000, "²"],
    "since": [str(2**63), "²", "-1", "x"],
}

PLACEHOLDER = re.compile(r"<(?:(\w+):)?(\w+)>")
GROUP = re.compile(r"\((\?P<(\w+)>)?((?:[^()]|\([^()]*\))*)\)")
SKIP_ROUTES = ("django-admin/RE:(?P<url>.*)$", "admin/RE:^.*/$")  # catch-alls: no id


def _is_id(name: str, converter: str | None) -> bool:
    return converter in ("int", "id") or name in ("pk", "id") or name.endswith(("_id", "_pk"))


def _sample(route: str, huge: str) -> str | None:
    """The route with ``huge`` for each id it takes and a plain word for the rest; None when
    it takes no id."""
    found = False

    def placeholder(match):
        nonlocal found
        converter, name = match.group(1), match.group(2)
        if _is_id(name, converter):
            found = True
            return huge
        return "x"

    def group(match):
        nonlocal found
        name, body = match.group(2) or "", match.group(3)
        if r"\d" in body or "0-9" in body or _is_id(name, None):
            found = True
            return huge
        return "x"

    head, _, regex = route.partition("RE:")
    url = PLACEHOLDER.sub(placeholder, head)
    if regex:
        regex = GROUP.sub(group, regex.lstrip("^").rstrip("$"))
        regex = PLACEHOLDER.sub(placeholder, regex).replace("\\.", ".")
        if any(char in regex for char in "()[]*+?|\\^$"):
            return None
        url += regex
    return "/" + url if found else None


def _routes(patterns, prefix=""):
    for entry in patterns:
        pattern = entry.pattern
        if isinstance(pattern, LocalePrefixPattern):
            part = ""
        elif isinstance(pattern, RoutePattern):
            part = str(pattern._route)
        elif isinstance(pattern, RegexPattern):
            part = "RE:" + pattern._regex
        else:  # pragma: no cover - Django has no other kind
            raise AssertionError(pattern)
        if isinstance(entry, URLResolver):
            if isinstance(pattern, RegexPattern) and part.endswith("$"):
                continue
            sub = part.replace("RE:", "", 1).lstrip("^") if part.startswith("RE:") and "(" not in part else part
            yield from _routes(entry.url_patterns, prefix + sub)
        else:
            yield prefix + part


def id_routes() -> list[str]:
    """Every route of the URLconf that takes an id, with a huge one in its place."""
    urls = []
    for route in _routes(get_resolver().url_patterns):
        if route in SKIP_ROUTES or route.endswith("RE:^((?:[\\w\\-]+/)*)$"):
            continue
        for huge in HUGE_IDS:
            url = _sample(route, huge)
            if url is not None:
                urls.append(url)
    return urls


def routable_page_urls() -> list[str]:
    """Every sub-route of every routable page type (one live page each) that takes an id."""
    urls = []
    for model in get_page_models():
        if not issubclass(model, RoutablePageMixin) or model is Page:
            continue
        page = model.objects.live().first()
        if page is None:
            continue
        for pattern in model.get_subpage_urls():
            route = (
                str(pattern.pattern._route)
                if isinstance(pattern.pattern, RoutePattern)
                else "RE:" + pattern.pattern._regex
            )
            for huge in HUGE_IDS:
                sample = _sample(route, huge)
                if sample is not None:
                    urls.append(url_of(page) + sample.lstrip("/"))
    return urls


def answers(client, method: str, url: str, **extra) -> int:
    # a savepoint per request: on PostgreSQL a failed query would abort the test's transaction
    with transaction.atomic():
        response = getattr(client, method)(url, **extra)
        status = response.status_code
        transaction.set_rollback(True)
    return status


def refusals_of(urls, admin) -> list[str]:
    anonymous = Client(HTTP_HOST="localhost:8000", raise_request_exception=False)
    failures = []
    for url in urls:
        client = admin if url.startswith(("/admin/", "/django-admin/")) else anonymous
        for method in ("get", "post"):
            status = answers(client, method, url)
            if status >= 500:
                failures.append(f"{method.upper()} {url[:90]} → {status}")
    return failures


@pytest.fixture
def admin(db):
    client = staff_client("admin")
    client.raise_request_exception = False
    return client


def test_the_walk_reaches_the_routes_named_in_the_issue(db):
    urls = id_routes()
    huge = HUGE_IDS[0]
    for expected in (
        f"/interviews/{huge}/transcript.json",
        f"/interviews/{huge}/guest/x/",
        f"/taxservice/calendar/{huge}.ics",
        f"/feeds/{huge}.xml",
        f"/admin/letters/{huge}/attachments/{huge}/",
        f"/admin/pages/{huge}/edit/",
        f"/documents/{huge}/x",
    ):
        assert expected in urls
    assert len(urls) > 150
    routable = routable_page_urls()
    assert any(url.endswith(f"/letters/{huge}/") for url in routable)
    assert any(url.endswith(f"/{huge}/feedback/") for url in routable)


def test_no_route_answers_500_to_an_id_past_bigint(admin):
    assert refusals_of(id_routes(), admin) == []


def test_no_routable_page_answers_500_to_an_id_past_bigint(admin):
    assert refusals_of(routable_page_urls(), admin) == []


def test_the_issues_addresses_answer_404(client):
    huge = str(2**63)
    for url in (
        f"/interviews/{huge}/transcript.json",
        f"/interviews/{huge}/guest/abcdef/",
        f"/taxservice/calendar/{huge}.ics",
    ):
        assert client.get(url).status_code == 404, url


def test_crafted_years_on_the_published_letters_answer_404(client):
    from correspondence.models import MailboxPage

    letters = url_of(MailboxPage.objects.live().first()) + "letters/"
    for year in CRAFTED_YEARS:
        assert client.get(letters, {"year": year}).status_code == 404, year
    assert client.get(letters, {"year": "2026"}).status_code == 200
    assert client.get(letters, {"year": ""}).status_code == 200


def test_no_page_type_answers_500_to_crafted_parameters(db):
    """One live page of every type (and each routable page's list routes), every crafted value
    of every parameter the portal reads from a query string."""
    anonymous = Client(HTTP_HOST="localhost:8000", raise_request_exception=False)
    urls = []
    for model in get_page_models():
        page = model.objects.live().exclude(depth=1).first() if model is not Page else None
        if page is None:
            continue
        urls.append(url_of(page))
        if issubclass(model, RoutablePageMixin):
            for pattern in model.get_subpage_urls():
                route = pattern.pattern
                if isinstance(route, RoutePattern) and "<" not in str(route._route) and str(route._route):
                    urls.append(url_of(page) + str(route._route))
    failures = []
    for url in dict.fromkeys(urls):
        for name, values in CRAFTED.items():
            for value in values:
                status = answers(anonymous, "get", url, data={name: value})
                if status >= 500:
                    failures.append(f"{url}?{name}={value[:40]} → {status}")
    assert failures == []
