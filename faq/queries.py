"""Reading the FAQ: the index (search, theme filter with counts, pagination), one entry,
the entries a service guide shows, and the entries site search lists (with their pages on
the current site's FAQ index), each in a fixed number of queries."""

from __future__ import annotations

from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page
from wagtail.search.backends import get_search_backend

from guides.models import LocalGuidePage, ServiceGuidePage, Theme
from portal.facets import facet
from portal.languages import localize_pages
from portal.navigation import public_only, site_root
from portal.pagination import paginate
from portal.sitedata import remember
from search.engine import build_query, highlight_terms, snippet
from search.models import synonym_map
from search.text import query_terms

from .models import FAQ, FAQGuide, FAQIndexPage

MAX_HITS = 200  # ranked matches of one search
MAX_QUERY_LENGTH = 100
GUIDE_FAQS = 5  # a guide shows its own entries, filled up to this many from its theme
GUIDE_FAQS_FETCH = 8  # at most this many in all


def live_faqs(locale_id):
    return FAQ.objects.filter(live=True, locale_id=locale_id)


def search_ids(terms: list[str], base) -> list[int]:
    """Ids of the entries matching the words (or their synonyms), best first (one query)."""
    if not terms:
        return []
    search_query = build_query(terms, synonym_map())
    return [faq.pk for faq in get_search_backend().search(search_query, base.only("pk"))[:MAX_HITS]]


def faq_index(page, request) -> dict:
    params = request.GET
    query = " ".join((params.get("q") or "").split())[:MAX_QUERY_LENGTH]
    terms = query_terms(query) if query else []
    themes = list(Theme.objects.filter(locale_id=page.locale_id))
    theme = next((t for t in themes if t.slug == params.get("theme")), None)

    base = live_faqs(page.locale_id)
    ranked = None
    if query:
        ranked = search_ids(terms, base)
        base = base.filter(pk__in=ranked)
    by_theme = base.order_by().values_list("themes__slug").annotate(n=Count("pk", distinct=True))
    counts = dict(by_theme.values_list("themes__slug", "n"))
    chosen = base.filter(themes=theme) if theme else base
    if ranked is None:
        page_obj = paginate(chosen.prefetch_related("themes"), params.get("page"), page.per_page)
        entries = list(page_obj.object_list)
    else:
        allowed = set(chosen.values_list("pk", flat=True))
        page_obj = paginate([pk for pk in ranked if pk in allowed], params.get("page"), page.per_page)
        found = FAQ.objects.prefetch_related("themes").in_bulk(list(page_obj.object_list))
        entries = [found[pk] for pk in page_obj.object_list if pk in found]
    marks = highlight_terms(terms, synonym_map()) if terms else []
    for entry in entries:
        entry.excerpt = snippet(strip_tags(entry.answer), marks)
    facets = [
        facet(params, "theme", _("按主题"), [(t.slug, t.name) for t in themes], counts, theme and theme.slug),
    ]
    return {
        "query": query,
        "searched": bool(query),
        "terms": terms,
        "theme": theme,
        "facets": facets,
        "any_filter": bool(theme or query),
        "page_obj": page_obj,
        "entries": entries,
    }


def faqs_for_guide(guide, request) -> tuple[list[FAQ], str]:
    """The live entries linked to the guide (in any language version of it), then, if
    fewer than ``GUIDE_FAQS``, those of its theme (``faq.linked`` tells which), and the URL
    of the FAQ index of the guide's site and language ("" if it has none): one query. A
    city's local guide shows the entries of the province's guide, with the city's FAQ index."""
    item = guide.province_guide if isinstance(guide, LocalGuidePage) else guide
    if item is None:
        return [], ""
    linked = FAQGuide.objects.filter(faq=OuterRef("pk"), guide__translation_key=item.translation_key)
    condition = Q(Exists(linked))
    if item.theme_id:
        same_theme = FAQ.themes.through.objects.filter(faq=OuterRef("pk"), theme_id=item.theme_id)
        condition |= Q(Exists(same_theme))
    index = index_pages(guide).values("url_path")[:1]
    found = list(
        live_faqs(guide.locale_id)
        .filter(condition)
        .annotate(linked=Exists(linked), index_url_path=Subquery(index))
        .order_by("-linked", "-updated", "pk")[:GUIDE_FAQS_FETCH]
    )
    own = [faq for faq in found if faq.linked]
    faqs = own + [faq for faq in found if not faq.linked][: max(0, GUIDE_FAQS - len(own))]
    index_url = ""
    if faqs and faqs[0].index_url_path:
        # the URL from the page's path and the request's cached site roots: no query
        index_url = Page(url_path=faqs[0].index_url_path).get_url(request) or ""
    return faqs, index_url


def pages_showing(faq):
    """Where an entry is shown (``portal.pagecache.shown_on``): the FAQ indexes of its language
    (its own page is one of their routes) and the guides of its language it is linked to, in
    any language version, or shares a theme with (:func:`faqs_for_guide`); the cities' local
    guides refer to those guides and are purged with them. Its links are read through the
    entry, so an edit not saved to the database yet counts."""
    linked = ServiceGuidePage.objects.filter(pk__in=[link.guide_id for link in faq.guide_links.all()])
    guides = ServiceGuidePage.objects.filter(locale_id=faq.locale_id).filter(
        Q(translation_key__in=linked.values("translation_key")) | Q(theme__in=[t.pk for t in faq.themes.all()])
    )
    indexes = FAQIndexPage.objects.filter(locale_id=faq.locale_id)
    return Page.objects.filter(Q(pk__in=guides.values("pk")) | Q(pk__in=indexes.values("pk")))


def index_pages(page):
    """The live FAQ indexes of the page's site and language, first in the tree first."""
    site_root_path = page.path[: 2 * FAQIndexPage.steplen]
    return (
        FAQIndexPage.objects.live().filter(locale_id=page.locale_id, path__startswith=site_root_path).order_by("path")
    )


def site_index_path(request) -> str:
    """The ``url_path`` of the current site's live, public FAQ index in the active language
    ("" when it has none); one query, kept with the site data until the next save."""
    root = site_root(request)
    if root is None:
        return ""
    return remember(
        request,
        "faq_index_path",
        lambda: public_only(index_pages(root), request).values_list("url_path", flat=True).first() or "",
    )


def site_search_records(locale, request):
    """The entries site search looks through: the live ones of the language, or ``None`` where
    the current site has no FAQ index to open them on (then they are not listed)."""
    return live_faqs(locale.pk) if site_index_path(request) else None


def entry_url(faq, request) -> str:
    """The entry's page on the current site's FAQ index (``<index>/<id>/``), no query."""
    return f"{Page(url_path=site_index_path(request)).get_url(request)}{faq.pk}/"


def related_pages(faq, request) -> tuple[list, list]:
    """Live guides and policies the entry links to, in the visitor's language where translated."""
    guides = [link.guide for link in faq.guide_links.select_related("guide") if link.guide.live]
    policies = [link.policy for link in faq.policy_links.select_related("policy") if link.policy.live]
    return localize_pages(guides), localize_pages(policies)
