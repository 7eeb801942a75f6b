"""Shared fixtures: the demo cluster is loaded once per test session, and every test
runs in a transaction that is rolled back, so tests may change anything."""

import os

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client

from portal import sitedata
from portal.settings.base import EMAIL_BACKEND as QUEUE_BACKEND
from tests.helpers import HOSTS


def pytest_collection_modifyitems(items):
    """``make test`` runs on every core (pytest-xdist, ``--dist loadgroup``): each test file
    stays on one worker (its module fixtures are set up once), and every browser test on the
    same one (one portal server and one Chromium, not one per worker)."""
    for item in items:
        path = str(item.fspath).replace(os.sep, "/")
        group = "browser" if "/tests/browser/" in path else path
        item.add_marker(pytest.mark.xdist_group(group))


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("load_demo", verbosity=0)


@pytest.fixture(scope="session", autouse=True)
def mail_through_the_outbox(django_test_environment):
    """Django's test set-up puts its in-memory backend in ``EMAIL_BACKEND``; put the outbox back,
    so every test's mail is queued as in production and reaches ``django.core.mail.outbox`` only
    when ``tests.helpers.deliver_queued_mail`` runs the sender."""
    from django.conf import settings

    settings.EMAIL_BACKEND = QUEUE_BACKEND
    yield


@pytest.fixture(autouse=True)
def fresh_limits():
    """Rate-limit counters, captcha throttles and page-cache versions live in the cache, which
    a test's rollback does not reset: every test starts with an empty one."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def force_login_includes_the_second_factor(monkeypatch):
    """``client.force_login(user)`` stands for a complete sign-in: for staff who must use a
    second factor (signin/), the session is also verified with their authenticator, as after
    the code at /admin/2fa/. tests/signin signs in through the forms, code included."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from signin.services import confirmed_device, requires_two_factor

    force_login = Client.force_login

    def with_second_factor(self, user, backend=None):
        force_login(self, user, backend)
        if requires_two_factor(user):
            device = confirmed_device(user) or TOTPDevice.objects.create(user=user, name="test", confirmed=True)
            session = self.session
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
            session.save()

    monkeypatch.setattr(Client, "force_login", with_second_factor)


@pytest.fixture(autouse=True)
def chinese_first():
    """Every test starts in the site's default language, whatever the test before it on the
    same worker activated (an English request, ``translation.activate``)."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def fresh_site_data():
    """Each test's database changes roll back, the cache's version numbers do not: forget
    the per-process site data (portal/sitedata.py) so no test sees another's rows."""
    sitedata.clear()
    yield
    sitedata.clear()


@pytest.fixture
def page_cache(settings):
    """The page cache on, and empty before and after the test (the test settings turn it off)."""
    settings.PAGE_CACHE_SECONDS = 300
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def site_client(db):
    """``site_client("jia").get("/")`` requests a page from one site of the cluster."""

    def make(key: str = "main") -> Client:
        return Client(HTTP_HOST=f"{HOSTS[key]}:8000")

    return make


@pytest.fixture
def client(db):
    return Client(HTTP_HOST="localhost:8000")
