"""``{% structured_data %}``: the page's schema.org JSON-LD, escaped for a <script> element."""

import json

from django import template
from django.utils.safestring import mark_safe

register = template.Library()

# The same escapes Django's json_script uses, so text can never close the <script>.
_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.simple_tag(takes_context=True)
def structured_data(context):
    page = context.get("page")
    request = context.get("request")
    if page is None or request is None or not hasattr(page, "get_structured_data"):
        return ""
    data = page.get_structured_data(request)
    payload = json.dumps(data, ensure_ascii=False, sort_keys=True).translate(_ESCAPES)
    return mark_safe(f'<script type="application/ld+json">{payload}</script>')  # noqa: S308 - escaped above
