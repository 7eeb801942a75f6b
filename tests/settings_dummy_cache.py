"""Production settings with Django's dummy cache, for tests/portal/test_settings.py."""

from portal.settings.production import *  # noqa: F403

CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
