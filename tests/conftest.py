"""Shared fixtures: the demo cluster is loaded once per test session, and every test
runs in a transaction that is rolled back, so tests may change anything."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client

from demo.sites import SITES

HOSTS = {spec["key"]: spec["hostname"] for spec in SITES}


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("load_demo", verbosity=0)


@pytest.fixture(autouse=True)
def fresh_site_data():
    """Each test's database changes roll back, the cache's version numbers do not: forget
    the per-process site data (portal/sitedata.py) so no test sees another's rows."""
    from portal import sitedata

    sitedata.clear()
    yield
    sitedata.clear()


@pytest.fixture
def site_client(db):
    """``site_client("jia").get("/")`` requests a page from one site of the cluster."""

    def make(key: str = "main") -> Client:
        return Client(HTTP_HOST=f"{HOSTS[key]}:8000")

    return make


@pytest.fixture
def client(db):
    return Client(HTTP_HOST="localhost:8000")


@pytest.fixture
def staff_client(db):
    """``staff_client("jia_editor")``: a client logged in as one of the demo accounts."""

    def make(username: str, host: str = "localhost:8000") -> Client:
        logged_in = Client(HTTP_HOST=host)
        logged_in.force_login(get_user_model().objects.get(username=username))
        return logged_in

    return make
