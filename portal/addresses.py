"""Absolute addresses in pages come from the Wagtail Site, never from the request's ``Host``.

Pages are cached for every visitor (``portal/pagecache.py``, keyed on the site, not the
host), and a proxy may keep them too: an address built from the ``Host`` header
(``request.build_absolute_uri``) would hand whatever one visitor sent — ``localhost:31337``
passes ``ALLOWED_HOSTS`` — to everyone after them. Every absolute address a page, feed or file
carries (meta ``Url``, ``og:url``, JSON-LD, ``hreflang``, the 本页链接 share link, the filing
calendar's ``webcal://`` link, robots.txt's ``Sitemap:``, a feed's own address) is built here
from the request's Site as configured under *Settings → Sites*: its hostname and port, and the
scheme Wagtail derives from the port (``Site.root_url``: 443 is ``https://`` without a port, 80
``http://``, any other port ``http://host:port``). Behind a TLS proxy, give each site port 443.
"""

from __future__ import annotations

from wagtail.models import Site


def site_root_url(request) -> str:
    """``https://tax.example.gov.cn`` for the request's Site (no trailing slash); "" when no
    Site serves the request (nothing is then served but a 404)."""
    site = Site.find_for_request(request) if request is not None else None
    return site.root_url if site is not None else ""


def absolute_url(request, path: str | None = None) -> str:
    """``path`` (by default the request's own path and query string) at the address of the
    request's Site; a path that is already an absolute URL is returned as it is."""
    if path is None:
        path = request.get_full_path()
    if path.startswith(("http://", "https://", "//")):
        return path
    return site_root_url(request) + path


def site_authority(request) -> str:
    """``tax.example.gov.cn`` or ``localhost:8000``: the Site's host and port as a URL
    writes them (for ``webcal://``)."""
    return site_root_url(request).partition("://")[2]
