"""What nearly every page shows about its site, remembered per process between edits.

Every page needs the same few things before it renders a word of its own: the ``Site`` for
the host, the site's identity (name, footer, links: ``SiteIdentity``), the paths of
restricted pages (listings leave them out), the top-level menu, the rendered footer (with
the cluster's other sites), and for each page its breadcrumb trail (kept per parent) and
its version in the other language. They change only when staff save something, and every
such save already bumps the page cache's version numbers (``portal/pagecache.py``: the
cluster's and the site's). ``SiteDataMiddleware`` keeps them per process under those versions and
the page's language, and hands them to the request where the code that needs them looks
first (``request._wagtail_site``, ``SiteIdentity``'s per-request attribute, and and
:func:`remember`, which ``portal.navigation`` and ``portal.languages`` call). After a save,
the next request sees new version numbers and loads them afresh, in every worker.

This is not the page cache: it is on for every visitor, editors included, and with
``PAGE_CACHE_SECONDS=0``; a page rendered without the page cache (a form, an editor's
view, a search) costs eight queries less. ``SITE_DATA_CACHE = False`` turns it off.

It is also the one per-request memo: a request without a snapshot (site data off, an admin
URL, an unknown host) gets a :class:`RequestMemo` of its own, so ``remember`` computes a
value at most once per request either way.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from contextvars import ContextVar

from django.conf import settings
from django.core.cache import cache
from django.utils.safestring import mark_safe
from django.utils.translation import get_language_from_path
from wagtail.models import Site

from portal import pagecache
from portal.models import SiteIdentity

logger = logging.getLogger(__name__)

# (versions, site, language) combinations kept per process: a province's cluster of some 140
# sites in two languages fits, and past this the oldest is dropped (not all of them: at 64
# and 140 sites the whole store was emptied every 64 requests to new sites).
MAX_ENTRIES = 512
MAX_PER_NAME = 5_000  # values per name a snapshot keeps (trails per parent page, versions per page)


class RequestMemo:
    """Values computed once for one request (a request without a shared snapshot)."""

    max_per_name: int | None = None

    def __init__(self):
        self._lazy: dict[str, object] = {}

    def get(self, name: str, load):
        """A value computed on first use (by the first request that needs it) and kept."""
        if name not in self._lazy:
            self._lazy[name] = load()
        return self._lazy[name]

    def get_for(self, name: str, key, load):
        """Like ``get``, one value per ``key`` (a page's id: its breadcrumb trail, its other
        language version); a snapshot keeps at most ``MAX_PER_NAME``, later ones are
        computed each time."""
        values = self._lazy.setdefault(name, {})
        if key in values:
            return values[key]
        value = load()
        if self.max_per_name is None or len(values) < self.max_per_name:
            values[key] = value
        return value


class Snapshot(RequestMemo):
    """One site's shared data at one pair of version numbers, in one language, shared by
    every request of a worker process until a save changes the version numbers."""

    max_per_name = MAX_PER_NAME

    def __init__(self, site, language: str, versions: tuple = ()):
        super().__init__()
        self.site = site
        self.language = language
        self.versions = versions  # (cluster version, site id, site version, language)
        self.identity = SiteIdentity.for_site(site)


_snapshots: dict[tuple, Snapshot] = {}
# The request being served with a snapshot, for code that Wagtail calls without the request
# (``PortalPage.get_view_restrictions``).
_current_request: ContextVar = ContextVar("portal_sitedata_request", default=None)
_lock = threading.Lock()


def clear() -> None:
    """Forget everything (tests call this between tests: their database rolls back while
    the cache's version numbers do not)."""
    with _lock:
        _snapshots.clear()


def snapshot_for(request) -> Snapshot | None:
    """This request's snapshot, building it on the first request at these versions."""
    versions = pagecache.current_versions(request)
    if versions is None:
        return None
    global_version, site_id, site_version = versions
    language = get_language_from_path(request.path_info) or settings.LANGUAGE_CODE
    key = (global_version, site_id, site_version, language)
    found = _snapshots.get(key)
    if found is None:
        site = Site.objects.select_related("root_page").filter(pk=site_id).first()
        if site is None:
            return None
        # The home page as its own type (one query per snapshot), so that routing calls its
        # ``route`` and ``localized`` (``portal.pages.PortalPage``) without loading it again.
        site.root_page = site.root_page.specific
        found = Snapshot(site, language, key)
        with _lock:
            # Version numbers only grow: this site's older snapshots in this language are stale.
            for old in [old for old in _snapshots if old[1:2] + old[3:] == (site_id, language)]:
                del _snapshots[old]
            while len(_snapshots) >= MAX_ENTRIES:
                del _snapshots[next(iter(_snapshots))]  # the oldest (dicts keep insertion order)
            _snapshots[key] = found
    return found


def memo(request) -> RequestMemo | None:
    """The request's memo: its site's shared snapshot, else one of its own."""
    if request is None:
        return None
    found = getattr(request, "_portal_memo", None)
    if found is None:
        found = request._portal_memo = RequestMemo()
    return found


def remember(request, name: str, load):
    """``load()``, kept under ``name`` in the request's snapshot (shared by the site's
    requests until the next save) or, without one, for this request (computed each time
    only when there is no request)."""
    kept = memo(request)
    return kept.get(name, load) if kept is not None else load()


def remember_for(request, name: str, key, load):
    """Like ``remember``, one value per ``key`` (see ``RequestMemo.get_for``)."""
    kept = memo(request)
    return kept.get_for(name, key, load) if kept is not None else load()


def remember_shared(request, name: str, key, render) -> str:
    """``render()``, an HTML fragment, kept in the cache (Redis in production: shared by every
    worker) under ``name``, ``key`` and the request's snapshot versions, so that the next save
    anywhere in the site or the cluster replaces it, and for ``CONTENT_CACHE_SECONDS`` at most.
    For what is too large and too many to keep in each worker's snapshot: a page's own
    content. Rendered each time without a snapshot; when Redis does not answer, the cache
    carries on as a miss that stores nothing (``portal/cache.py``), so it is rendered then too."""
    versions = getattr(getattr(request, "_portal_memo", None), "versions", None)
    seconds = getattr(settings, "CONTENT_CACHE_SECONDS", 0)
    if not versions or not seconds:
        return render()
    digest = hashlib.sha256(repr((versions, key)).encode()).hexdigest()[:32]
    cache_key = f"fragment:{name}:{versions[1]}:{digest}"
    found = cache.get(cache_key)
    if found is not None:
        return mark_safe(found)  # noqa: S308 (stored from a template's rendered, escaped output)
    value = render()
    cache.set(cache_key, str(value), seconds)
    return value


class SiteDataMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if getattr(settings, "SITE_DATA_CACHE", True) and not request.path_info.startswith(pagecache.SKIP_PREFIXES):
            try:
                found = snapshot_for(request)
            except Exception:  # a bad Host header, an unreachable cache: load per request
                logger.debug("site data cache bypassed", exc_info=True)
                found = None
            if found is not None:
                request._portal_memo = found
                request._wagtail_site = found.site
                setattr(request, SiteIdentity.get_cache_attr_name(), found.identity)
                token = _current_request.set(request)
                try:
                    return self.get_response(request)
                finally:
                    _current_request.reset(token)
        return self.get_response(request)


def current_request():
    """The request this thread is serving with a site data snapshot, else None."""
    return _current_request.get()
