"""The visit counter's request path and its counters in the cache.

**What counts** (:func:`counts`): a ``GET`` answered ``200`` with an HTML page (or ``304``, a
browser revisiting a cached page), on a site of the cluster, served from the page cache or
rendered. Not: ``HEAD`` or any other method, the admin (``/admin/``, ``/django-admin/``),
static files, media, documents, the captcha (``portal.pagecache.SKIP_PREFIXES``; static files
and the health checks are answered before this middleware anyway), errors (404, 429 …),
redirects, XML (sitemap, feeds), a browser's prefetch (``Sec-Purpose``/``Purpose: prefetch``)
and obvious robots: a ``User-Agent`` containing ``bot``, ``spider`` or ``crawl`` (any case:
Baiduspider, Googlebot, bingbot, Sogou web spider, YisouSpider, 360Spider, Bytespider …).
A request without a User-Agent is counted.

**No database on the request path, and almost no cache either.** A counted request adds one
to an in-process tally per site and day and a 64-bit hash of the visitor to an in-process set
(under one lock: microseconds). A background thread per worker process pushes the tallies to
the shared cache every ``VISITS_PUSH_SECONDS`` (2 s), sooner once ``PUSH_BATCH`` views wait,
and at exit; ``manage.py flush_visits`` (cron) moves them from the cache into ``DailyVisits``
(``services.flush``). ``VISITS_PUSH_SECONDS = 0`` pushes on the request itself (the tests).

**Privacy.** The visitor's hash is a keyed BLAKE2b of address and User-Agent with a salt made
for the day (one per day for the whole cluster, kept in the cache, gone two days later), cut to
64 bits. Only these hashes reach the cache, inside a HyperLogLog (Redis's ``PFADD`` with
``REDIS_URL``, else :mod:`visits.sketch`'s registers); no address, User-Agent or cookie is
written anywhere, and once the salt is gone a hash cannot be tied to an address even by trying
every address. A visitor is so counted once a day per site: distinct visitors of a longer
period are the sum of the days' (see ``queries``).

**In the cache** (``KEEP_SECONDS``, three days): ``visits:v:<site>:<yyyymmdd>`` the views
not yet flushed (an integer: ``INCRBY`` in, an atomic take out), ``visits:u:<site>:<yyyymmdd>``
the day's distinct-visitor sketch, ``visits:salt:<yyyymmdd>``.

**When the cache is down** a push keeps its tallies for the next try (views always; visitor
hashes up to ``MAX_PENDING_DIGESTS``), so a short Redis outage loses no view. A worker killed
with ``SIGKILL`` loses what it had not pushed yet (at most ``VISITS_PUSH_SECONDS`` of its
views).
"""

from __future__ import annotations

import atexit
import datetime
import hashlib
import logging
import os
import secrets
import threading
import time

from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCache
from django.utils import timezone

from portal import pagecache
from portal.cache import CacheUnavailable, strict
from portal.ratelimit import client_ip

from . import sketch

logger = logging.getLogger(__name__)

KEEP_SECONDS = 3 * 24 * 3600  # counters and sketches: flushed long before; a day's salt: 2 days
SALT_SECONDS = 2 * 24 * 3600
PUSH_BATCH = 2_000  # views waiting in a process that wake the pusher before its interval
MAX_PENDING_DIGESTS = 200_000  # visitor hashes kept through a cache outage, per process
ROBOTS = ("bot", "spider", "crawl")
SKIP_PREFIXES = pagecache.SKIP_PREFIXES


# ---- what counts --------------------------------------------------------------------------


def counts_request(request) -> bool:
    """The request side of :func:`counts` (checked before the page is served)."""
    if request.method != "GET" or request.path_info.startswith(SKIP_PREFIXES):
        return False
    meta = request.META
    if meta.get("HTTP_SEC_PURPOSE", "").startswith("prefetch") or meta.get("HTTP_PURPOSE") == "prefetch":
        return False
    agent = meta.get("HTTP_USER_AGENT", "").lower()
    return not any(word in agent for word in ROBOTS)


def counts_response(request, response) -> bool:
    status = response.status_code
    if status == 200:
        return response.get("Content-Type", "").startswith("text/html")
    # A browser revalidating a page it has (the page cache's ETag): a view of that page.
    return status == 304 and "text/html" in request.META.get("HTTP_ACCEPT", "")


def counts(request, response) -> bool:
    return counts_request(request) and counts_response(request, response)


def site_id_of(request) -> int | None:
    """The request's site, as the page cache or the site data already found it (no query)."""
    versions = getattr(request, "_page_cache_versions", None)
    if versions:
        return versions[1]
    site = getattr(request, "_wagtail_site", None)
    return site.pk if site is not None else None


# ---- days and salts -------------------------------------------------------------------------


