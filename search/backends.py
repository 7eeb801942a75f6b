"""Wagtail's database search backend, with ranked searches in one full-text query.

``modelsearch`` ranks database searches per row of the caller's queryset: on SQLite with a
correlated subquery that re-runs the FTS match for every matching row, on PostgreSQL by
concatenating each row's title and body vectors, which no index can serve. Fine for a few
hundred pages; at 10,000 a common word took about 1.5 s (SQLite) and 0.5 s (PostgreSQL).

Here the index table is asked once for the best entries with their scores (FTS5's bm25 on
SQLite, ts_rank over the indexed title and body vectors on PostgreSQL), among the entries of
the objects the caller's queryset holds (live, locale, site, view restrictions: a subquery in
the same SQL, so a site's search ranks that site's matches, not its share of the cluster's
best); the slice asked for is loaded and ordered in Python. On PostgreSQL the rows ranked
are read from ``search_rankentry``, a narrow copy of the index kept by triggers
(``search.models.RankEntry``); the entries whose title matches are ranked first, and when
the last of the best of them still outscores any body alone (``body_rank_bound``) the other
matches are never read (a common word at 200,000 pages: README, "A whole province"). Other
query shapes, MySQL and Elasticsearch are used unchanged.

Settings: ``WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "search.backends"}}``.
"""

import math
from functools import cache

from django.db import connection
from django.db.models import Exists, F, IntegerField, OuterRef, TextField
from django.db.models.functions import Cast
from modelsearch.backends.database import SearchBackend as DatabaseSearchBackend
from modelsearch.query import Or, PlainText
from modelsearch.utils import get_descendants_content_types_pks

from . import ranking  # TITLE_WEIGHT: the title column against the body (how it was chosen: ranking.py)

RANKED_LIMIT = 600  # best full-text matches fetched at least (the slice asked for, if longer)


def body_rank_bound() -> float:
    """The most PostgreSQL's ``ts_rank`` gives any vector, with the weights in use: what a
    body can add to a score.

    For one term (tsrank.c, ``calc_rank_or``) it is ``(w_m + Σ w_j / (j+1)² − w_m / (m+1)²)
    / ζ(2)`` over the term's occurrences j, where m is the first of the heaviest, w_m; the
    occurrences before m weigh less than w_m, those after at most w_m. Several terms are
    averaged, and all of several words (``calc_rank_and``) score at most 1. With modelsearch's
    weights (0.15, 0.2, 0.3, 1: the heaviest scaled to 1) that is 1.0304 (a lighter occurrence,
    then the heaviest ones), where ``(1 + ζ(2)) / ζ(2) = 1.61`` bounds any weights."""
    from modelsearch.backends.database.postgres.weights import WEIGHTS_VALUES  # set by the backend

    return _rank_bound(tuple(WEIGHTS_VALUES))


@cache
def _rank_bound(weights: tuple[float, ...]) -> float:
    zeta = math.pi**2 / 6
    if not weights:
        return (1 + zeta) / zeta + 1e-4
    top = max(weights)
    below = max((weight for weight in weights if weight < top), default=0.0)
    best, before = 0.0, 0.0  # before: Σ 1/(j+1)² over the occurrences before the m-th
    for m in range(256):  # a tsvector keeps at most 256 positions of a word
        step = 1 / (m + 1) ** 2
        best = max(best, top + below * before + top * (zeta - before - step))
        before += step
    return max(1.0, best / zeta) + 1e-4  # ts_rank computes in float4


def allowed_keys(queryset):
    """The queryset's primary keys as the index table stores them (text), for a subquery."""
    return queryset.order_by().annotate(_index_key=Cast("pk", TextField())).values("_index_key")


def in_queryset(queryset):
    """EXISTS: a rank entry's object (``search.models.RankEntry``) is one of ``queryset``'s,
    found by its primary key; and the key to order ties by.

    This lets PostgreSQL pick the side to start from: for the whole cluster it ranks the
    matches first and looks up the best of them one by one (a few hundred primary-key
    lookups), where ``allowed_keys`` made it hash every allowed key as text first (300 ms of
    a cluster-wide search at 200,000 pages); for a county's few thousand pages it looks up
    their entries by ``object_key``. An integer key is compared with ``object_key``, any
    other key as text."""
    field = queryset.model._meta.pk
    while field.is_relation:  # a specific page's key is its link to the page
        field = field.target_field
    if isinstance(field, IntegerField):
        return Exists(queryset.order_by().filter(pk=OuterRef("object_key"))), F("object_key")
    return Exists(allowed_keys(queryset).filter(_index_key=OuterRef("object_id"))), F("object_id")


class RankedList(list):
    def count(self, *args):  # SearchResults.count() calls queryset.count()
        return len(self) if not args else super().count(*args)


def ranked_slice(queryset, ranked, start, stop, score_field, higher_is_better: bool) -> RankedList:
    """Objects of ``queryset`` among ``ranked`` (object id, score) pairs of its own objects
    (``allowed_keys``, ``in_queryset``), best first, sliced."""
    to_python = queryset.model._meta.pk.to_python
    scores = {}
    for object_id, score in ranked:
        scores.setdefault(to_python(object_id), score)
    sign = -1 if higher_is_better else 1
    allowed = sorted(scores, key=lambda pk: (sign * scores[pk], -pk))[start:stop]
    objects = queryset.in_bulk(allowed)
    found = [objects[pk] for pk in allowed if pk in objects]
    if score_field:
        for obj in found:
            setattr(obj, score_field, scores[obj.pk])
    return RankedList(found)


