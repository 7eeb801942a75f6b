"""``/healthz`` and ``/readyz`` for a load balancer or an orchestrator.

* ``/healthz``: the process answers (liveness). No database, no cache, no template: a worker
  that answers this is alive, whatever the services behind it are doing.
* ``/readyz``: this worker can serve pages (readiness): the database answers ``SELECT 1``,
  no migration is waiting to be applied. The cache is tried too, but a cache that does not
  answer is only logged: the portal serves every page without it (``portal/cache.py``, the
  fault tests), and a readiness check that failed on it would take every machine out of the
  load balancer at once when the shared Redis stops. The
  migrations are compared once per process (loading the migration graph costs a fraction of a
  second); after the first success ``/readyz`` costs one query and two cache round trips.

Both answer ``ok`` (200) or ``unavailable`` (503) in plain text with ``Cache-Control:
no-store``; what failed is logged at WARNING on the ``portal.health`` logger, never shown.
``GET`` and ``HEAD`` only (405 otherwise).

``HealthCheckMiddleware`` answers them second in ``MIDDLEWARE``, right after the request id:
before ``SecurityMiddleware`` (so ``SECURE_SSL_REDIRECT`` does not send a plain-HTTP probe to
``https://``), before anything calls ``request.get_host()`` (so a probe that sends the
machine's address as ``Host`` is not refused by ``ALLOWED_HOSTS``), and before the page cache,
sessions and the site data (so ``/healthz`` touches neither the cache nor the database). The
paths are not in the URLconf: nothing else can answer them.
"""

import logging
import time

from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpResponse

logger = logging.getLogger(__name__)

HEALTHZ = "/healthz"
READYZ = "/readyz"
CACHE_KEY = "portal:readyz"

# Set after the first successful comparison of the migrations with the database; per process.
migrations_checked = False


def check_database() -> None:
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def check_cache() -> None:
    token = time.time_ns()
    cache.set(CACHE_KEY, token, 30)
    if cache.get(CACHE_KEY) != token:
        raise RuntimeError("the cache did not give back what was just written")


def check_migrations() -> None:
    global migrations_checked
    if migrations_checked:
        return
    executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if plan:
        names = ", ".join(str(migration) for migration, _backwards in plan[:5])
        raise RuntimeError(f"{len(plan)} migration(s) not applied: {names}")
    migrations_checked = True


def ready() -> bool:
    """Every check, in order; the first failure is logged with its details and ends it."""
    try:
        check_cache()
    except Exception:
        logger.warning("readyz: the cache does not answer; pages are served without it", exc_info=True)
    for name, check in (("database", check_database), ("migrations", check_migrations)):
        started = time.perf_counter()
        try:
            check()
        except Exception:
            logger.warning("readyz: %s check failed", name, exc_info=True)
            return False
        logger.debug("readyz: %s ok in %.1f ms", name, (time.perf_counter() - started) * 1000)
    return True


def answer(status: int, text: str) -> HttpResponse:
    response = HttpResponse(f"{text}\n", content_type="text/plain; charset=utf-8", status=status)
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


class HealthCheckMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path_info
        if path != HEALTHZ and path != READYZ:
            return self.get_response(request)
        if request.method not in ("GET", "HEAD"):
            response = answer(405, "method not allowed")
            response["Allow"] = "GET, HEAD"
            return response
        if path == HEALTHZ or ready():
            return answer(200, "ok")
        return answer(503, "unavailable")
