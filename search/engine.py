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
from django.db.models import Q, prefetch_related_objects
from django.utils.safestring import mark_safe
from wagtail.contrib.search_promotions.models import SearchPromotion
from wagtail.models import Locale, Page, Site
from wagtail.search.backends import get_search_backend
from wagtail.search.query import Or, PlainText
from wagtail.search.utils import normalise_query_string

from portal.languages import localize_pages
from portal.navigation import public_only, site_root

from . import ranking
from .forgiving import correct, normalise_query
from .index import labelled_texts, searchable_text
from .models import synonym_map
from .text import query_terms, words
from .types import OTHER, ResultType, result_types

MAX_HITS = 300  # ranked hits fetched per search; enough for 30 result pages
PER_PAGE = 10
SNIPPET_LENGTH = 110
CLUSTER_HITS = 3  # hits of the cluster's other sites offered after a site's own results


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
    card: dict | None = None  # what the answer card shows (summary, visits, time limit, online link)
    text: str = ""  # a non-page hit's text (an FAQ entry's answer)


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
    elsewhere: list[Hit] = field(default_factory=list)  # the best hits of the cluster's other sites
    elsewhere_total: int = 0
    answer: Hit | None = None  # a guide or FAQ entry that answers the query outright
    searched: str = ""  # the query searched, when a correction of what was typed found more


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


def run(request, query: str, scope: str = "site", type_key: str = "", page_number=1, exact: bool = False) -> Results:
    """One results page. Traditional characters and full-width letters are searched as
    simplified and half-width ones; a query with pinyin or a misspelt tax term is searched
    as corrected when that finds anything (``results.searched``, shown as "您是不是要找"), unless
    ``exact``."""
    typed = normalise_query(query)
    results = _run(request, query, typed, scope, type_key, page_number)
    corrected = "" if exact else correct(typed)
    if corrected and corrected != typed:
        better = _run(request, query, corrected, scope, type_key, page_number)
        # A correction replaces only what is no word (pinyin, 注消, 增殖税): shown when it finds
        # anything, since the typed query's hits came from its other words only.
        if better.all_total:
            better.searched = corrected
            return better
    return results


def _run(request, query: str, typed: str, scope: str, type_key: str, page_number) -> Results:
    terms = query_terms(typed)
    types = result_types()
    known = {result_type.key for result_type in types} | {OTHER.key}
    results = Results(query=query, terms=terms, scope=scope, type=type_key if type_key in known else "")
    if not terms:
        return results
    synonyms = synonym_map()
    search_query = build_query(terms, synonyms)
    locale = Locale.get_active()
    roots = _site_roots(request, "all", locale)
    here_root = site_root(request) if scope == "site" else None
    own = [root for root in roots if root.translation_key == here_root.translation_key] if here_root else roots
    if not own:
        return results
    own_paths = tuple(root.path for root in own)

    # A site's own matches are ranked among themselves (not as its share of the cluster's
    # best, which at 140 sites left a county a handful of its own pages), and the other
    # sites' best in a second search for the block after them; both lists are scored
    # together below, as one list was before.
    page_hits = _ranked_pages(request, search_query, locale, own)
    results.capped = len(page_hits) >= MAX_HITS
    if scope == "site":
        page_hits += _ranked_pages(request, search_query, locale, [r for r in roots if r not in own], except_=own)
    names = _content_type_names(types)
    hits = [
        Hit(type=_type_of(types, names, page.content_type_id), score=page._score or 0, page=page, title=page.title)
        for page in page_hits
    ]
    weighted = _length_normalised()
    for result_type in types:
        weight = result_type.weight if weighted else 1.0
        records = result_type.records(locale, request) if result_type.records is not None else None
        if records is not None:
            found = get_search_backend().search(search_query, records)
            hits += [
                Hit(type=result_type, score=(record._score or 0) * weight, record=record, title=str(record))
                for record in found.annotate_score("_score")[:MAX_HITS]
            ]
    _news_dates(hits)
    ranking.rerank(hits, typed, terms, synonyms, higher_is_better=_higher_is_better())

    here, others = [], []
    for hit in hits:  # one pass (``hit in here`` compared dataclasses field by field: 40 ms a search)
        if hit.page is None or hit.page.path.startswith(own_paths):
            here.append(hit)
        elif scope == "site":
            others.append(hit)
    hits = here

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
    if results.page.number == 1 and not results.type:
        if not promotions and results.hits:
            results.answer = _answer(request, results.hits[0], typed, terms, synonyms)
        # The rest of the cluster after the site's own results (one block, not mixed in: on the
        # relevance set mixing the city sites' pages into the list lowered top-3, RANKING.md).
        results.elsewhere_total = len(others)
        results.elsewhere = _describe(request, others[:CLUSTER_HITS], highlight_terms(terms, synonyms), roots)
    return results


