"""Searching the cluster: query building, scope, type counts, best bets and snippets.

The view asks :func:`run` for one results page. A query is segmented into words, stop
words dropped, and each word widened by its synonyms; pages match any of the words and
rank by how well they match (the backend's relevance score). Pages and the non-page
records of registered result types (``search/types.py``: the form library's forms, the FAQ
entries) are searched separately and merged by score; the counts per type come from the
same hits, so the filters never promise results that are not there.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Q
from django.utils.safestring import mark_safe
from wagtail.contrib.search_promotions.models import SearchPromotion
from wagtail.models import Locale, Page, Site
from wagtail.search.backends import get_search_backend
from wagtail.search.query import Or, PlainText
from wagtail.search.utils import normalise_query_string

from portal.languages import localize_pages
from portal.navigation import public_only, site_root

from .index import labelled_texts, searchable_text
from .models import synonym_map
from .text import query_terms, words
from .types import OTHER, ResultType, result_types

MAX_HITS = 300  # ranked hits fetched per search; enough for 30 result pages
PER_PAGE = 10
SNIPPET_LENGTH = 110


def build_query(terms: list[str], synonyms: dict[str, list[str]]):
    """Any of the words or their synonyms; a synonym of several words needs all of them."""
    alternatives: list[str] = []
    for term in terms:
        for alternative in [term, *synonyms.get(term, [])]:
            if alternative not in alternatives:
                alternatives.append(alternative)
    parts = []
    for alternative in alternatives:
        pieces = words(alternative) or [alternative]
        parts.append(PlainText(" ".join(pieces), operator="and" if len(pieces) > 1 else "or"))
    return parts[0] if len(parts) == 1 else Or(parts)


def highlight_terms(terms: list[str], synonyms: dict[str, list[str]]) -> list[str]:
    found = set()
    for term in terms:
        found.add(term)
        for alternative in synonyms.get(term, []):
            found.add(alternative)
            found.update(words(alternative))
    return sorted((t for t in found if t), key=len, reverse=True)


def _pattern(terms: list[str]) -> re.Pattern | None:
    return re.compile("|".join(re.escape(t) for t in terms), re.IGNORECASE) if terms else None


def _marked(text: str, pattern: re.Pattern) -> str:
    """``text`` escaped, with the matches in ``<mark>``."""
    out, last = [], 0
    for found in pattern.finditer(text):
        out.append(html.escape(text[last : found.start()]))
        out.append(f"<mark>{html.escape(found.group(0))}</mark>")
        last = found.end()
    out.append(html.escape(text[last:]))
    return mark_safe("".join(out))


def snippet(text: str, terms: list[str], length: int = SNIPPET_LENGTH) -> str:
    """A short passage around the first matched word, escaped, with matches in ``<mark>``."""
    text = " ".join(text.split())
    if not text:
        return ""
    pattern = _pattern(terms)
    match = pattern.search(text) if pattern else None
    start = max(0, match.start() - length // 4) if match else 0
    passage = text[start : start + length]
    prefix = "…" if start > 0 else ""
    suffix = "…" if start + length < len(text) else ""
    if pattern is None:
        return html.escape(prefix + passage + suffix)
    return mark_safe(html.escape(prefix) + _marked(passage, pattern) + html.escape(suffix))


def matched_details(obj, terms: list[str]) -> list[tuple[str, str]]:
    """``(label, marked text)`` of the object's labelled fields (事项编码, 文号, 关键词) that
    the query matched: what a hit shows when its snippet cannot say why it was found."""
    pattern = _pattern(terms)
    if pattern is None:
        return []
    return [
        (label, _marked(" ".join(text.split()), pattern)) for label, text in labelled_texts(obj) if pattern.search(text)
    ]


@dataclass
class Hit:
    type: ResultType
    score: float
    page: Page | None = None
    record: object | None = None  # a hit of a non-page result type
    title: str = ""
    url: str = ""
    date: object = None
    site_name: str = ""
    snippet: str = ""
    details: list[tuple[str, str]] = field(default_factory=list)  # labelled fields the query matched
    lang: str = ""


@dataclass
class Results:
    query: str
    terms: list[str]
    scope: str
    type: str
    hits: list[Hit] = field(default_factory=list)  # the current results page
    total: int = 0  # hits of the chosen type
    all_total: int = 0
    counts: list[tuple[ResultType, int]] = field(default_factory=list)
    promotions: list = field(default_factory=list)
    page: object = None  # django.core.paginator.Page over the hits of the chosen type
    capped: bool = False  # more matched than MAX_HITS: the most relevant are listed and counted


def _type_of(types: list[ResultType], content_types: dict[int, str], content_type_id: int) -> ResultType:
    label = content_types.get(content_type_id, "")
    return next((t for t in types if label in t.model_labels()), OTHER)


def _database_backend() -> str:
    """The database vendor when Wagtail searches the database, else "" (Elasticsearch)."""
    module = get_search_backend().__class__.__module__
    return connection.vendor if module.startswith("modelsearch.backends.database") else ""


def _higher_is_better() -> bool:
    """SQLite's bm25() is lower for better matches; PostgreSQL and Elasticsearch score higher."""
    return _database_backend() != "sqlite"


def _length_normalised() -> bool:
    """BM25 (SQLite's FTS5, Elasticsearch) favours short rows such as FAQ entries, which a
    result type's ``weight`` offsets; PostgreSQL's ts_rank (normalisation 0) ignores length,
    so there every hit keeps its own score."""
    return _database_backend() != "postgresql"


