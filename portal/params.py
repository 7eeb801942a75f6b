"""Query-string values that pages filter by, checked before they reach a query.

``?year=`` is typed into an address bar as easily as chosen from a list: ``str.isdigit``
accepts "²" (which ``int`` refuses), ``int`` refuses more than 4,300 digits, and a year the
``datetime`` module cannot hold (0, 10000) breaks a date lookup — each was a 500. A year is
four ASCII digits between ``FIRST_YEAR`` and ``LAST_YEAR``; anything else is a 404 (an address
that names no listing), never a 500.
"""

import re

from django.http import Http404

FIRST_YEAR, LAST_YEAR = 1900, 2999
_YEAR = re.compile(r"[0-9]{4}")


def year(value: str | None) -> int | None:
    """The year a query string asks for; None when it asks for none; Http404 for anything
    that is not a year."""
    if not value:
        return None
    if not _YEAR.fullmatch(value) or not FIRST_YEAR <= int(value) <= LAST_YEAR:
        raise Http404("not a year")
    return int(value)
