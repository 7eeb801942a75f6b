"""Editor-managed synonyms, the curated popular searches and the daily search log (top
queries, queries that found nothing)."""

from django.contrib.postgres.search import SearchVectorField
from django.core.cache import cache
from django.db import models
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.models import TranslatableMixin

from .personal import redact
from .text import normalise

SYNONYMS_CACHE_KEY = "search:synonyms:v1"
MAX_LOGGED_QUERY_LENGTH = 100


class SynonymGroup(models.Model):
    """Words that mean the same to a citizen (个税, 个人所得税): a query with one of them
    also finds pages that use another. Applied when searching; no reindex needed."""

    terms = models.CharField(
        _("同义词"),
        max_length=300,
        unique=True,
        help_text=_("用逗号分隔，规范用语放在第一个，例如：个人所得税，个税"),
    )

    class Meta:
        verbose_name = _("同义词组")
        verbose_name_plural = _("同义词组")
        ordering = ["terms"]

    def __str__(self):
        return self.terms

    def save(self, *args, **kwargs):
        self.terms = ", ".join(self.term_list)
        super().save(*args, **kwargs)
        cache.delete(SYNONYMS_CACHE_KEY)

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        cache.delete(SYNONYMS_CACHE_KEY)
        return result

    @property
    def term_list(self) -> list[str]:
        return split_terms(self.terms)


def split_terms(text: str) -> list[str]:
    terms = []
    for part in text.replace("，", ",").replace("、", ",").split(","):
        term = normalise(part)
        if term and term not in terms:
            terms.append(term)
    return terms


def synonym_map() -> dict[str, list[str]]:
    """Each term → the other terms of its groups (cached until a group changes)."""
    mapping = cache.get(SYNONYMS_CACHE_KEY)
    if mapping is None:
        mapping = {}
        for terms in SynonymGroup.objects.values_list("terms", flat=True):
            group = split_terms(terms)
            for term in group:
                others = mapping.setdefault(term, [])
                others.extend(t for t in group if t != term and t not in others)
        cache.set(SYNONYMS_CACHE_KEY, mapping, 3600)
    return mapping


class PopularSearch(TranslatableMixin, models.Model):
    """A query editors list under 热门搜索 on the page of a search that found nothing (per
    language, in their order); the automatic ones follow (``search/popular.py``)."""

    query = models.CharField(_("搜索词"), max_length=MAX_LOGGED_QUERY_LENGTH)
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0, help_text=_("数字小的排在前面"))

    shown_on_pages = False  # only on search results, never cached: saving one purges nothing

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("热门搜索词")
        verbose_name_plural = _("热门搜索词")
        ordering = ["sort_order", "query"]

    def __str__(self):
        return self.query

    def save(self, *args, **kwargs):
        self.query = " ".join(self.query.split())
        super().save(*args, **kwargs)


class SearchTermDay(models.Model):
    """How often a query was searched on a day, how often it found nothing, and by how many
    distinct visitors: counts only. The query is stored with its personal data masked
    (``personal.redact``); visitors are told apart for a day by a salted hash held in the
    cache only (``search/popular.py``), never stored here."""

    query = models.CharField(_("搜索词"), max_length=MAX_LOGGED_QUERY_LENGTH)
    date = models.DateField(_("日期"))
    searches = models.PositiveIntegerField(_("搜索次数"), default=0)
    empty = models.PositiveIntegerField(_("无结果次数"), default=0)
    visitors = models.PositiveIntegerField(_("访客数"), default=0)

    class Meta:
        verbose_name = _("搜索记录")
        verbose_name_plural = _("搜索记录")
        constraints = [models.UniqueConstraint(fields=["query", "date"], name="search_term_day_unique")]

    def __str__(self):
        return f"{self.query} ({self.date})"

    @classmethod
    def record(cls, query: str, found: int, new_visitor: bool = False) -> None:
        """Count one search (and a visitor not yet counted today for this query), with the
        query's personal data masked; safe under concurrent requests (the increments are
        done by the database)."""
        cls.record_logged(logged_form(query), found, new_visitor)

    @classmethod
    def record_logged(cls, query: str, found: int, new_visitor: bool = False) -> None:
        """``record`` for a query already in its logged form (``logged_form``)."""
        if not query:
            return
        today = timezone.localdate()
        row, _created = cls.objects.get_or_create(query=query, date=today)
        cls.objects.filter(pk=row.pk).update(
            searches=F("searches") + 1,
            empty=F("empty") + (0 if found else 1),
            visitors=F("visitors") + (1 if new_visitor else 0),
        )


def logged_form(query: str) -> str:
    """The query as the log keeps it: normalised, personal data masked, at most 100 characters."""
    return redact(" ".join(normalise(query).split()))[:MAX_LOGGED_QUERY_LENGTH]


class RankEntry(models.Model):
    """On PostgreSQL, a narrow copy of Wagtail's search index entries: what ranking reads
    (the object's keys, the title norm, the title and body vectors), kept by triggers on
    ``wagtailsearch_indexentry`` (migration 0005) whatever writes the index.

    The index table's rows also hold the texts and the autocomplete vector, about 5 KB a row
    with their TOAST; ranking the 28,354 titles that contain 发票 at 200,000 pages read
    151,000 buffers. Here a row is about 2 KB, kept in the row (``STORAGE MAIN``), and the
    object's integer key is a column with an index, so a site's few pages can be looked up
    first (``search/backends.py``). Not on SQLite, where FTS5 ranks (no table there)."""

    id = models.IntegerField(primary_key=True)  # the index entry's id
    content_type_id = models.IntegerField()
    object_id = models.CharField(max_length=50)
    object_key = models.BigIntegerField(null=True)  # object_id as an integer when it is one
    title_norm = models.FloatField()
    title = SearchVectorField()
    body = SearchVectorField()

    class Meta:
        managed = False
        db_table = "search_rankentry"

    def __str__(self):
        return f"{self.content_type_id}:{self.object_id}"
