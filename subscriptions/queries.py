"""Reads: which columns offer subscriptions, what their feeds list, what an alert lists.

A column of type news, notice, policy or interpretation that is live and not restricted
offers its RSS feed and e-mail alerts, on its own site and in its own language. What they
list comes from ``home.queries.articles_below`` (live, public articles anywhere below the
column, newest first), so a feed shows what the column page shows.
"""

from __future__ import annotations

from django.db.models import F
from django.utils.translation import get_language

from home.models import ArticlePage, ColumnPage
from home.queries import LISTING_FIELDS, articles_below
from portal.navigation import current_site, restricted_paths

SUBSCRIBABLE_TYPES = (
    ColumnPage.ColumnType.NEWS,
    ColumnPage.ColumnType.NOTICE,
    ColumnPage.ColumnType.POLICY,
    ColumnPage.ColumnType.INTERPRETATION,
)
FEED_SIZE = 20  # articles in a feed
ALERT_SIZE = 20  # articles per column in one alert mail; the rest are counted and linked


def is_restricted(page, paths) -> bool:
    return any(page.path.startswith(path) for path in paths)


def offers_subscription(column, request) -> bool:
    """Whether ``column`` has a feed and e-mail alerts (no query: the restricted paths are
    in the request's memo once the page has listed anything)."""
    return (
        column.column_type in SUBSCRIBABLE_TYPES
        and column.live
        and not is_restricted(column, restricted_paths(request))
    )


def subscribable_column(request, pk: int) -> ColumnPage | None:
    """The live, public column ``pk`` of a subscribable type, in the request's language, or
    None (one query)."""
    column = ColumnPage.objects.live().filter(pk=pk).select_related("locale").first()
    if column is None or not offers_subscription(column, request):
        return None
    if column.locale.language_code != get_language():
        return None
    return column


def column_on_site(request, pk: int) -> ColumnPage | None:
    """Like :func:`subscribable_column`, and only on the column's own site: a feed or form
    answers on the site whose pages it lists (and whose publishing purges it from the cache)."""
    column = subscribable_column(request, pk)
    site = current_site(request)
    if column is None or site is None:
        return None
    parts = column.get_url_parts(request)  # from Wagtail's cached site root paths: no query
    return column if parts is not None and parts[0] == site.pk else None


def with_document_numbers(articles):
    """Articles with ``document_number`` (a policy's 文号, else None) read in the same query."""
    return articles.annotate(document_number=F("policydocumentpage__document_number"))


def feed_articles(column, request) -> list:
    """The column's newest ``FEED_SIZE`` live public articles, policies with their 文号 (one query)."""
    return list(with_document_numbers(articles_below(column, request))[:FEED_SIZE])


# ---- e-mail alerts (no request: run from cron) ----------------------------------------------
def restricted_now() -> list[str]:
    """Paths of restricted pages, read once per run of the alerts (one query)."""
    return restricted_paths(None)


def alert_columns(column_ids, paths) -> dict[int, ColumnPage]:
    """The columns among ``column_ids`` that still offer alerts (live, subscribable type, not
    below a restricted path), by id (one query)."""
    columns = ColumnPage.objects.live().filter(pk__in=column_ids, column_type__in=SUBSCRIBABLE_TYPES)
    return {column.pk: column for column in columns.select_related("locale") if not is_restricted(column, paths)}


def new_articles(column, since, until, paths) -> list:
    """Live public articles below ``column`` first published after ``since`` and up to
    ``until``, newest first, with ``first_published_at`` and policies' 文号 (one query)."""
    articles = (
        ArticlePage.objects.live()
        .descendant_of(column)
        .filter(first_published_at__gt=since, first_published_at__lte=until)
        .order_by("-date", "-pk")
        .only(*LISTING_FIELDS, "first_published_at")
    )
    for path in paths:
        articles = articles.exclude(path__startswith=path)
    return list(with_document_numbers(articles))
