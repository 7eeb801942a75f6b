"""The province-sized corpus of ``bench_cluster --pages --guides --letters`` (``demo/bulk.py``),
at a small size on the demo cluster: pages inserted in bulk are pages like any other (a sound
tree, routed, listed, found by search, indexed as a publish would index them), letters are
handled in the admin of their site, and a second run adds nothing."""

import html
from urllib.parse import urlencode

import pytest
from django.contrib.auth import get_user_model
from django.db.models import Count
from django.test import Client
from wagtail.models import Page, Site
from wagtail.search import models as search_models
from wagtail.search.backends import get_search_backend

from correspondence.admin_views import letters_for_user
from correspondence.models import Letter, LetterEvent
from demo import bulk
from editorial.roles import site_group
from guides.models import ServiceGuidePage
from home import queries
from home.models import ArticlePage, PolicyDocumentPage
from search.text import segment
from tests.helpers import staff_client

pytestmark = pytest.mark.django_db

ARTICLES, GUIDES, LETTERS = 50, 10, 20


def index_rows(page) -> list[dict]:
    """The page's search index rows (and on SQLite its full-text row), without their ids. Not
    ``title_norm``: on PostgreSQL it is the average title length of the whole index when the
    row was written over this title's (``_refresh_title_norms``), so a page indexed again
    later gets another value; it is checked to be set."""
    entries = search_models.IndexEntry.objects.filter(object_id=str(page.pk))
    rows = list(entries.values("content_type", "object_id"))
    if hasattr(search_models, "SQLiteFTSIndexEntry"):
        fts = search_models.SQLiteFTSIndexEntry.objects.filter(index_entry__in=entries)
        rows += list(fts.values("title", "body", "autocomplete"))
    else:
        rows += list(entries.values("title", "body", "autocomplete", "title_text", "body_text"))
    return rows


def host_of(page) -> str:
    site = page.get_site()
    return f"{site.hostname}:{site.port}"


def get(page, path=None):
    return Client(HTTP_HOST=host_of(page)).get(path or page.relative_url(page.get_site()))


@pytest.fixture
def built():
    pages, guides, letters = Page.objects.count(), ServiceGuidePage.objects.count(), Letter.objects.count()
    last_letter = Letter.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    done = bulk.build(pages=pages + ARTICLES + GUIDES, guides=guides + GUIDES, letters=letters + LETTERS, chunk=20)
    assert done["added"] == {"articles": ARTICLES, "guides": GUIDES, "letters": LETTERS}
    done["new letters"] = Letter.objects.filter(pk__gt=last_letter)
    return done


def test_bulk_pages_are_a_sound_tree_routed_and_listed(built):
    assert Page.objects.count() == Page.objects.filter(depth__gte=1).count()
    assert not any(Page.find_problems()), "treebeard finds no bad paths, depths or numchild"
    new = Page.objects.filter(slug__startswith=bulk.ARTICLE_SLUG).specific()
    assert len(new) == ARTICLES
    assert {type(page) for page in new} == {ArticlePage, PolicyDocumentPage}
    assert len({page.get_site().pk for page in new}) == Site.objects.count()  # every site has some
    for page in new:
        parent = page.get_parent()
        assert page.url_path == f"{parent.url_path}{page.slug}/" and page.live and page.locale_id == parent.locale_id
        assert page.first_published_at and page.draft_title == page.title
    for page in [*new[:6], *ServiceGuidePage.objects.filter(slug__startswith=bulk.GUIDE_SLUG)[:4]]:
        response = get(page)
        assert response.status_code == 200, page.url_path
        assert html.escape(page.title) in response.content.decode()

    # in its column's listing (newest first) and in the explorer
    column = new[0].get_parent().specific
    newest = list(queries.articles_below(column, None)[:20])
    assert any(page.slug.startswith(bulk.ARTICLE_SLUG) for page in newest)
    listing = get(column).content.decode()
    for page in newest:
        assert html.escape(page.title) in listing
    explorer = staff_client("admin").get(f"/admin/pages/{column.pk}/?ordering=title")
    assert explorer.status_code == 200
    assert html.escape(new[0].title) in explorer.content.decode() or column.numchild > 50

    # a guide in its site's 办事指南
    guide = ServiceGuidePage.objects.filter(slug__startswith=bulk.GUIDE_SLUG).first()
    index = guide.get_parent()
    pages = [get(index, f"{index.relative_url(index.get_site())}?page={n}").content.decode() for n in range(1, 6)]
    assert any(html.escape(guide.title) in page for page in pages)


def test_bulk_pages_are_indexed_as_a_publish_indexes_them(built):
    guide = ServiceGuidePage.objects.filter(slug__startswith=bulk.GUIDE_SLUG).select_related("theme").first()
    found = get(guide, f"/search/?q={guide.item_code}")
    assert guide.relative_url(guide.get_site()) in found.content.decode()

    article = Page.objects.filter(slug__startswith=bulk.ARTICLE_SLUG).order_by("pk").first().specific
    found = get(article, "/search/?" + urlencode({"q": article.title}))
    assert article.relative_url(article.get_site()) in found.content.decode()

    # the same index rows as Wagtail writes on publish (sentence-by-sentence segmentation included)
    for page in (article, guide):
        bulk_rows = index_rows(page)
        assert len(bulk_rows) == 2
        norms = search_models.IndexEntry.objects.filter(object_id=str(page.pk)).values_list("title_norm", flat=True)
        assert all(norm > 0 for norm in norms)
        get_search_backend().add(page)
        assert index_rows(page) == bulk_rows
    with bulk.fast_indexing() as fast:
        for page in ArticlePage.objects.filter(slug__startswith=bulk.ARTICLE_SLUG):
            text = " ".join(block.value.source for block in page.body) + page.summary + page.title
            assert fast.segment(text) == segment(text)


def test_bulk_letters_are_handled_in_their_sites_admin(built):
    new = list(built["new letters"].select_related("mailbox"))
    assert len(new) == LETTERS
    assert {letter.mailbox.get_site().pk for letter in new} == {letter.site_id for letter in new}
    assert Letter.Status.REPLIED in {letter.status for letter in new}
    events = LetterEvent.objects.filter(letter__in=new).values("letter").annotate(n=Count("pk"))
    assert len(events) == LETTERS  # every letter has its timeline
    admin = get_user_model().objects.get(username="admin")
    assert set(letters_for_user(admin).filter(pk__in=[letter.pk for letter in new])) == set(new)
    county = new[0].site  # a site's own staff see its letters, and no other site's
    editor = get_user_model().objects.create(username="bulk_letters_editor")
    editor.groups.add(site_group(county, "admin"))
    theirs = {letter for letter in new if letter.site_id == county.pk}
    assert set(letters_for_user(editor).filter(pk__in=[letter.pk for letter in new])) == theirs
    response = staff_client("admin").get("/admin/letters/")
    assert response.status_code == 200


def test_a_second_run_adds_nothing(built):
    counts = (Page.objects.count(), ServiceGuidePage.objects.count(), Letter.objects.count())
    again = bulk.build(pages=counts[0], guides=counts[1], letters=counts[2])
    assert again["added"] == {"articles": 0, "guides": 0, "letters": 0}
    assert (Page.objects.count(), ServiceGuidePage.objects.count(), Letter.objects.count()) == counts
