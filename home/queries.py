"""Queries behind the home, column and site-map pages.

Every function issues a fixed number of queries, whatever the number of articles:
listings are sliced in the database and labels are computed in memory.
"""

from __future__ import annotations

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from wagtail.models import Page

from portal import languages
from portal.navigation import public_only
from portal.pages import page_types
from portal.sitedata import current_request, remember_for

from .models import ArticlePage, ColumnPage, PolicyDocumentPage, PolicyInterpretationPage

# What a listing shows of an article (title, link, date, summary) and what Wagtail needs to
# build its URL: loading only these makes a listing query about a third cheaper to build and
# read than loading whole pages (their bodies, SEO fields and revision bookkeeping).
LISTING_FIELDS = (
    "title", "slug", "url_path", "path", "depth", "live", "locale_id", "translation_key",
    "content_type_id", "date", "summary",
)  # fmt: skip


def articles_below(column, request):
    """Live, public articles anywhere below ``column``, newest first (one query when sliced)."""
    articles = ArticlePage.objects.live().descendant_of(column).order_by("-date", "-pk").only(*LISTING_FIELDS)
    return public_only(articles, request)


def _article_type_ids() -> list[int]:
    """Content type ids of ArticlePage and its subclasses (policies, interpretations...);
    Django caches content types per process, so no query after the first call."""
    models = [model for model in apps.get_models() if issubclass(model, ArticlePage)]
    return sorted(content_type.pk for content_type in ContentType.objects.get_for_models(*models).values())


def count_articles_below(column, request) -> int:
    """How many rows ``articles_below`` has, counted on the page table alone (a page's
    content type says whether it is an article): PostgreSQL then reads one index range
    instead of joining every article row, about four times cheaper on a column of 2,000."""
    pages = Page.objects.live().descendant_of(column).filter(content_type_id__in=_article_type_ids())
    # Kept with the site data: a publish anywhere on the site starts a new snapshot.
    return remember_for(request, "article_count", column.pk, lambda: public_only(pages, request).count())


def latest_articles(column, count: int, request) -> list:
    return list(articles_below(column, request)[:count])


def child_sections(column, request) -> list:
    """Live child pages that declare ``is_section`` (sub-columns, guide indexes, form
    libraries, FAQ indexes, filing calendars, hall directories …): the column's section
    navigation. Kept with the site data (one query per column after a save)."""

    def load():
        sections = Page.objects.child_of(column).live().type(*page_types("is_section"))
        return list(public_only(sections.order_by("path"), request))

    return remember_for(request, "child_sections", column.pk, load)


def interpretations_of(policy, request) -> list:
    """Live interpretations of ``policy``, newest first (one query)."""
    interpretations = PolicyInterpretationPage.objects.live().filter(
        policy_links__policy__translation_key=policy.translation_key, locale_id=policy.locale_id
    )
    return list(public_only(interpretations, request).order_by("-date").distinct())


def policies_explained_by(interpretation, request) -> list:
    """Live policies an interpretation explains, in the editor's order (one query)."""
    policies = PolicyDocumentPage.objects.live().filter(interpretation_links__page=interpretation)
    return languages.localize_pages(list(public_only(policies, request).order_by("interpretation_links__sort_order")))


def parent_column(page):
    """The column directly above ``page``, in one query (None at the top of a tree), kept on
    the page (its metadata and the panels of its column share the query) and, on a page
    served with the site data, with that snapshot: the articles of a column share it."""
    if page.depth <= 1:
        return None
    if "_parent_column" not in page.__dict__:
        path = page.path[: -page.steplen]
        page._parent_column = remember_for(
            current_request(), "parent_column", path, lambda: ColumnPage.objects.filter(path=path).first()
        )
    return page._parent_column


def label_with_sub_column(articles, column, sub_columns) -> list:
    """Attach ``sub_column`` (the child column an article sits in) without extra queries."""
    result = []
    for article in articles:
        article.sub_column = next((sub for sub in sub_columns if article.path.startswith(sub.path)), None)
        result.append(article)
    return result


def site_tree(root: Page, request, exclude=(), max_depth: int = 3) -> list[dict]:
    """Nested ``[{"page": p, "children": [...]}]`` of live pages under ``root``, in tree
    order, without the excluded page types; one query."""
    if root is None:
        return []
    pages = public_only(
        Page.objects.live()
        .descendant_of(root)
        .filter(depth__lte=root.depth + max_depth)
        .not_type(*exclude)
        .order_by("path"),
        request,
    )
    nodes: dict[str, dict] = {}
    tree: list[dict] = []
    for page in pages:
        node = {"page": page, "children": []}
        nodes[page.path] = node
        parent = nodes.get(page.path[: -page.steplen])
        (parent["children"] if parent else tree).append(node)
    return tree
