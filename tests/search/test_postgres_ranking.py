"""PostgreSQL's ranked search reads only the entries whose title matches when they alone
decide the best (``search/backends.py``, ``body_rank_bound``): the same results as reading
every match, and no body can outscore the bound. It reads them from ``search_rankentry``,
which triggers keep equal to Wagtail's index whatever writes it (``search.models.RankEntry``)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page
from wagtail.search.backends import get_search_backend
from wagtail.search.models import IndexEntry

from search import backends
from search.engine import build_query
from search.models import RankEntry

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's ts_rank only"),
]


BODY_RANK_BOUND = backends.body_rank_bound  # what the search uses, before a test replaces it


def rank(vector_sql: str, query_sql: str, *params) -> float:
    from modelsearch.backends.database.postgres.weights import get_sql_weights

    get_search_backend()  # sets the weights
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT ts_rank(%s::float4[], {vector_sql}, {query_sql})", [get_sql_weights(), *params])
        return cursor.fetchone()[0]


def test_no_body_outscores_the_bound_however_its_words_are_weighted_and_repeated():
    get_search_backend()
    bound = backends.body_rank_bound()
    assert bound == pytest.approx(1.0305, abs=1e-3)  # modelsearch's weights: 0.15, 0.2, 0.3, 1
    heaviest = "setweight(to_tsvector('simple', %s), 'A')"
    lighter_first = "setweight(to_tsvector('simple', %s), 'B') || " + heaviest  # the worst order
    many = "发票 " * 300 + "增值税 " * 300
    one_word = "plainto_tsquery('simple', %s)"
    assert rank(heaviest, one_word, many, "发票") <= bound
    assert rank(heaviest, "to_tsquery('simple', '发票 | 增值税')", many) <= bound
    assert rank(heaviest, "plainto_tsquery('simple', %s)", many, "增值税 发票") <= bound
    assert bound - 0.005 < rank(lighter_first, one_word, "发票", "发票 " * 300, "发票") <= bound  # as tight as can be


def ranked(query, monkeypatch, limit, bound=None):
    monkeypatch.setattr(backends, "RANKED_LIMIT", limit)
    monkeypatch.setattr(backends, "body_rank_bound", BODY_RANK_BOUND if bound is None else lambda: bound)
    with CaptureQueriesContext(connection) as queries:
        found = [(page.pk, page._score) for page in Page.objects.live().search(query).annotate_score("_score")[:4]]
    return found, len([q for q in queries.captured_queries if "search_rankentry" in q["sql"]])


@pytest.mark.parametrize("words, reads", [(["发票"], 1), (["申报"], 1), (["退税"], 2), (["纳税", "申报"], 2)])
def test_the_best_few_title_and_body_matches_rank_as_every_match_does(words, reads, monkeypatch):
    query = build_query(words, {})
    every, _ = ranked(query, monkeypatch, 100_000, float("inf"))  # all title and all body matches
    assert len(every) == 4
    # the best 4 title matches: when the 4th outscores any body (发票, 申报 in the demo), the
    # bodies are never read; else the best 4 body matches whose title does not match join them
    assert ranked(query, monkeypatch, 2) == (every, reads)
    assert ranked(query, monkeypatch, 2, float("inf")) == (every, 2)


def rows(model) -> dict:
    """What ranking reads of every entry of ``model`` (the index or its copy), by entry id."""
    return {
        entry.pk: (entry.content_type_id, entry.object_id, entry.title_norm, str(entry.title), str(entry.body))
        for entry in model.objects.all()
    }


def test_the_rank_table_follows_every_write_to_the_index():
    page = Page.objects.live().filter(depth__gt=2).exclude(title="").first().specific
    assert rows(RankEntry) == rows(IndexEntry) and len(rows(IndexEntry)) > 10  # filled from the index by the migration
    entry = IndexEntry.objects.get(object_id=str(page.pk), content_type_id=page.content_type_id)
    assert RankEntry.objects.get(pk=entry.pk).object_key == page.pk  # the key as an integer too

    page.title = "跨区域涉税事项报验登记变更"  # modelsearch's upsert: INSERT … ON CONFLICT DO UPDATE
    page.save_revision().publish()
    assert "报验" in str(RankEntry.objects.get(pk=entry.pk).title)
    IndexEntry.objects.filter(pk=entry.pk).update(title_norm=0.5)  # the title norms refreshed
    assert RankEntry.objects.get(pk=entry.pk).title_norm == 0.5

    page.delete()
    assert not RankEntry.objects.filter(pk=entry.pk).exists()
    assert rows(RankEntry) == rows(IndexEntry)
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no deferred checks pending before a TRUNCATE
        cursor.execute(f"TRUNCATE {IndexEntry._meta.db_table}")
    assert not RankEntry.objects.exists()


def test_a_search_ranks_from_the_rank_table():
    query = build_query(["发票"], {})
    assert Page.objects.live().search(query).annotate_score("_score")[:4]
    RankEntry.objects.all().delete()  # the index entries stay: only the copy is gone
    assert IndexEntry.objects.exists()
    assert not Page.objects.live().search(query).annotate_score("_score")[:4]