def _ranked_pages(request, search_query, locale, roots: list[Page], except_: list[Page] = ()) -> list[Page]:
    """The best ``MAX_HITS`` live, public pages of ``locale`` under ``roots`` (not under
    ``except_``), with their full-text score (``_score``): light rows for ranking and
    counting; the results page loads its ten pages in full."""
    if not roots:
        return []
    within = Q()
    for root in roots:
        within |= Q(path__startswith=root.path)
    pages = public_only(Page.objects.live().filter(within, locale=locale), request)
    for root in except_:
        pages = pages.exclude(path__startswith=root.path)
    pages = pages.only("id", "content_type_id", "title", "path", "first_published_at")
    return list(pages.search(search_query).annotate_score("_score")[:MAX_HITS])


def _news_dates(hits: list[Hit]) -> None:
    """The publication date (``date``) of the hits of fresh types (news), for the freshness
    term of the ranking: one query per such type among the hits."""
    by_type: dict[ResultType, dict[int, Hit]] = {}
    for hit in hits:
        if hit.page is not None and hit.type.fresh:
            by_type.setdefault(hit.type, {})[hit.page.pk] = hit
    for result_type, found in by_type.items():
        model = result_type.pages[0]
        for pk, date in model._default_manager.filter(pk__in=list(found)).values_list("pk", "date"):
            found[pk].date = date


def _answer(request, hit: Hit, query: str, terms, synonyms) -> Hit | None:
    """The first hit as an answer card, when it is a guide or an FAQ entry whose title says
    what the query asks (``ranking.answers``): the guide's summary, visits, time limits and
    online link, or the entry's answer."""
    if hit.type.key not in ranking.SERVICE_TYPES or not ranking.answers(hit.title, query, terms, synonyms):
        return None
    page = hit.page
    if page is not None and hasattr(page, "visits"):
        hit.card = {
            "summary": page.summary,
            "fully_online": page.visits == 0,
            "visits": page.visits,
            "statutory_days": page.statutory_days,
            "promised_days": page.promised_days,
            "online_url": page.online_url,
        }
    elif page is None and hit.text:
        hit.card = {"summary": hit.text.strip().split("\n", 1)[0]}
    return hit if hit.card and hit.card.get("summary") else None


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
    # what a page type's snippet text reads through relations (a city's local guide reads the
    # province's guide and its materials): fetched once per type, not once per hit
    by_model: dict[type, list[Page]] = {}
    for page in specific.values():
        by_model.setdefault(type(page), []).append(page)
    for model, pages in by_model.items():
        if lookups := getattr(model, "search_result_prefetch", ()):
            prefetch_related_objects(pages, *lookups)
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
            hit.title, hit.url, hit.date, hit.text = shown.title, shown.url, shown.date, shown.text
            hit.snippet = snippet(shown.text, terms)
        if "<mark>" not in hit.snippet:  # found by a code or keyword: show it under its label
            hit.details = matched_details(hit.page or hit.record, terms)
    return hits
