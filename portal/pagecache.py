"""Page cache for anonymous visitors (issue #10).

``PageCacheMiddleware`` keeps whole HTML responses in the Django cache (Redis when
``REDIS_URL`` is set, so every gunicorn worker and machine shares it) for
``PAGE_CACHE_SECONDS``. A response is stored only when all of these hold:

* the request is a GET or HEAD without a session or messages cookie (editors, previews,
  password-protected pages and anyone with a flash message always get a fresh page);
* the response is a 200 ``text/html`` (or XML: the sitemap, RSS feeds) the view did not give
  its own ``Cache-Control`` (so ``never_cache`` views — forms, the letter lookup, the
  interview console — are never stored), sets no cookie and used no CSRF token;
* the view did not opt out with :func:`exempt` (search logs every query; a live
  interview's transcript changes every few seconds).

The key is the site, the language, the accessibility-mode cookie (the elderly and
high-contrast modes are rendered on the server) and the full URL; the entry carries two
version numbers, one for the whole cluster and one per site, and counts only while both are
current (a hit is one round trip: both versions and the entry in one ``get_many``).
Purging is bumping a version (``cache.incr``, atomic in Redis): publishing, unpublishing or deleting a page bumps its
site and every site with a page that refers to it (Wagtail's reference index); an image, a
document or a snippet whose app declared where it shows (:func:`shown_on`) bumps the sites of
the pages that show it; moving a page, saving another snippet, a Site or a generic setting
bumps the cluster; a site setting bumps its site. A stale entry is overwritten by the next render.

Cached responses carry an ``ETag`` and ``Cache-Control: public, max-age=0,
s-maxage=PAGE_CACHE_PROXY_SECONDS``: browsers revalidate (a 304 from the cache), a proxy
or CDN may keep the page briefly. Responses that are not cacheable and carry no policy of
their own get ``Cache-Control: private, no-cache``. ``X-Page-Cache: hit|miss`` tells which
path served a page.

When the cache does not answer (Redis down), pages are served without it: the lookup raises
``portal.cache.CacheUnavailable`` (it reads through :func:`portal.cache.strict`), the middleware
renders the page and stores nothing, and ``portal/sitedata.py`` loads the site data per request
instead of trusting version numbers it could not read. Purges issued meanwhile are dropped, so
the first time a process that saw the outage reaches the cache again, it purges the cluster
(a Redis that was only out of reach still holds the pages of before).

What purges what is connected in ``portal/signal_handlers.py`` (pages, snippets, images,
documents, settings); an app whose own records show on pages purges from its own
``signal_handlers.py`` (correspondence: published letters; interviews: the live state).
"""

import hashlib
import logging
import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import transaction
from django.db.models import BigIntegerField, Q
from django.db.models.functions import Cast
from django.http import HttpResponse, HttpResponseNotModified
from django.utils.cache import patch_cache_control
from django.utils.translation import get_language_from_path
from modelcluster.fields import ParentalKey
from wagtail.images.models import AbstractRendition
from wagtail.models import Page, ReferenceIndex, Site

from portal import accessibility
from portal.cache import outages, strict

logger = logging.getLogger(__name__)

GLOBAL_VERSION = "pagecache:v:global"
CACHEABLE_TYPES = ("text/html", "application/xml", "application/rss+xml")
SKIP_PREFIXES = ("/admin/", "/django-admin/", "/static/", "/media/", "/documents/", "/captcha/")
STORED_HEADERS_SKIP = {"set-cookie", "x-page-cache"}


def _site_version_key(site_id) -> str:
    return f"pagecache:v:site:{site_id}"


def _incr(key: str) -> None:
    try:
        cache.incr(key)
    except ValueError:  # never set, or evicted: start from a value no old entry can carry
        cache.set(key, time.time_ns(), None)


def _bump(key: str) -> None:
    """Now, and again when the transaction commits: a page another worker renders from the
    old rows between the two (the save is not committed yet) is stored under the first new
    version and so never served once the second one is in place."""
    _incr(key)
    transaction.on_commit(lambda: _incr(key))


