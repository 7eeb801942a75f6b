"""schema.org JSON-LD: what every page type's data shares (the publisher, the URL).

A page type that search engines should understand defines ``get_structured_data(request)``
returning a plain dict (``home/structured_data.py``: Article, Legislation;
``guides/structured_data.py``: GovernmentService); ``{% structured_data %}`` renders it
safely into ``<script type="application/ld+json">``."""

from __future__ import annotations

from portal.addresses import absolute_url
from portal.models import SiteIdentity

CONTEXT = "https://schema.org"


def publisher(request) -> dict:
    identity = SiteIdentity.for_request(request)
    return {"@type": "GovernmentOrganization", "name": identity.site_name, "url": absolute_url(request, "/")}


def page_url(page, request) -> str:
    return page.get_full_url(request)
