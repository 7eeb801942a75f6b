"""Settings for the test suite: fast hashing, in-memory mail, any host accepted."""

import atexit
import os
import shutil
import tempfile
from pathlib import Path

from .base import *  # noqa: F403
from .base import CACHES, INSTALLED_APPS, POST_OFFICE, STORAGES

if "demo" not in INSTALLED_APPS:
    INSTALLED_APPS = [*INSTALLED_APPS, "demo"]  # the suite runs on the demo cluster

DEBUG = False
SECRET_KEY = "test-only-key"
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Mail is queued in the outbox as everywhere (Django's test set-up puts its in-memory backend in
# EMAIL_BACKEND; tests/conftest.py puts the outbox back); `send_queued_mail` delivers it to
# django.core.mail.outbox, one message at a time so the order is the queue's.
POST_OFFICE = {
    **POST_OFFICE,
    "BACKENDS": {"default": "django.core.mail.backends.locmem.EmailBackend"},
    "THREADS_PER_PROCESS": 1,
}
# Uploaded and generated files go to a throw-away folder, removed when the run ends.
# (The browser tests' server process is given its own MEDIA_ROOT in the environment.)
if os.environ.get("MEDIA_ROOT"):
    MEDIA_ROOT = Path(os.environ["MEDIA_ROOT"])
else:
    MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="portal-test-media-"))
    atexit.register(shutil.rmtree, MEDIA_ROOT, ignore_errors=True)
PRIVATE_MEDIA_ROOT = MEDIA_ROOT.parent / (MEDIA_ROOT.name + "-private")
atexit.register(shutil.rmtree, PRIVATE_MEDIA_ROOT, ignore_errors=True)
# Always a local directory here, whatever PRIVATE_STORAGE says.
STORAGES = {
    **STORAGES,
    "private": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": PRIVATE_MEDIA_ROOT}},
}
FORM_MIN_FILL_SECONDS = float(os.environ.get("FORM_MIN_FILL_SECONDS", "0"))
WAGTAILADMIN_BASE_URL = "http://testserver"
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# The page cache is off unless a test turns it on (tests/test_page_cache.py); the suite
# changes content without publishing, which a cached page would hide.
PAGE_CACHE_SECONDS = 0
# Visits reach the cache on the request itself, so a test reads them without waiting.
VISITS_PUSH_SECONDS = 0
# The relevance tests run hundreds of searches from one address; tests/search/test_popular.py
# sets a low limit where it tests the limit.
SEARCH_RATE_LIMIT = 100_000

# Under pytest-xdist (make test: one worker per core) each worker has its own Redis database:
# the tests empty the cache around every test, and Redis empties a whole database at a time.
_worker = os.environ.get("PYTEST_XDIST_WORKER", "")
if _worker and CACHES["default"]["BACKEND"].endswith("RedisCache"):
    from urllib.parse import urlsplit, urlunsplit

    _url = urlsplit(CACHES["default"]["LOCATION"])
    _database = (int(_url.path.strip("/") or 0) + int(_worker.removeprefix("gw"))) % 16
    CACHES["default"]["LOCATION"] = urlunsplit(_url._replace(path=f"/{_database}"))
