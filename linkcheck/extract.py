"""Finding the links of a page, from the stored data and without rendering it.

Links live in rich text (``<a linktype="page" id="…">``, ``<a linktype="document" id="…">``,
``<a href="…">``), in StreamField blocks (rich text, page and document choosers, URL blocks,
text blocks holding an http(s) address), in URL fields, and in the page's inline objects
(related links, attachments: their URL fields and their page and document choices).
A page's own document fields count too (e.g. a video file); its own page fields (notice
column, replacing policy) are not links a reader follows and are left to the page editor."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from html.parser import HTMLParser

from django.db import models
from django.utils.encoding import force_str
from modelcluster.fields import ParentalKey
from wagtail import blocks
from wagtail.documents import get_document_model
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page

PAGE, DOCUMENT, URL = "page", "document", "url"
URL_PREFIXES = ("http://", "https://")


@dataclass(frozen=True)
class Link:
    field: str  # where on the page, as editors name it (a field label)
    kind: str  # PAGE (target = page id), DOCUMENT (document id) or URL (the address as written)
    target: str


class _Anchors(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.anchors: list[dict] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self.anchors.append(dict(attrs))


def rich_text_links(html: str, field: str) -> list[Link]:
    if not html or "<a" not in html:
        return []
    parser = _Anchors()
    parser.feed(html)
    parser.close()
    links = []
    for attrs in parser.anchors:
        linktype = attrs.get("linktype")
        if linktype in (PAGE, DOCUMENT) and (attrs.get("id") or "").strip():
            links.append(Link(field, linktype, attrs["id"].strip()))
        elif not linktype and (attrs.get("href") or "").strip():
            links.append(Link(field, URL, attrs["href"].strip()))
    return links


def _stream_item_value(item):
    """A list block item stored as ``{"type": "item", "value": …, "id": …}`` or as a bare value."""
    if isinstance(item, dict) and item.get("type") == "item" and "value" in item:
        return item["value"]
    return item


def block_links(block, value, field: str) -> list[Link]:
    """The links in a block's raw (JSON) value."""
    if value in (None, "", [], {}):
        return []
    if isinstance(block, blocks.RichTextBlock):
        return rich_text_links(value if isinstance(value, str) else "", field)
    if isinstance(block, blocks.PageChooserBlock):
        return [Link(field, PAGE, str(value))] if isinstance(value, int | str) else []
    if isinstance(block, DocumentChooserBlock):
        return [Link(field, DOCUMENT, str(value))] if isinstance(value, int | str) else []
    if isinstance(block, blocks.URLBlock):
        return [Link(field, URL, value.strip())] if isinstance(value, str) and value.strip() else []
    if isinstance(block, blocks.StreamBlock):
        links = []
        for child in value if isinstance(value, list) else []:
            child_block = block.child_blocks.get(child.get("type")) if isinstance(child, dict) else None
            if child_block is not None:
                links += block_links(child_block, child.get("value"), field)
        return links
    if isinstance(block, blocks.StructBlock):
        links = []
        if isinstance(value, dict):
            for name, child_block in block.child_blocks.items():
                links += block_links(child_block, value.get(name), field)
        return links
    if isinstance(block, blocks.ListBlock):
        links = []
        for item in value if isinstance(value, list) else []:
            links += block_links(block.child_block, _stream_item_value(item), field)
        return links
    if isinstance(block, blocks.CharBlock | blocks.TextBlock) and isinstance(value, str):
        text = value.strip()
        if text.lower().startswith(URL_PREFIXES) and not any(ch.isspace() for ch in text):
            return [Link(field, URL, text)]
    return []


def _is_page_fk(field) -> bool:
    return isinstance(field, models.ForeignKey) and issubclass(field.related_model, Page)


def _is_document_fk(field) -> bool:
    return isinstance(field, models.ForeignKey) and issubclass(field.related_model, get_document_model())


@dataclass(frozen=True)
class FieldPlan:
    name: str
    label: str
    kind: str  # "stream", "richtext", "url", "document", "page"
    field: models.Field


def _label(field) -> str:
    return force_str(field.verbose_name)


def _field_plans(model, *, inline: bool) -> list[FieldPlan]:
    plans = []
    for field in model._meta.get_fields():
        if not getattr(field, "concrete", False) or field.auto_created:
            continue
        if isinstance(field, ParentalKey):
            continue
        if isinstance(field, StreamField):
            plans.append(FieldPlan(field.name, _label(field), "stream", field))
        elif isinstance(field, RichTextField):
            plans.append(FieldPlan(field.name, _label(field), "richtext", field))
        elif isinstance(field, models.URLField):
            plans.append(FieldPlan(field.name, _label(field), "url", field))
        elif _is_document_fk(field):
            plans.append(FieldPlan(field.name, _label(field), "document", field))
        elif inline and _is_page_fk(field):
            plans.append(FieldPlan(field.name, _label(field), "page", field))
    if not inline:
        # Page's own fields (search description, SEO title …) hold no links.
        page_fields = {field.name for field in Page._meta.get_fields()}
        plans = [plan for plan in plans if plan.name not in page_fields]
    return plans


@dataclass(frozen=True)
class ModelPlan:
    fields: list[FieldPlan]
    inlines: list[tuple[str, list[FieldPlan]]]  # (accessor name, its fields)

    @property
    def empty(self) -> bool:
        return not self.fields and not any(fields for _name, fields in self.inlines)


@cache
def plan_for(model) -> ModelPlan:
    """Which fields of a page type (and of its inline objects) can hold links."""
    inlines = []
    for relation in model._meta.related_objects:
        if isinstance(relation.field, ParentalKey) and relation.field.model is not model:
            fields = _field_plans(relation.related_model, inline=True)
            if fields:
                inlines.append((relation.get_accessor_name(), fields))
    return ModelPlan(_field_plans(model, inline=False), inlines)


def _value_links(obj, plan: FieldPlan) -> list[Link]:
    if plan.kind == "stream":
        stream = getattr(obj, plan.name)
        raw = list(stream.raw_data) if stream is not None else []
        return block_links(plan.field.stream_block, raw, plan.label)
    if plan.kind == "richtext":
        return rich_text_links(getattr(obj, plan.name) or "", plan.label)
    if plan.kind == "url":
        value = (getattr(obj, plan.name) or "").strip()
        return [Link(plan.label, URL, value)] if value else []
    value = getattr(obj, plan.field.attname)
    if value is None:
        return []
    return [Link(plan.label, DOCUMENT if plan.kind == "document" else PAGE, str(value))]


def page_links(page) -> list[Link]:
    """Every link of a (specific) page, its inline objects included (prefetch them)."""
    plan = plan_for(type(page))
    links = []
    for field_plan in plan.fields:
        links += _value_links(page, field_plan)
    for accessor, fields in plan.inlines:
        for obj in getattr(page, accessor).all():
            for field_plan in fields:
                links += _value_links(obj, field_plan)
    return links
