"""WSGI entry point for gunicorn: ``gunicorn portal.wsgi``."""

import gc
import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.production")

application = get_wsgi_application()

# Load the URLconf (and through it every view module) now rather than on the first request,
# then take everything loaded so far out of the garbage collector's sight: Django, Wagtail
# and the apps' modules, about 200,000 objects that live as long as the worker. Otherwise
# every few hundred requests a full collection walks them all and stops a request for about
# 130 ms (the p99 of an uncached page in `make bench`).
get_resolver().url_patterns  # noqa: B018
gc.freeze()
