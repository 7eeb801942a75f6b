"""Punctuation in the page's language (``portal/punctuation.py``): full-width marks on Chinese
pages, ASCII ones with their spaces on English pages.

    {% load punctuation %}
    {% translate "责任编辑" %}{% punct "：" %}{{ page.editor }}    责任编辑：… / Editor: …
    {{ type.label }}{{ count|parens }}                            本站（2） / This site (2)
    {{ page.audience_labels|series }}                            个人、企业 / Individuals, Legal entities
"""

from django import template

from portal import punctuation

register = template.Library()


@register.simple_tag
def punct(mark: str) -> str:
    return punctuation.punct(mark)


@register.filter(is_safe=True)
def parens(value):
    return punctuation.parens(value)


@register.filter(is_safe=True)
def series(items):
    return punctuation.series(items)
