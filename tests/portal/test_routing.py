"""Routing in two queries (portal/routing.py) answers exactly what Wagtail's level-by-level
walk answers: the same page, view and arguments, or the same 404, for every page of the
demo cluster in both languages, for the routable pages' own URLs and for paths that lead
nowhere."""

import pytest
from django.db import connection
from django.http import Http404
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page, Site

from correspondence.models import Letter
from guides.models import ServiceGuidePage
from home.models import ArticlePage, ColumnPage, HomePage

pytestmark = pytest.mark.django_db


def _outcome(route, root, request, components):
    try:
        result = route(root, request, components)
    except Http404:
        return "404"
    view = result.args[0] if result.args else None
    return (
        result.page.pk,
        type(result.page).__name__,
        getattr(view, "__name__", view),
        repr(result.args[1:]),
        result.kwargs,
    )


def _both_ways(root, path):
    request = RequestFactory().get(path)
    components = [part for part in path.split("/") if part]
    ours = _outcome(HomePage.route, root, request, components)
    wagtails = _outcome(Page.route, root, request, components)  # Wagtail's own walk
    return ours, wagtails


def _roots():
    for site in Site.objects.all():
        yield from HomePage.objects.filter(translation_key=site.root_page.specific.translation_key)


def test_every_page_of_the_cluster_routes_as_wagtail_routes_it():
    checked = 0
    for root in _roots():
        for page in Page.objects.descendant_of(root).specific():
            path = page.url_path[len(root.url_path) - 1 :]
            ours, wagtails = _both_ways(root, path)
            assert ours == wagtails, path
            if page.live:
                assert ours != "404" and ours[0] == page.pk, path
            checked += 1
    assert checked > 200


def test_routable_pages_keep_their_own_urls():
    root = Site.objects.get(is_default_site=True).root_page.specific
    guide = ServiceGuidePage.objects.live().descendant_of(root).first()
    letter = Letter.objects.filter(is_published=True).select_related("mailbox").first()
    mailbox_path = letter.mailbox.url_path[len(root.url_path) - 1 :]
    guide_path = guide.url_path[len(root.url_path) - 1 :]
    for path in (
        f"{guide_path}checklist/",
        f"{mailbox_path}letters/",
        f"{mailbox_path}letters/{letter.pk}/",
        f"{mailbox_path}statistics/",
        f"{mailbox_path}no-such-view/",
        f"{guide_path}no-such-view/",
    ):
        ours, wagtails = _both_ways(root, path)
        assert ours == wagtails, path
    assert _both_ways(root, f"{guide_path}checklist/")[0][2] == "checklist"


def test_paths_that_lead_nowhere_are_404_like_wagtails():
    root = Site.objects.get(is_default_site=True).root_page.specific
    column = ColumnPage.objects.child_of(root).live().first()
    article = ArticlePage.objects.live().descendant_of(column).first()
    article_path = article.url_path[len(root.url_path) - 1 :]
    for path in ("/no-such-page/", f"/{column.slug}/no-such-page/", f"/{article.slug}/", f"{article_path}extra/"):
        assert _both_ways(root, path) == ("404", "404"), path


def test_unpublished_pages_and_pages_below_them_route_as_wagtail_routes_them(site_client):
    root = Site.objects.get(is_default_site=True).root_page.specific
    column = ColumnPage.objects.child_of(root).live().filter(numchild__gt=0).first()
    child = column.get_children().live().first()
    column.unpublish()
    column_path = column.url_path[len(root.url_path) - 1 :]
    child_path = child.url_path[len(root.url_path) - 1 :]
    assert _both_ways(root, column_path) == ("404", "404")
    ours, wagtails = _both_ways(root, child_path)  # Wagtail serves a live page below a draft one
    assert ours == wagtails and ours[0] == child.pk
    client = site_client("main")
    assert client.get(column_path).status_code == 404
    assert client.get(child_path).status_code == 200


def test_a_page_three_levels_down_is_found_in_two_queries():
    root = Site.objects.get(is_default_site=True).root_page.specific
    article = ArticlePage.objects.live().descendant_of(root).filter(depth=root.depth + 3).first()
    components = [part for part in article.url_path[len(root.url_path) :].split("/") if part]
    request = RequestFactory().get("/")
    with CaptureQueriesContext(connection) as ours:
        assert HomePage.route(root, request, components).page.pk == article.pk
    with CaptureQueriesContext(connection) as wagtails:
        assert Page.route(root, request, components).page.pk == article.pk
    assert len(ours) == 2
    assert len(wagtails) == 6
