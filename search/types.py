"""What search results can be: each app registers the kinds of result it adds.

A result type has a key (the ``?type=`` filter), a label, and either the page types it
groups (matched on their exact type: a policy document is a 政策文件, not a 新闻动态) or a
non-page model searched on its own (the form library's forms). Apps register theirs in
their ``wagtail_hooks.py``::

    @hooks.register(types.REGISTER_HOOK)
    def search_types():
        return [types.ResultType("guide", _("办事指南"), pages=(ServiceGuidePage,), order=10, suggest=True)]

Pages of no registered type are listed as 其他页面. ``suggest`` offers the type's page
titles in the search box's suggestions.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from django.utils.translation import gettext_lazy as _
from wagtail import hooks

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
    records: Callable | None = None  # locale -> queryset of a non-page model to search
    describe: Callable[[object], RecordHit] | None = None  # record -> RecordHit
    order: int = 100
    suggest: bool = False

    def model_labels(self) -> set[str]:
        return {model._meta.label_lower for model in self.pages}


OTHER = ResultType("other", _("其他页面"), order=1000)


def result_types() -> list[ResultType]:
    """Every registered type, in the order the filters show them."""
    found = [result_type for function in hooks.get_hooks(REGISTER_HOOK) for result_type in function()]
    return sorted(found, key=lambda result_type: (result_type.order, result_type.key))
