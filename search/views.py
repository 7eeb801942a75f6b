"""The results page and the autocomplete endpoint (``/search/``, ``/search/suggest/``)."""

from __future__ import annotations

from django.http import JsonResponse
from django.template.response import TemplateResponse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from wagtail.contrib.search_promotions.models import Query
from wagtail.models import Page

from portal import extensions, pagecache
from portal.navigation import public_only, site_root
from portal.ratelimit import LimitUnavailable, RateLimit

from . import engine, panels
from .models import SearchTermDay, logged_form
from .popular import first_search_today, popular_searches
from .types import result_types

MAX_QUERY_LENGTH = 100
SUGGESTIONS = 8
SEARCH_LIMIT = RateLimit("search", "SEARCH_RATE_LIMIT", "SEARCH_RATE_WINDOW")
SUGGEST_LIMIT = RateLimit("search-suggest", "SEARCH_SUGGEST_RATE_LIMIT", "SEARCH_RATE_WINDOW")


def over_limit(limit: RateLimit, request) -> bool:
    """Count this request against the address's limit; True when it is over. A cache that
    does not answer lets the search through: searching is reading, and the site's main way
    in; a dead Redis must not close it (the forms that write refuse instead)."""
    try:
        if limit.exceeded(request):
            return True
    except LimitUnavailable:
        return False
    limit.hit(request)
    return False


def refused(request):
    """The 429 page: the portal's, titled for searches."""
    message = _("您的搜索过于频繁。为保证网站对所有人可用，同一地址在短时间内的搜索次数有上限。")
    response = SEARCH_LIMIT.refuse(request, message)
    response.template_name = "search/rate_limited.html"
    return pagecache.exempt(response)


def search(request):
    query = " ".join((request.GET.get("q") or "").split())[:MAX_QUERY_LENGTH]
    scope = "all" if request.GET.get("scope") == "all" else "site"
    results = None
    if query and over_limit(SEARCH_LIMIT, request):
        return refused(request)
    if query:
        exact = request.GET.get("exact") == "1"
        results = engine.run(request, query, scope, request.GET.get("type", ""), request.GET.get("page"), exact=exact)
        if results.page is None or (results.page.number == 1 and not results.type):
            logged = logged_form(query)  # personal data masked (search/personal.py)
            SearchTermDay.record_logged(logged, results.all_total, first_search_today(request, logged))
    # Not from the page cache: every query is counted (SearchTermDay).
    return pagecache.exempt(
        TemplateResponse(
            request,
            "search/search.html",
            {
                "search_query": query,
                "scope": scope,
                "results": results,
                "suggestions": no_result_suggestions(request)
                if results is not None and not results.all_total
                else None,
            },
        )
    )


def no_result_suggestions(request) -> dict:
    """Popular searches (the editors' terms, then what many visitors searched on several days:
    ``search/popular.py``), and what the apps offer instead of a dead end (``panels.NO_RESULTS``:
    the service-guide themes …)."""
    root = site_root(request)
    offered = extensions.panels(panels.NO_RESULTS, root, request) if root else []
    return {"popular": popular_searches(), "panels": offered}


def suggest(request):
    """Up to eight titles of pages of the suggested result types (service guides) and
    best-bet queries containing what was typed; over the address's limit, none (429, not
    cached)."""
    typed = " ".join((request.GET.get("q") or "").split())[:MAX_QUERY_LENGTH]
    if typed and over_limit(SUGGEST_LIMIT, request):
        response = JsonResponse({"suggestions": []}, status=429)
        add_never_cache_headers(response)
        return response
    return suggestions(request, typed)


@cache_control(max_age=300, public=True)
def suggestions(request, typed: str):
    if len(typed) < 1:
        return JsonResponse({"suggestions": []})
    root = site_root(request)
    titles: list[str] = []
    suggested = [model for result_type in result_types() if result_type.suggest for model in result_type.pages]
    if root is not None and suggested:
        pages = public_only(
            Page.objects.live().descendant_of(root).type(*suggested).filter(title__icontains=typed), request
        ).order_by("title")
        titles += list(pages.values_list("title", flat=True)[:SUGGESTIONS])
    bets = Query.objects.filter(query_string__icontains=typed.lower(), editors_picks__isnull=False).distinct()
    titles += [q for q in bets.values_list("query_string", flat=True)[:SUGGESTIONS] if q not in titles]
    return JsonResponse({"suggestions": titles[:SUGGESTIONS]})
