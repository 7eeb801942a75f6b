"""Wagtail's database search backend, with ranked SQLite searches in one full-text query.

``modelsearch``'s SQLite compiler ranks results with a correlated subquery that re-runs the
FTS match for every matching row: fine for a few hundred pages, about 1.5 s for a common
word at 10,000. :class:`RankedSQLiteSearchQueryCompiler` asks the FTS table once for the
best ``RANKED_LIMIT`` entries with their bm25 scores, then loads the matching objects of the
caller's queryset (live, locale, site, view restrictions) in a second query and orders
them in Python. PostgreSQL, MySQL and Elasticsearch are used unchanged.

Settings: ``WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "search.backends"}}``.
"""

from functools import cache

from django.db import connection
from modelsearch.backends.database import SearchBackend as DatabaseSearchBackend


class RankedList(list):
    def count(self, *args):  # SearchResults.count() calls queryset.count()
        return len(self) if not args else super().count(*args)


@cache
def ranked_sqlite_compiler():
    """The compiler class; its base module can only be imported on SQLite."""
    from modelsearch.backends.database.sqlite.query import MatchExpression, normalize
    from modelsearch.backends.database.sqlite.sqlite import SQLiteFTSIndexEntry, SQLiteSearchQueryCompiler
    from modelsearch.query import MatchAll, Not
    from modelsearch.utils import get_descendants_content_types_pks

    class RankedSQLiteSearchQueryCompiler(SQLiteSearchQueryCompiler):
        RANKED_LIMIT = 2000  # best full-text matches considered before the queryset's own filters

        def search(self, config, start, stop, score_field=None):
            query = normalize(self.query)
            if not self.order_by_relevance or isinstance(query, (MatchAll, Not)):
                return super().search(config, start, stop, score_field)
            match = MatchExpression(self.fields or self.FTS_TABLE_FIELDS, self.build_search_query(query, config=config))
            ranked = (
                SQLiteFTSIndexEntry.objects.filter(match)
                .filter(index_entry__content_type__in=get_descendants_content_types_pks(self.queryset.model))
                .annotate(score=self._build_rank_expression(self.get_search_vectors(), config))
                .order_by("score")
                .values_list("index_entry__object_id", "score")[: self.RANKED_LIMIT]
            )
            to_python = self.queryset.model._meta.pk.to_python
            scores = {}
            for object_id, score in ranked:
                scores.setdefault(to_python(object_id), score)
            # Which of them pass the queryset's filters (ids only), then load just the slice asked for.
            allowed = sorted(
                self.queryset.filter(pk__in=list(scores)).values_list("pk", flat=True),
                key=lambda pk: (scores[pk], -pk),
            )[start:stop]
            objects = self.queryset.in_bulk(allowed)
            found = [objects[pk] for pk in allowed if pk in objects]
            if score_field:
                for obj in found:
                    setattr(obj, score_field, scores[obj.pk])
            return RankedList(found)

    return RankedSQLiteSearchQueryCompiler


def SearchBackend(params):  # noqa: N802 (Wagtail looks up this name)
    backend = DatabaseSearchBackend(params)
    if connection.vendor == "sqlite" and backend.__class__.__name__ == "SQLiteSearchBackend":
        backend.query_compiler_class = ranked_sqlite_compiler()
    return backend
