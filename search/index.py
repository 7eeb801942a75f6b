"""Search fields whose text reaches the index already segmented into words.

Models declare ``search_fields = segmented(Page.search_fields + [index.SearchField(...)])``:
every plain ``SearchField`` (including a copy of Wagtail's own ``title``) becomes a
:class:`SegmentedSearchField`, which keeps the field name, the boost and the title/body
split of the database backends, and hands the backend ``segment(text)`` instead of the text.
"""

from __future__ import annotations

from wagtail.models import Page
from wagtail.search import index

from .es import FIELD_MAPPING
from .text import segment


def flatten(value) -> str:
    """A field's searchable value (a string, or a StreamField's list of strings) as text."""
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return " ".join(flatten(item) for item in value)
    if isinstance(value, dict):
        return " ".join(flatten(item) for item in value.values())
    return str(value)


class SegmentedSearchField(index.SearchField):
    def __init__(self, field_name, boost=None, **kwargs):
        kwargs.setdefault("es_extra", dict(FIELD_MAPPING))
        super().__init__(field_name, boost=boost, **kwargs)

    def raw_text(self, obj) -> str:
        return flatten(super().get_value(obj))

    def get_value(self, obj):
        return segment(self.raw_text(obj))


def segmented(fields: list) -> list:
    out = []
    for field in fields:
        if type(field) is index.SearchField:
            if field in Page.search_fields:
                # Wagtail's own title field stays too (its system check wants Page's fields, and a
                # whole title is a useful token); the segmented copy follows and wins in Elasticsearch.
                out.append(field)
            field = SegmentedSearchField(field.field_name, boost=field.boost, **field.kwargs)
        elif isinstance(field, index.RelatedFields):
            field = index.RelatedFields(field.field_name, segmented(field.fields))
        out.append(field)
    return out


def searchable_text(obj) -> str:
    """The unsegmented text of an object's segmented fields, title first: for result snippets."""
    return "\n".join(
        text
        for field in obj.get_search_fields()
        if isinstance(field, SegmentedSearchField) and (text := field.raw_text(obj))
    )