def purge_all() -> None:
    """Every cached page of every site."""
    _bump(GLOBAL_VERSION)


def purge_site(site_id) -> None:
    _bump(_site_version_key(site_id))


def purge_page(page) -> None:
    """The page's site and every site with a page that refers to it."""
    site_ids = set()
    site = page.get_site()
    if site is None:
        purge_all()
        return
    site_ids.add(site.pk)
    referrers = ReferenceIndex.get_references_to(page).filter(base_content_type=ContentType.objects.get_for_model(Page))
    referring_pages = Page.objects.filter(pk__in=[int(pk) for pk in referrers.values_list("object_id", flat=True)])
    for referrer in referring_pages:
        other = referrer.get_site()
        if other is not None:
            site_ids.add(other.pk)
    for site_id in site_ids:
        purge_site(site_id)


def purge_shown(obj) -> None:
    """The pages that show ``obj`` (an image, a document): the sites of the pages that refer
    to it (Wagtail's reference index: fields, StreamField blocks, rich text) and of the pages
    that refer to those. The whole cluster when a record the index does not cover holds it
    (the 党政机关网站标识 of a site identity …) or when anything but a page refers to it; nothing
    when nothing does (a new upload is shown nowhere yet)."""
    reverse = [f for f in type(obj)._meta.get_fields(include_hidden=True) if f.auto_created and not f.concrete]
    for relation in reverse:  # related_name="+" too: SiteIdentity.gov_mark
        holder = relation.related_model
        if relation.many_to_many or issubclass(holder, AbstractRendition) or _indexed(holder):
            continue
        if holder._default_manager.filter(**{relation.field.name: obj}).exists():
            purge_all()
            return
    references = ReferenceIndex.get_references_to(obj)
    page_type = ContentType.objects.get_for_model(Page)
    if references.exclude(base_content_type=page_type).exists():
        purge_all()
        return
    ids = {int(pk) for pk in references.values_list("object_id", flat=True)}
    for page in Page.objects.filter(pk__in=ids):
        purge_page(page)


_showing: dict[type, Callable] = {}


def shown_on(model, pages_of: Callable) -> None:
    """Declare where a record of ``model`` (a snippet) is shown: ``pages_of(record)`` gives those
    pages as a ``Page`` queryset. Saving, publishing or deleting one then purges the sites of
    those pages, and of the pages that refer to them, as they were before the change and as
    they are after it, instead of the cluster (``portal/signal_handlers.py``). An app declares
    its own models, from its ``ready()``. ``pages_of`` reads the record's own relations through
    the record (a ClusterableModel's are still in memory when ``post_save`` runs)."""
    _showing[model] = pages_of


def declares_pages(model) -> bool:
    """Whether ``model``'s app said where its records are shown (:func:`shown_on`); a snippet
    that does not is taken to be shown anywhere (its saves purge the cluster)."""
    return model in _showing


def pages_showing(record):
    """The pages declared to show ``record`` (a ``Page`` queryset)."""
    return _showing[type(record)](record)


def purge_pages(pages) -> None:
    """The sites of ``pages`` (a ``Page`` queryset) and of the pages that refer to them (a
    city's local guide refers to the province's guide): three queries, however many pages, and
    the sites matched on Wagtail's table of site root paths (kept in the cache)."""
    referrers = ReferenceIndex.get_references_to_in_bulk(pages).filter(
        base_content_type=ContentType.objects.get_for_model(Page)
    )
    shown = Page.objects.filter(
        Q(pk__in=pages.values("pk")) | Q(pk__in=referrers.values_list(Cast("object_id", BigIntegerField())))
    )
    roots: dict[str, set[int]] = {}
    for root in Site.get_site_root_paths():
        roots.setdefault(root.root_path, set()).add(root.site_id)
    site_ids = set()
    for url_path in shown.values_list("url_path", flat=True).distinct():
        parts = url_path.split("/")[1:-1]
        for length in range(len(parts), 0, -1):  # the deepest site root above the page
            found = roots.get("/" + "/".join(parts[:length]) + "/")
            if found:
                site_ids |= found
                break
    for site_id in sorted(site_ids):
        purge_site(site_id)


