"""What search results can be: each app registers the kinds of result it adds.

A result type has a key (the ``?type=`` filter), a label, and either the page types it
groups (matched on their exact type: a policy document is a 政策文件, not a 新闻动态) or a
non-page model searched on its own (the form library's forms, the FAQ entries). Apps register
theirs in their ``wagtail_hooks.py``::

    @hooks.register(types.REGISTER_HOOK)
    def search_types():
        return [types.ResultType("guide", _("办事指南"), pages=(ServiceGuidePage,), order=10, suggest=True)]

A non-page type gives ``records(locale, request)``, the queryset to search (or ``None`` when
the current site has nowhere to show them: no hits, no count), and ``describe(record,
request)``, how one hit is shown; both get the request, so a link can point into the current
site (the FAQ entries open on the current site's FAQ page).

Pages of no registered type are listed as 其他页面. ``suggest`` offers the type's page
titles in the search box's suggestions.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.models import Locale

REGISTER_HOOK = "register_search_result_types"


@dataclass(frozen=True)
class RecordHit:
    """How a non-page result is shown: title, link, date and the text its snippet comes from."""

    title: str
    url: str
    date: date | datetime | None
    text: str


@dataclass(frozen=True)
class ResultType:
    key: str
    label: str
    pages: tuple = ()  # page models grouped under this type (exact types)
    records: Callable[[Locale, HttpRequest], QuerySet | None] | None = None  # a non-page model's rows to search
    describe: Callable[[object, HttpRequest], RecordHit] | None = None  # one of those rows, as shown
    order: int = 100
    suggest: bool = False
    # A non-page hit's score is multiplied by this before the merge with pages (< 1: ranked lower),
    # where the backend's BM25 favours short rows (SQLite, Elasticsearch; not PostgreSQL's ts_rank).
    weight: float = 1.0
    # News: recent hits rank a little higher (search/ranking.py FRESHNESS), dated by the pages'
    # ``date`` field.
    fresh: bool = False

    def model_labels(self) -> set[str]:
        return {model._meta.label_lower for model in self.pages}


OTHER = ResultType("other", _("其他页面"), order=1000)


def result_types() -> list[ResultType]:
    """Every registered type, in the order the filters show them."""
    found = [result_type for function in hooks.get_hooks(REGISTER_HOOK) for result_type in function()]
    return sorted(found, key=lambda result_type: (result_type.order, result_type.key))
