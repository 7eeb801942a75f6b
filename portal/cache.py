"""Django's Redis cache, with one ``redis.Redis`` client per connection pool, that carries on
when Redis does not answer.

**One client per pool.** Django's ``RedisCacheClient.get_client`` builds a new ``redis.Redis``
for every cache call (the connection pool is shared, the client object is not); building one
costs about a third of a page-cache hit (measured with cProfile in the page bench). A client
is thread-safe and holds no connection of its own, so one per pool serves every thread of a
worker.

**Tolerant of a dead Redis.** Django's backend raises on a connection error, so a Redis that
stops turns every request that touches the cache into a 500. Here a connection error or a
timeout is logged (once per ``LOG_INTERVAL`` seconds per process, with a count of the calls
that failed since) and the call carries on as if the cache were empty: reads are misses, writes
are dropped, ``add`` adds nothing, ``incr`` counts nothing. After a failure the process stops
asking Redis for ``retry_seconds`` (an OPTION, default 1 s; every call is a miss at once),
then tries again, so a dead Redis costs a worker one failed connection a second, and a Redis
that is back is used again within a second, without a restart. Keep ``socket_connect_timeout``
and ``socket_timeout`` short in the OPTIONS (``portal/settings/base.py``): a Redis that does
not answer at all (a lost machine, a full network queue) then costs that long, not redis-py's
default of 5 s per call.

**For callers that must know.** :func:`strict` gives the same cache raising
:class:`CacheUnavailable` instead (the rate limits, which refuse politely rather than let
everything through; the page cache, which serves without itself rather than trust version
numbers it could not read); :func:`outages` counts this process's outages, so the page cache
can purge what may have changed while its purges could not be written. With any other backend
(local memory in development and tests) both are no-ops.
"""

from __future__ import annotations

import logging
import threading
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient

logger = logging.getLogger(__name__)

LOG_INTERVAL = 60  # seconds between two log lines about the same outage


class CacheUnavailable(Exception):
    """The cache server did not answer (connection refused or lost, or a timeout)."""


class Health:
    """One cache server's state in this process, shared by its threads (Django keeps a backend
    per thread): up, or down since when and until when calls skip it."""

    def __init__(self, name: str, retry_seconds: float):
        self.name, self.retry_seconds = name, retry_seconds
        self.lock = threading.Lock()
        self.down_since: float | None = None
        self.retry_at = 0.0
        self.logged_at = 0.0
        self.failures = 0
        self.outages = 0

    def skip(self) -> bool:
        """Down, and not yet time to try again."""
        return self.down_since is not None and time.monotonic() < self.retry_at

    def failed(self, operation: str, error: Exception) -> None:
        now = time.monotonic()
        with self.lock:
            if self.down_since is None:
                self.down_since, self.outages, self.failures, self.logged_at = now, self.outages + 1, 0, 0.0
            self.failures += 1
            self.retry_at = now + self.retry_seconds
            due = now - self.logged_at >= LOG_INTERVAL
            if due:
                self.logged_at, failures, self.failures = now, self.failures, 0
        if due:
            logger.error(
                "Cache %s unavailable for %.0f s (%s in %s; %d failed calls since the last message): "
                "reads are misses, writes are dropped, public forms refuse; retrying every %s s",
                self.name,
                now - self.down_since,
                type(error).__name__,
                operation,
                failures,
                self.retry_seconds,
            )

    def succeeded(self) -> None:
        if self.down_since is None:
            return
        with self.lock:
            if self.down_since is None:
                return
            seconds, self.down_since = time.monotonic() - self.down_since, None
        logger.warning("Cache %s available again after %.1f s", self.name, seconds)


_health: dict[tuple, Health] = {}
_health_lock = threading.Lock()


def _health_of(servers, retry_seconds: float) -> Health:
    key = (tuple(servers), retry_seconds)
    with _health_lock:
        if key not in _health:
            _health[key] = Health(",".join(_without_password(server) for server in servers), retry_seconds)
        return _health[key]


