"""``<id:pk>`` in URL patterns: a database id, as ``<int:pk>`` but never past what a
``bigint`` column holds.

Django's ``int`` converter takes any number of digits; an id of 2⁶³ or more then reaches a
query and fails in the database driver (PostgreSQL: "bigint out of range"; SQLite: "Python int
too large to convert to SQLite INTEGER") — a 500 for a crafted URL. This converter does not
match such a path at all, so it is a 404 like any other unknown address. Every pattern of the
portal that takes an id uses it; ``tests/portal/test_crafted_parameters.py`` walks every route
(the portal's, Wagtail's, the routable pages') with ids of 2⁶³ and 10³⁰.

Registered on import: a module whose patterns use it imports this one first (routable pages
build their patterns when the class is defined).
"""

from django.urls import register_converter

MAX_ID = 2**63 - 1


class IdConverter:
    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        number = int(value)
        if number > MAX_ID:
            raise ValueError("id out of range")  # the pattern does not match: 404
        return number

    def to_url(self, value) -> str:
        return str(int(value))


register_converter(IdConverter, "id")