def _content_type_names(types: list[ResultType]) -> dict[int, str]:
    """Content type id -> model label (``home.articlepage``) of the registered page types;
    no query once Django has cached the content types."""
    models = [model for result_type in types for model in result_type.pages]
    return {ct.pk: f"{ct.app_label}.{ct.model}" for ct in ContentType.objects.get_for_models(*models).values()}


def _site_roots(request, scope: str, locale) -> list[Page]:
    if scope == "site":
        root = site_root(request)
        roots = [root] if root is not None else []
    else:
        roots = list(
            Page.objects.filter(translation_key__in=Site.objects.values("root_page__translation_key"), locale=locale)
        )
    names = dict(Site.objects.values_list("root_page__translation_key", "site_name"))
    for root in roots:
        root.site_name = names.get(root.translation_key) or root.title
    return roots


def run(request, query: str, scope: str = "site", type_key: str = "", page_number=1) -> Results:
    terms = query_terms(query)
    types = result_types()
    known = {result_type.key for result_type in types} | {OTHER.key}
    results = Results(query=query, terms=terms, scope=scope, type=type_key if type_key in known else "")
    if not terms:
        return results
    synonyms = synonym_map()
    search_query = build_query(terms, synonyms)
    locale = Locale.get_active()
    roots = _site_roots(request, scope, locale)
    if not roots:
        return results

    within = Q()
    for root in roots:
        within |= Q(path__startswith=root.path)
    # Light rows for ranking and counting; the results page loads its ten pages in full.
    pages = public_only(Page.objects.live().filter(within, locale=locale), request).only("id", "content_type_id")
    page_hits = list(pages.search(search_query).annotate_score("_score")[:MAX_HITS])

    results.capped = len(page_hits) >= MAX_HITS
    names = _content_type_names(types)
    hits = [
        Hit(type=_type_of(types, names, page.content_type_id), score=page._score or 0, page=page) for page in page_hits
    ]
    weighted = _length_normalised()
    for result_type in types:
        weight = result_type.weight if weighted else 1.0
        records = result_type.records(locale, request) if result_type.records is not None else None
        if records is not None:
            found = get_search_backend().search(search_query, records)
            hits += [
                Hit(type=result_type, score=(record._score or 0) * weight, record=record)
                for record in found.annotate_score("_score")[:MAX_HITS]
            ]
    better_first = _higher_is_better()
    hits.sort(key=lambda hit: -hit.score if better_first else hit.score)

    promotions = _promotions(request, query, locale)
    promoted = {p.pk for p in promotions}
    hits = [hit for hit in hits if hit.page is None or hit.page.pk not in promoted]

    counts = {}
    for hit in hits:
        counts[hit.type.key] = counts.get(hit.type.key, 0) + 1
    results.counts = [(t, counts.get(t.key, 0)) for t in [*types, OTHER] if counts.get(t.key) or t is not OTHER]
    results.all_total = len(hits) + len(promotions)
    chosen = [hit for hit in hits if not results.type or hit.type.key == results.type]
    results.total = len(chosen)
    results.page = Paginator(chosen, PER_PAGE, allow_empty_first_page=True).get_page(page_number)
    if results.page.number == 1 and not results.type:
        results.promotions = promotions
    results.hits = _describe(request, list(results.page.object_list), highlight_terms(terms, synonyms), roots)
    return results


def _promotions(request, query: str, locale) -> list[Page]:
    """Best bets for this exact query (``wagtail.contrib.search_promotions``): live, public
    pages of the searched language, in the editor's order."""
    picks = (
        SearchPromotion.objects.filter(query__query_string=normalise_query_string(query), page__isnull=False)
        .select_related("page")
        .order_by("sort_order")
    )
    pages = localize_pages([pick.page for pick in picks])
    allowed = set(
        public_only(Page.objects.live().filter(pk__in=[p.pk for p in pages], locale=locale), request).values_list(
            "pk", flat=True
        )
    )
    descriptions = {pick.page_id: pick.description for pick in picks}
    out = []
    for page in pages:
        if page.pk in allowed and page not in out:
            page.promotion_description = descriptions.get(page.pk, "")
            out.append(page.specific)
    return out


def _describe(request, hits: list[Hit], terms: list[str], roots: list[Page]) -> list[Hit]:
    """Titles, links, dates, sites and snippets of one results page (a fixed number of queries)."""
    specific = {page.pk: page for page in Page.objects.filter(pk__in=[h.page.pk for h in hits if h.page]).specific()}
    for hit in hits:
        if hit.page is not None:
            page = specific.get(hit.page.pk, hit.page)
            hit.page = page
            hit.title = page.title
            hit.url = page.get_url(request)
            hit.date = getattr(page, "date", None) or page.first_published_at
            hit.snippet = snippet(searchable_text(page).removeprefix(page.title), terms)
            hit.site_name = next((r.site_name for r in roots if page.path.startswith(r.path)), "")
        else:
            shown = hit.type.describe(hit.record, request)
            hit.title, hit.url, hit.date = shown.title, shown.url, shown.date
            hit.snippet = snippet(shown.text, terms)
        if "<mark>" not in hit.snippet:  # found by a code or keyword: show it under its label
            hit.details = matched_details(hit.page or hit.record, terms)
    return hits