def _indexed(model) -> bool:
    """The reference index covers the model, or its rows as part of their page (an inline:
    an article's attachments are indexed as the article's references)."""
    if ReferenceIndex.is_indexed(model):
        return True
    return any(isinstance(f, ParentalKey) and ReferenceIndex.is_indexed(f.related_model) for f in model._meta.fields)


def exempt(response):
    """Keep a response out of the page cache (and out of shared caches downstream)."""
    response.page_cache_exempt = True
    return response


_outages_seen = 0


def _purge_after_outage(store) -> None:
    """Purge the cluster once after each outage this process saw (its purges were dropped);
    raises ``CacheUnavailable`` while the cache is still away."""
    global _outages_seen
    seen = outages(cache)
    if seen != _outages_seen:
        try:
            store.incr(GLOBAL_VERSION)
        except ValueError:  # an empty Redis (restarted): no old entry to fear
            store.set(GLOBAL_VERSION, time.time_ns(), None)
        logger.warning("page cache purged after the cache was unavailable")
        _outages_seen = seen


def _versions(site_id=None) -> tuple[int, int | None]:
    store = strict(cache)
    keys = [GLOBAL_VERSION] + ([_site_version_key(site_id)] if site_id is not None else [])
    found = store.get_many(keys)
    missing = [key for key in keys if key not in found]
    for key in missing:
        store.add(key, time.time_ns(), None)
    if missing:
        found = store.get_many(keys)
    return found.get(GLOBAL_VERSION, 0), (found.get(keys[1], 0) if site_id is not None else None)


class _SiteMap:
    """host:port → site id, remembered per process until the cluster version changes
    (saving a Site bumps it)."""

    def __init__(self):
        self.version = None
        self.sites: dict[str, int] = {}

    def known(self, request) -> int | None:
        """The site id remembered for this host (valid only while ``self.version`` is current)."""
        return self.sites.get(request.get_host().lower())

    def lookup(self, request, version) -> int | None:
        if version != self.version:
            self.version, self.sites = version, {}
        host = request.get_host().lower()
        if host not in self.sites:
            site = Site.find_for_request(request)
            if site is None:
                return None
            if len(self.sites) > 1000:
                self.sites.clear()
            self.sites[host] = site.pk
        return self.sites[host]


_site_map = _SiteMap()


def current_versions(request) -> tuple[int, int, int] | None:
    """The cluster's version, the request's site and its version (None when no site
    serves the host); looked up once per request."""
    cached = getattr(request, "_page_cache_versions", False)
    if cached is not False:
        return cached
    _purge_after_outage(strict(cache))
    # A host seen before: both versions in one round trip, and the remembered site holds
    # if the cluster version has not moved since (otherwise look the site up again).
    site_id = _site_map.known(request)
    if site_id is not None:
        global_version, site_version = _versions(site_id)
        if global_version != _site_map.version:
            site_id = None
    if site_id is None:
        global_version, _ = _versions()
        site_id = _site_map.lookup(request, global_version)
        if site_id is not None:
            global_version, site_version = _versions(site_id)
    request._page_cache_versions = (global_version, site_id, site_version) if site_id is not None else None
    return request._page_cache_versions


def entry_key(request, site_id) -> str:
    """Where this request's page is kept: by site, language, display mode and URL. The
    entry holds the two version numbers it was rendered under and counts only while they
    are current, so a purge makes it a miss and the next render overwrites it."""
    language = get_language_from_path(request.path_info) or settings.LANGUAGE_CODE
    mode = ".".join(accessibility.parse(request.COOKIES.get(accessibility.COOKIE))) or "-"
    url = hashlib.sha256(request.get_full_path().encode()).hexdigest()[:32]
    return f"pagecache:page:{site_id}:{language}:{mode}:{url}"