class _Clock:
    """Today's date in the portal's time zone, recomputed only when the day may have changed."""

    def __init__(self):
        self.day: datetime.date | None = None
        self.until = 0.0

    def today(self) -> datetime.date:
        now = time.time()
        if now >= self.until:
            local = timezone.localtime()
            self.day = local.date()
            midnight = (local + datetime.timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
            self.until = min(midnight.timestamp(), now + 60)  # DST-proof: at least once a minute
        return self.day


_clock = _Clock()


def day_code(day: datetime.date) -> str:
    return day.strftime("%Y%m%d")


def views_key(site_id: int, day: datetime.date) -> str:
    return f"visits:v:{site_id}:{day_code(day)}"


def visitors_key(site_id: int, day: datetime.date) -> str:
    return f"visits:u:{site_id}:{day_code(day)}"


def salt_key(day: datetime.date) -> str:
    return f"visits:salt:{day_code(day)}"


class _Salts:
    """The day's salt, shared by every process through the cache (the first to ask makes it).
    While the cache does not answer, a process uses a salt of its own for a minute at a time
    (a visitor seen by two workers then counts twice: better than not at all)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.day: datetime.date | None = None
        self.salt = b""
        self.retry_at = 0.0

    def for_day(self, day: datetime.date) -> bytes:
        if day == self.day and (not self.retry_at or time.monotonic() < self.retry_at):
            return self.salt
        with self.lock:
            if day == self.day and (not self.retry_at or time.monotonic() < self.retry_at):
                return self.salt
            try:
                store = strict(cache)
                store.add(salt_key(day), secrets.token_hex(16), SALT_SECONDS)
                shared = store.get(salt_key(day))
            except CacheUnavailable:
                shared = None
            if shared:
                self.salt, self.retry_at = shared.encode(), 0.0
            else:
                self.salt, self.retry_at = secrets.token_bytes(16), time.monotonic() + 60
            self.day = day
            return self.salt

    def forget(self) -> None:
        with self.lock:
            self.day, self.salt, self.retry_at = None, b"", 0.0


salts = _Salts()


def visitor_digest(salt: bytes, address: str, agent: str) -> bytes:
    """64 bits of a keyed BLAKE2b of the visitor's address and User-Agent: the same visitor
    gives the same digest all day, and nothing can be read back from it."""
    return hashlib.blake2b(f"{address}\n{agent}".encode(errors="replace"), key=salt, digest_size=8).digest()


# ---- the in-process tally -------------------------------------------------------------------


class Tally:
    """Views and visitor digests per (site id, day) not yet pushed to the cache."""

    def __init__(self):
        self.lock = threading.Lock()
        self.views: dict[tuple[int, datetime.date], int] = {}
        self.digests: dict[tuple[int, datetime.date], set[bytes]] = {}
        self.waiting = 0

    def add(self, site_id: int, day: datetime.date, digest: bytes) -> int:
        key = (site_id, day)
        with self.lock:
            self.views[key] = self.views.get(key, 0) + 1
            found = self.digests.get(key)
            if found is None:
                self.digests[key] = {digest}
            else:
                found.add(digest)
            self.waiting += 1
            return self.waiting

    def take(self):
        with self.lock:
            views, digests = self.views, self.digests
            self.views, self.digests, self.waiting = {}, {}, 0
        return views, digests

    def give_back(self, views, digests) -> None:
        """What a push could not write, for the next one (hashes beyond the cap are dropped:
        the views are what must not be lost)."""
        with self.lock:
            for key, count in views.items():
                self.views[key] = self.views.get(key, 0) + count
                self.waiting += count
            room = MAX_PENDING_DIGESTS - sum(len(found) for found in self.digests.values())
            for key, found in digests.items():
                if room <= 0:
                    break
                kept = found if len(found) <= room else set(list(found)[:room])
                self.digests.setdefault(key, set()).update(kept)
                room -= len(kept)


tally = Tally()


def record(request) -> None:
    """Count this request's page view (the caller checked :func:`counts`)."""
    site_id = site_id_of(request)
    if site_id is None:
        return
    day = _clock.today()
    digest = visitor_digest(salts.for_day(day), client_ip(request), request.META.get("HTTP_USER_AGENT", ""))
    waiting = tally.add(site_id, day, digest)
    seconds = settings.VISITS_PUSH_SECONDS
    if not seconds:
        push()
    else:
        pusher.ensure_running(seconds)
        if waiting >= PUSH_BATCH:
            pusher.wake()


# ---- the cache side -------------------------------------------------------------------------


class CacheStore:
    """Any Django cache: views with ``add`` and ``incr`` (atomic in every backend that can be
    shared), visitors in :mod:`visits.sketch` registers read, merged and written back under a
    lock of this process (exact for local memory, the one other backend the portal runs on)."""

    lock = threading.Lock()

    def __init__(self, backend):
        self.backend = strict(backend)

    def push(self, views, digests) -> None:
        for (site_id, day), count in views.items():
            self._incr(views_key(site_id, day), count)
        for (site_id, day), found in digests.items():
            key = visitors_key(site_id, day)
            with self.lock:
                registers = bytearray(self.backend.get(key) or sketch.empty())
                for digest in found:
                    sketch.add(registers, digest)
                self.backend.set(key, bytes(registers), KEEP_SECONDS)

    def _incr(self, key: str, count: int) -> None:
        for _ in range(3):
            self.backend.add(key, 0, KEEP_SECONDS)
            try:
                self.backend.incr(key, count)
                return
            except ValueError:  # expired between the two: add it again
                continue

    def take_views(self, keys: list[str]) -> dict[str, int]:
        """Each key's views, subtracted from it (atomically per key: views pushed meanwhile
        stay for the next flush). Callers hold the flush lock (two takers would both read)."""
        taken = {}
        for key, value in self.backend.get_many(keys).items():
            if value:
                self.backend.incr(key, -value)
                taken[key] = value
        return taken

    def give_back(self, key: str, count: int) -> None:
        self._incr(key, count)

    def count_visitors(self, keys: list[str]) -> dict[str, int]:
        return {key: sketch.estimate(found) for key, found in self.backend.get_many(keys).items()}


class RedisStore:
    """Redis: one pipelined ``MULTI`` per push (``INCRBY`` and ``PFADD``, each with its
    ``EXPIRE``), ``GETSET key 0`` to take views (atomic: two flushers never take the same
    view), ``PFCOUNT`` for visitors."""

    def __init__(self, backend):
        self.backend = backend
        self.client = backend._cache.get_client(write=True)
        self.key = backend.make_and_validate_key

    def _run(self, build):
        pipe = self.client.pipeline(transaction=True)
        build(pipe)
        try:
            return pipe.execute()
        except (self.backend._cache._lib.ConnectionError, self.backend._cache._lib.TimeoutError) as error:
            raise CacheUnavailable(str(error)) from error

    def push(self, views, digests) -> None:
        def build(pipe):
            for (site_id, day), count in views.items():
                key = self.key(views_key(site_id, day))
                pipe.incrby(key, count)
                pipe.expire(key, KEEP_SECONDS)
            for (site_id, day), found in digests.items():
                key = self.key(visitors_key(site_id, day))
                pipe.pfadd(key, *found)
                pipe.expire(key, KEEP_SECONDS)

        if views or digests:
            self._run(build)

    def take_views(self, keys: list[str]) -> dict[str, int]:
        values = self._run(lambda pipe: [pipe.getset(self.key(key), 0) for key in keys])
        return {key: int(value) for key, value in zip(keys, values, strict=True) if value and int(value)}

    def give_back(self, key: str, count: int) -> None:
        self._run(lambda pipe: (pipe.incrby(self.key(key), count), pipe.expire(self.key(key), KEEP_SECONDS)))

    def count_visitors(self, keys: list[str]) -> dict[str, int]:
        values = self._run(lambda pipe: [pipe.pfcount(self.key(key)) for key in keys])
        return {key: int(value) for key, value in zip(keys, values, strict=True) if value}


def store():
    backend = caches["default"]  # (``cache`` is a proxy: isinstance would not see the backend)
    return RedisStore(backend) if isinstance(backend, RedisCache) else CacheStore(backend)


_push_lock = threading.Lock()


def push() -> bool:
    """Write this process's tally to the cache; False (the tally kept) when the cache is down."""
    with _push_lock:  # one push at a time per process: a failed one gives back before the next
        views, digests = tally.take()
        if not views:
            return True
        try:
            store().push(views, digests)
        except CacheUnavailable:
            tally.give_back(views, digests)
            return False
        except Exception:
            tally.give_back(views, digests)
            logger.exception("visit counter: push failed")
            return False
        return True


class Pusher:
    """One daemon thread per process (started by the first counted view in it, so after
    gunicorn forks its workers) that pushes the tally every few seconds, and once at exit."""

    def __init__(self):
        self.pid = None
        self.event = threading.Event()
        self.lock = threading.Lock()

    def ensure_running(self, seconds: float) -> None:
        if self.pid == os.getpid():
            return
        with self.lock:
            if self.pid == os.getpid():
                return
            self.pid, self.event = os.getpid(), threading.Event()
            threading.Thread(target=self._loop, args=(seconds,), name="visits-pusher", daemon=True).start()
            atexit.register(push)

    def wake(self) -> None:
        self.event.set()

    def _loop(self, seconds: float) -> None:
        while True:
            self.event.wait(seconds)
            self.event.clear()
            push()


pusher = Pusher()
