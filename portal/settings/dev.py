"""Local development: DEBUG on, a fixed insecure key, mail printed to the console."""

import os

from .base import *  # noqa: F403
from .base import INSTALLED_APPS, env_bool

DEBUG = env_bool("DEBUG", True)
if "demo" not in INSTALLED_APPS:
    INSTALLED_APPS = [*INSTALLED_APPS, "demo"]  # manage.py load_demo (make run)
SECRET_KEY = SECRET_KEY or "dev-only-insecure-key-do-not-use-in-production"  # noqa: F405

# Serve static files straight from the apps (no collectstatic needed while developing).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# Editors see their changes at once while developing; production keeps pages in the cache.
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "0"))