def lookup(request) -> tuple[str | None, tuple | None]:
    """(entry key, stored response or None); the key is None when no site serves the host.

    For a host seen before, the two version numbers and the entry come back in one round
    trip to the cache; that is the whole cost of a hit. Raises ``CacheUnavailable`` when the
    cache does not answer."""
    store = strict(cache)
    _purge_after_outage(store)
    site_id = _site_map.known(request)
    if site_id is not None:
        key = entry_key(request, site_id)
        site_key = _site_version_key(site_id)
        found = store.get_many([GLOBAL_VERSION, site_key, key])
        global_version, site_version = found.get(GLOBAL_VERSION), found.get(site_key)
        if global_version is not None and site_version is not None and global_version == _site_map.version:
            request._page_cache_versions = (global_version, site_id, site_version)
            return key, _current(found.get(key), global_version, site_version)
    versions = current_versions(request)
    if versions is None:
        return None, None
    global_version, site_id, site_version = versions
    key = entry_key(request, site_id)
    return key, _current(store.get(key), global_version, site_version)


def _current(stored, global_version, site_version) -> tuple | None:
    if stored is None or stored[0] != global_version or stored[1] != site_version:
        return None
    return stored[2:]


def _request_cacheable(request) -> bool:
    if request.method not in ("GET", "HEAD"):
        return False
    if settings.SESSION_COOKIE_NAME in request.COOKIES or "messages" in request.COOKIES:
        return False
    return not request.path_info.startswith(SKIP_PREFIXES)


def _response_cacheable(request, response) -> bool:
    return (
        response.status_code == 200
        and not response.streaming
        and response.get("Content-Type", "").startswith(CACHEABLE_TYPES)
        and "Cache-Control" not in response
        and not getattr(response, "page_cache_exempt", False)
        and not response.cookies
        # A CSRF token in the page means a form for this visitor. (Vary: Cookie alone is no
        # reason to skip: SessionMiddleware adds it whenever the empty session is looked at,
        # and it stays on the stored page so shared caches downstream keep variants apart.)
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
    )


def _public_headers(request, response) -> None:
    personal = request.COOKIES.get(accessibility.COOKIE)
    if personal:  # a visitor's own display mode: only their browser may keep it
        patch_cache_control(response, private=True, max_age=0)
    else:
        patch_cache_control(response, public=True, max_age=0, s_maxage=settings.PAGE_CACHE_PROXY_SECONDS)


def _rebuild(stored) -> HttpResponse:
    status, headers, content = stored
    response = HttpResponse(content, status=status)
    for name, value in headers:
        response[name] = value
    return response


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        seconds = settings.PAGE_CACHE_SECONDS
        key = stored = None
        if seconds and _request_cacheable(request):
            try:
                key, stored = lookup(request)
            except Exception:  # a bad Host header, an unreachable cache: serve without the cache
                logger.debug("page cache bypassed", exc_info=True)
                key = stored = None
        if stored is not None:
            response = _rebuild(stored)
            if request.headers.get("If-None-Match") == response["ETag"]:
                not_modified = HttpResponseNotModified()
                for name in ("ETag", "Cache-Control", "Content-Language"):
                    if name in response:
                        not_modified[name] = response[name]
                return not_modified
            response["X-Page-Cache"] = "hit"
            return response

        response = self.get_response(request)

        if key is not None and _response_cacheable(request, response):
            global_version, _, site_version = request._page_cache_versions
            response["ETag"] = f'"{hashlib.md5(response.content, usedforsecurity=False).hexdigest()}"'
            _public_headers(request, response)
            headers = [(name, value) for name, value in response.items() if name.lower() not in STORED_HEADERS_SKIP]
            cache.set(key, (global_version, site_version, response.status_code, headers, response.content), seconds)
            response["X-Page-Cache"] = "miss"
        elif "Cache-Control" not in response and response.get("Content-Type", "").startswith("text/html"):
            patch_cache_control(response, private=True, no_cache=True)
        return response
