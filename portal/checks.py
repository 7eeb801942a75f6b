"""System checks of the deployment (``manage.py check --deploy``).

**A cache shared by every process (portal.E001).** The page cache and its purges, the rate
limits of the public forms and the captcha throttles, and the version numbers of the per-process
site data all live in Django's default cache. With a cache that each process keeps to itself
(local memory) or that keeps nothing (dummy), two gunicorn workers count two sets of limits
(10 letters where the limit is 5) and a worker keeps serving a page another one unpublished.
Production sets ``REDIS_URL``; a deployment that really runs a single process may silence the
check (``SILENCED_SYSTEM_CHECKS = ["portal.E001"]``).
"""

from django.conf import settings
from django.core.checks import Error, Tags, register
from django.utils.module_loading import import_string

# Backends that keep their entries inside the process that wrote them (or keep none).
PROCESS_LOCAL_CACHES = (
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
)


def _process_local(backend: str) -> bool:
    try:
        backend_class = import_string(backend)
    except ImportError:
        return False  # Django's own cache checks report a backend that does not import
    return any(issubclass(backend_class, import_string(local)) for local in PROCESS_LOCAL_CACHES)


@register(Tags.caches, deploy=True)
def check_shared_cache(app_configs=None, **kwargs):
    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    if not _process_local(backend):
        return []
    return [
        Error(
            f"The default cache ({backend}) is not shared between processes: each gunicorn worker "
            "would keep its own page cache, rate-limit counters and captcha throttles.",
            hint="Set REDIS_URL (e.g. redis://cache.internal:6379/1) so every worker and machine "
            "shares one cache (README: Production).",
            id="portal.E001",
        )
    ]
