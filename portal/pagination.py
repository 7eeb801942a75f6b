"""Pagination that never fails on what a visitor types in the address bar."""

from __future__ import annotations

from django.core.paginator import Page as PaginatorPage
from django.core.paginator import Paginator


def paginate(items, page_number, per_page: int, count: int | None = None) -> PaginatorPage:
    """Paginate tolerantly: ``?page=abc`` gives page 1, ``?page=999`` the last page.
    ``count``, when the caller has a cheaper way to know it, saves the COUNT query."""
    paginator = Paginator(items, per_page, allow_empty_first_page=True)
    if count is not None:
        paginator.__dict__["count"] = count  # Paginator.count is a cached_property
    return paginator.get_page(page_number)