def _without_password(url: str) -> str:
    scheme, _, rest = url.partition("://")
    return f"{scheme}://{rest.rpartition('@')[2]}" if rest else url


class ReusingRedisCacheClient(RedisCacheClient):
    def __init__(self, servers, *, health: Health | None = None, **options):
        super().__init__(servers, **options)
        self._clients = {}
        self._health = health

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            client = self._clients[index] = self._client(connection_pool=self._get_connection_pool(write))
        return client

    def _guard(self, operation: str, call, *args):
        """``call(*args)``; a connection error or timeout becomes :class:`CacheUnavailable`."""
        health = self._health
        if health is None:
            return call(*args)
        if health.skip():
            raise CacheUnavailable(health.name)
        try:
            result = call(*args)
        except (self._lib.ConnectionError, self._lib.TimeoutError) as error:
            health.failed(operation, error)
            raise CacheUnavailable(health.name) from error
        health.succeeded()
        return result

    def add(self, key, value, timeout):
        return self._guard("add", super().add, key, value, timeout)

    def get(self, key, default):
        return self._guard("get", super().get, key, default)

    def set(self, key, value, timeout):
        return self._guard("set", super().set, key, value, timeout)

    def touch(self, key, timeout):
        return self._guard("touch", super().touch, key, timeout)

    def delete(self, key):
        return self._guard("delete", super().delete, key)

    def get_many(self, keys):
        return self._guard("get_many", super().get_many, keys)

    def has_key(self, key):
        return self._guard("has_key", super().has_key, key)

    def incr(self, key, delta):
        return self._guard("incr", super().incr, key, delta)

    def set_many(self, data, timeout):
        return self._guard("set_many", super().set_many, data, timeout)

    def delete_many(self, keys):
        return self._guard("delete_many", super().delete_many, keys)

    def clear(self):
        return self._guard("clear", super().clear)


class _Strict:
    """The backend's own (Django's) methods: they raise :class:`CacheUnavailable`."""

    def __init__(self, backend: RedisCache):
        self._backend = backend

    def __getattr__(self, name):
        method = getattr(DjangoRedisCache, name)
        return method.__get__(self._backend)


class RedisCache(DjangoRedisCache):
    """``OPTIONS`` are redis-py's connection pool options, plus ``retry_seconds`` (how long a
    process leaves Redis alone after a failure, default 1)."""

    def __init__(self, server, params):
        super().__init__(server, params)
        options = dict(self._options)
        health = _health_of(self._servers, float(options.pop("retry_seconds", 1.0)))
        self._options = {**options, "health": health}
        self._class = ReusingRedisCacheClient
        self.health = health
        self.strict = _Strict(self)

    @property
    def outages(self) -> int:
        return self.health.outages

    def _tolerate(self, fallback, method, *args, **kwargs):
        try:
            return method(*args, **kwargs)
        except CacheUnavailable:
            return fallback

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._tolerate(False, super().add, key, value, timeout, version)

    def get(self, key, default=None, version=None):
        return self._tolerate(default, super().get, key, default, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._tolerate(None, super().set, key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._tolerate(False, super().touch, key, timeout, version)

    def delete(self, key, version=None):
        return self._tolerate(False, super().delete, key, version)

    def get_many(self, keys, version=None):
        return self._tolerate({}, super().get_many, keys, version)

    def has_key(self, key, version=None):
        return self._tolerate(False, super().has_key, key, version)

    def incr(self, key, delta=1, version=None):
        return self._tolerate(0, super().incr, key, delta, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._tolerate(list(data), super().set_many, data, timeout, version)

    def delete_many(self, keys, version=None):
        return self._tolerate(None, super().delete_many, keys, version)

    def clear(self):
        return self._tolerate(False, super().clear)


def strict(backend):
    """``backend`` raising :class:`CacheUnavailable` when its server does not answer (any other
    backend as it is)."""
    return getattr(backend, "strict", backend)


def outages(backend) -> int:
    """How many times this process has found the cache server gone (0 for other backends)."""
    return getattr(backend, "outages", 0)
