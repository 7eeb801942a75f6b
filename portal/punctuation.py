"""Punctuation in the page's language. Chinese text takes the full-width marks （）：，、；。
with no spaces around them; English text the ASCII marks, followed by a space, and a space
before an opening parenthesis. Templates use the ``punctuation`` tag library
(``{% punct "：" %}``, ``|parens``, ``|series``); code that composes text calls these."""

from django.conf import settings
from django.utils import translation
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe

WESTERN = {"：": ": ", "，": ", ", "、": ", ", "；": "; ", "。": ". ", "！": "! ", "？": "? ", "（": " (", "）": ")"}


def chinese() -> bool:
    """Is the active language Chinese (the portal's source language)?"""
    return (translation.get_language() or settings.LANGUAGE_CODE).lower().startswith("zh")


def punct(mark: str) -> str:
    """A full-width mark as written in the active language: "：" or ": "."""
    return mark if chinese() else WESTERN.get(mark, mark)


def parens(value) -> SafeString:
    """``value`` in brackets after the text before it: "（value）" or " (value)" (escaped)."""
    return format_html("（{}）", value) if chinese() else format_html(" ({})", value)


def series(items) -> SafeString:
    """Items one after another: "个人、企业" or "Individuals, Legal entities" (escaped)."""
    return mark_safe(punct("、").join(str(conditional_escape(item)) for item in items))