def plain_or_any(query) -> bool:
    """The shapes the portal builds: plain text, or any of several plain texts."""
    return isinstance(query, PlainText) or (
        isinstance(query, Or) and all(isinstance(part, PlainText) for part in query.subqueries)
    )


@cache
def ranked_sqlite_compiler():
    """The SQLite compiler class; its base module can only be imported on SQLite."""
    from django.db.models import FloatField, Func
    from modelsearch.backends.database.sqlite.query import MatchExpression, normalize
    from modelsearch.backends.database.sqlite.sqlite import SQLiteFTSIndexEntry, SQLiteSearchQueryCompiler

    class WeightedBM25(Func):
        """FTS5's bm25() with a weight per column (autocomplete, body, title: the table's order)."""

        output_field = FloatField()

        def as_sql(self, compiler, connection, **extra):
            return f"bm25({SQLiteFTSIndexEntry._meta.db_table}, 0.0, 1.0, %s)", [ranking.TITLE_WEIGHT]

    class RankedSQLiteSearchQueryCompiler(SQLiteSearchQueryCompiler):
        def search(self, config, start, stop, score_field=None):
            if not self.order_by_relevance or not plain_or_any(self.query):
                return super().search(config, start, stop, score_field)
            query = normalize(self.query)
            match = MatchExpression(self.fields or self.FTS_TABLE_FIELDS, self.build_search_query(query, config=config))
            # modelsearch ranks title_norm × bm25 + bm25, calling bm25() once per word and field
            # although FTS5's bm25() scores the whole match each time: one call, with the
            # title column weighted TITLE_WEIGHT times the body.
            ranked = (
                SQLiteFTSIndexEntry.objects.filter(match)
                .filter(index_entry__content_type__in=get_descendants_content_types_pks(self.queryset.model))
                .filter(index_entry__object_id__in=allowed_keys(self.queryset))
                .annotate(score=WeightedBM25() * (F("index_entry__title_norm") + 1.0))
                .order_by("score")
                .values_list("index_entry__object_id", "score")[: max(RANKED_LIMIT, stop or 0)]
            )
            return ranked_slice(self.queryset, ranked, start, stop, score_field, higher_is_better=False)

    return RankedSQLiteSearchQueryCompiler


@cache
def ranked_postgres_compiler():
    """The PostgreSQL compiler class (its base module needs django.contrib.postgres and psycopg)."""
    from modelsearch.backends.database.postgres.postgres import PostgresSearchQueryCompiler

    from .models import RankEntry

    class RankedPostgresSearchQueryCompiler(PostgresSearchQueryCompiler):
        def search(self, config, start, stop, score_field=None, backend=None):
            if not self.order_by_relevance or self.fields or not plain_or_any(self.query):
                return super().search(config, start, stop, score_field, backend)
            search_query = self.build_tsquery(self.query, config=config)
            title = self.build_tsrank(F("title"), self.query, config=config)
            body = self.build_tsrank(F("body"), self.query, config=config)
            allowed, key = in_queryset(self.queryset)
            entries = (
                RankEntry.objects.filter(content_type_id__in=get_descendants_content_types_pks(self.queryset.model))
                .annotate(_object_key=key)
                .filter(allowed)
                .annotate(score=title * F("title_norm") * ranking.TITLE_WEIGHT + body)
                .order_by("-score", "-_object_key")  # ties: the newest first, as ranked_slice orders them
                .values_list("object_id", "score")
            )
            limit = max(RANKED_LIMIT, stop or 0)
            # Entries whose title matches first (each vector has its own GIN index): when the
            # last of the best ``limit`` of them still scores above what any body alone can
            # (body_rank_bound), no other match can be among the best, and the wide rows of
            # the other matches are never read. A common word (发票: 28,354 titles of 200,000
            # pages) is then ranked from its titled pages only, with the same result.
            ranked = list(entries.filter(title=search_query)[:limit])
            if len(ranked) < limit or ranked[-1][1] <= body_rank_bound():
                # Else the best of the rest (the body matches, their title not) join them:
                # a title match below the best ``limit`` of them cannot be among the best.
                ranked += entries.filter(body=search_query).exclude(title=search_query)[:limit]
            return ranked_slice(self.queryset, ranked, start, stop, score_field, higher_is_better=True)

    return RankedPostgresSearchQueryCompiler


def SearchBackend(params):  # noqa: N802 (Wagtail looks up this name)
    backend = DatabaseSearchBackend(params)
    name = backend.__class__.__name__
    if connection.vendor == "sqlite" and name == "SQLiteSearchBackend":
        backend.query_compiler_class = ranked_sqlite_compiler()
    elif connection.vendor == "postgresql" and name == "PostgresSearchBackend":
        backend.query_compiler_class = ranked_postgres_compiler()
    return backend
