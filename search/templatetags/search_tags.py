from django import template
from django.utils.http import urlencode

register = template.Library()


@register.simple_tag
def search_params(**params):
    """A query string for a results link (``q``, ``scope``, ``type``); empty values left out,
    ``scope=site`` (the default) too."""
    return urlencode({key: value for key, value in params.items() if value and (key, value) != ("scope", "site")})
