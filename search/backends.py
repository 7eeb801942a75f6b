"""Wagtail's database search backend, with ranked searches in one full-text query.

``modelsearch`` ranks database searches per row of the caller's queryset: on SQLite with a
correlated subquery that re-runs the FTS match for every matching row, on PostgreSQL by
concatenating each row's title and body vectors, which no index can serve. Fine for a few
hundred pages; at 10,000 a common word took about 1.5 s (SQLite) and 0.5 s (PostgreSQL).

Here the index table is asked once for the best ``RANKED_LIMIT`` entries with their scores
(FTS5's bm25 on SQLite, ts_rank over the indexed title and body vectors on PostgreSQL);
a second query keeps those that pass the caller's filters (live, locale, site, view
restrictions), ids only, and the slice asked for is loaded and ordered in Python. Other
query shapes, MySQL and Elasticsearch are used unchanged.

Settings: ``WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "search.backends"}}``.
"""

from functools import cache

from django.db import connection
from django.db.models import F, Q
from modelsearch.backends.database import SearchBackend as DatabaseSearchBackend
from modelsearch.query import Or, PlainText
from modelsearch.utils import get_descendants_content_types_pks

from . import ranking  # TITLE_WEIGHT: the title column against the body (how it was chosen: ranking.py)

RANKED_LIMIT = 600  # best full-text matches considered before the queryset's own filters


class RankedList(list):
    def count(self, *args):  # SearchResults.count() calls queryset.count()
        return len(self) if not args else super().count(*args)


def ranked_slice(queryset, ranked, start, stop, score_field, higher_is_better: bool) -> RankedList:
    """Objects of ``queryset`` among ``ranked`` (object id, score) pairs, best first, sliced."""
    to_python = queryset.model._meta.pk.to_python
    scores = {}
    for object_id, score in ranked:
        scores.setdefault(to_python(object_id), score)
    sign = -1 if higher_is_better else 1
    allowed = sorted(
        queryset.filter(pk__in=list(scores)).values_list("pk", flat=True),
        key=lambda pk: (sign * scores[pk], -pk),
    )[start:stop]
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
                .annotate(score=WeightedBM25() * (F("index_entry__title_norm") + 1.0))
                .order_by("score")
                .values_list("index_entry__object_id", "score")[:RANKED_LIMIT]
            )
            return ranked_slice(self.queryset, ranked, start, stop, score_field, higher_is_better=False)

    return RankedSQLiteSearchQueryCompiler


@cache
def ranked_postgres_compiler():
    """The PostgreSQL compiler class (its base module needs django.contrib.postgres and psycopg)."""
    from modelsearch.backends.database.postgres.postgres import IndexEntry, PostgresSearchQueryCompiler

    class RankedPostgresSearchQueryCompiler(PostgresSearchQueryCompiler):
        def search(self, config, start, stop, score_field=None, backend=None):
            if not self.order_by_relevance or self.fields or not plain_or_any(self.query):
                return super().search(config, start, stop, score_field, backend)
            search_query = self.build_tsquery(self.query, config=config)
            title = self.build_tsrank(F("title"), self.query, config=config)
            body = self.build_tsrank(F("body"), self.query, config=config)
            ranked = (
                IndexEntry.objects.filter(content_type__in=get_descendants_content_types_pks(self.queryset.model))
                .filter(Q(title=search_query) | Q(body=search_query))  # each vector has its own GIN index
                .annotate(score=title * F("title_norm") * ranking.TITLE_WEIGHT + body)
                .order_by("-score")
                .values_list("object_id", "score")[:RANKED_LIMIT]
            )
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
