"""The results page and the autocomplete endpoint (``/search/``, ``/search/suggest/``)."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Sum
from django.http import JsonResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.views.decorators.cache import cache_control
from wagtail.contrib.search_promotions.models import Query
from wagtail.models import Page

from portal import extensions, pagecache
from portal.navigation import public_only, site_root

from . import engine, panels
from .models import SearchTermDay
from .types import result_types

MAX_QUERY_LENGTH = 100
SUGGESTIONS = 8


def search(request):
    query = " ".join((request.GET.get("q") or "").split())[:MAX_QUERY_LENGTH]
    scope = "all" if request.GET.get("scope") == "all" else "site"
    results = None
    if query:
        exact = request.GET.get("exact") == "1"
        results = engine.run(request, query, scope, request.GET.get("type", ""), request.GET.get("page"), exact=exact)
        if results.page is None or (results.page.number == 1 and not results.type):
            SearchTermDay.record(query, results.all_total)
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
    """Popular searches that found something, and what the apps offer instead of a dead end
    (``panels.NO_RESULTS``: the service-guide themes …)."""
    since = timezone.localdate() - timedelta(days=30)
    popular = list(
        SearchTermDay.objects.filter(date__gte=since)
        .values("query")
        .annotate(total=Sum("searches"), found=Sum("searches") - Sum("empty"))
        .filter(found__gt=0)
        .order_by("-total", "query")
        .values_list("query", flat=True)[:8]
    )
    root = site_root(request)
    offered = extensions.panels(panels.NO_RESULTS, root, request) if root else []
    return {"popular": popular, "panels": offered}


@cache_control(max_age=300, public=True)
def suggest(request):
    """Up to eight titles of pages of the suggested result types (service guides) and
    best-bet queries containing what was typed."""
    typed = " ".join((request.GET.get("q") or "").split())[:MAX_QUERY_LENGTH]
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
