"""Filter groups with counts (分面筛选) for listings: the guide index, the form library, the FAQ.

Each option carries the count it would give together with the other chosen filters, so a
visitor never follows a filter to an empty list; every link keeps the other parameters
and goes back to page 1. The counts cost one grouped query per filter group."""

from __future__ import annotations

from django.db.models import Count, Q
from django.http import QueryDict


def link(params: QueryDict, key: str, value: str | None) -> str:
    """The query string with ``key`` set to ``value`` (or removed), back on page 1."""
    query = params.copy()
    query.pop("page", None)
    if value is None:
        query.pop(key, None)
    else:
        query[key] = value
    encoded = query.urlencode()
    return f"?{encoded}" if encoded else "?"


def without(base, filters: dict[str, Q], key: str):
    """Matches of every filter except ``key`` (what choosing another ``key`` value would
    give), unordered so that GROUP BY sees only the facet column."""
    q = Q()
    for name, condition in filters.items():
        if name != key:
            q &= condition
    return base.filter(q).order_by()


def counts(base, filters: dict[str, Q], key: str, field: str) -> dict:
    """``{value: count}`` of ``field`` among the matches of the other filters (one query)."""
    return dict(without(base, filters, key).values_list(field).annotate(n=Count("pk")).values_list(field, "n"))


def facet(params: QueryDict, key: str, legend, options, option_counts: dict, selected) -> dict:
    """One filter group: ``options`` (value, label) as ``[{label, count, url, current}]``;
    choosing the current value again clears it."""
    return {
        "key": key,
        "legend": legend,
        "selected": selected,
        "clear_url": link(params, key, None),
        "options": [
            {
                "value": value,
                "label": label,
                "count": option_counts.get(value, 0),
                "url": link(params, key, None if value == selected else value),
                "current": value == selected,
            }
            for value, label in options
        ],
    }
