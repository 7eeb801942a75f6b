"""Search fields whose text reaches the index already segmented into words.

Models declare ``search_fields = segmented(Page.search_fields + [index.SearchField(...)])``:
every plain ``SearchField`` (including a copy of Wagtail's own ``title``) becomes a
:class:`SegmentedSearchField`, which keeps the field name, the boost and the title/body
split of the database backends, and hands the backend ``segment(text)`` instead of the text.

A result's snippet is cut from the same fields (:func:`searchable_text`), so they should hold
what a visitor reads on the page. A field that is searched but is not prose (a code such as
the 事项编码, a document number, the editor's keywords) is declared a :class:`LabelledField`:
indexed like the others, left out of snippets, and shown under its label in a result when
the query matches it (:func:`labelled_texts`).
"""

from __future__ import annotations

from wagtail.models import Page
from wagtail.search import index

from .es import FIELD_MAPPING
from .ranking import TITLE_WEIGHT
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


class LabelledField(SegmentedSearchField):
    """A searched field that is not prose (事项编码, 文号, 关键词): never part of a snippet.
    A method (not a model field) names its ``label``."""

    def __init__(self, field_name, boost=None, label=None, **kwargs):
        self.label_text = label
        super().__init__(field_name, boost=boost, **kwargs)

    def label(self, obj) -> str:
        if self.label_text is not None:
            return str(self.label_text)
        return str(self.get_field(obj.__class__).verbose_name)


def segmented(fields: list) -> list:
    out = []
    for field in fields:
        if type(field) is index.SearchField:
            if field in Page.search_fields:
                # Wagtail's own title field stays too (its system check wants Page's fields, and a
                # whole title is a useful token); the segmented copy follows and wins in Elasticsearch,
                # boosted TITLE_WEIGHT times the body (search/ranking.py).
                out.append(field)
                field = SegmentedSearchField(field.field_name, boost=TITLE_WEIGHT, **field.kwargs)
            else:
                field = SegmentedSearchField(field.field_name, boost=field.boost, **field.kwargs)
        elif isinstance(field, index.RelatedFields):
            field = index.RelatedFields(field.field_name, segmented(field.fields))
        out.append(field)
    return out


def searchable_text(obj) -> str:
    """The unsegmented prose of an object's segmented fields, title first: for result snippets."""
    return "\n".join(
        text
        for field in obj.get_search_fields()
        if isinstance(field, SegmentedSearchField)
        and not isinstance(field, LabelledField)
        and (text := field.raw_text(obj))
    )


def labelled_texts(obj) -> list[tuple[str, str]]:
    """``(label, text)`` of an object's non-empty labelled fields (``事项编码``, ``11100…``)."""
    return [
        (field.label(obj), text)
        for field in obj.get_search_fields()
        if isinstance(field, LabelledField) and (text := field.raw_text(obj))
    ]
