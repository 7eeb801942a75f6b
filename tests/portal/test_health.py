"""/healthz and /readyz for a load balancer (portal/health.py; README, "Health checks")."""

import logging

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.utils import OperationalError
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

from portal import health

SECRET = "password=hunter2 host=db.internal"


@pytest.fixture(autouse=True)
def fresh_migration_check(monkeypatch):
    """Every test starts as a new process would: migrations not yet checked."""
    monkeypatch.setattr(health, "migrations_checked", False)


def probe() -> Client:
    """A load balancer: the machine's address as Host, plain HTTP, no cookies."""
    return Client(HTTP_HOST="10.0.0.5:8000")


def assert_plain(response, status: int, body: bytes) -> None:
    assert response.status_code == status
    assert response.content == body
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response["Cache-Control"] == "no-store"
    assert "X-Page-Cache" not in response
    assert "Set-Cookie" not in response and not response.cookies


def test_healthz_answers_without_the_database_or_the_cache(db, django_assert_num_queries, monkeypatch):
    monkeypatch.setattr("django.core.cache.cache.get", lambda *a, **k: pytest.fail("the cache was asked"))
    with django_assert_num_queries(0):
        response = probe().get("/healthz")
    assert_plain(response, 200, b"ok\n")
    assert response["X-Request-ID"]


def test_readyz_checks_the_database_cache_and_migrations_then_stays_cheap(db, django_assert_num_queries):
    with CaptureQueriesContext(connection) as first:
        assert_plain(probe().get("/readyz"), 200, b"ok\n")
    assert len(first) >= 2  # SELECT 1, and the applied migrations
    # Migrations are checked once per process: afterwards one query.
    with django_assert_num_queries(1):
        assert_plain(probe().get("/readyz"), 200, b"ok\n")


@override_settings(
    ALLOWED_HOSTS=["tax.example.gov.cn"],
    SECURE_SSL_REDIRECT=True,
    SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https"),
    PAGE_CACHE_SECONDS=300,
)
def test_neither_host_validation_nor_the_ssl_redirect_nor_the_page_cache_touch_them(db):
    # The same request to a page is refused (unknown host) or redirected (plain HTTP).
    assert probe().get("/").status_code == 400
    assert Client(HTTP_HOST="tax.example.gov.cn").get("/").status_code == 301
    for path in ("/healthz", "/readyz"):
        assert_plain(probe().get(path), 200, b"ok\n")
        assert_plain(probe().get(path), 200, b"ok\n")  # never a page-cache hit either
        assert probe().head(path).status_code == 200


def test_other_methods_are_refused_and_other_paths_are_left_alone(db):
    response = probe().post("/healthz")
    assert response.status_code == 405 and response["Allow"] == "GET, HEAD"
    assert response["Cache-Control"] == "no-store"
    assert Client().get("/healthz/x/").status_code == 404


def test_a_database_failure_is_503_with_no_detail_for_the_public(db, monkeypatch, caplog):
    def broken():
        raise OperationalError(SECRET)

    monkeypatch.setattr(health, "check_database", broken)
    with caplog.at_level(logging.WARNING, logger="portal.health"):
        response = probe().get("/readyz")
    assert_plain(response, 503, b"unavailable\n")
    assert SECRET in caplog.text and "database" in caplog.text
    assert probe().get("/healthz").status_code == 200  # the process itself still answers


@override_settings(
    CACHES={"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"}}
)
def test_an_unreachable_cache_is_logged_but_the_machine_stays_ready(db, caplog):
    # Pages are served without the cache (portal/cache.py); every machine shares one Redis, so
    # failing readiness on it would take the whole cluster out of the load balancer.
    with caplog.at_level(logging.WARNING, logger="portal.health"):
        assert_plain(probe().get("/readyz"), 200, b"ok\n")
    assert "cache" in caplog.text


def test_unapplied_migrations_are_503_until_migrated(db, monkeypatch, caplog):
    plan = MigrationExecutor.migration_plan
    pending = [(object(), False)]
    monkeypatch.setattr(MigrationExecutor, "migration_plan", lambda self, targets, clean_start=False: pending)
    with caplog.at_level(logging.WARNING, logger="portal.health"):
        assert_plain(probe().get("/readyz"), 503, b"unavailable\n")
        assert_plain(probe().get("/readyz"), 503, b"unavailable\n")  # checked again until it passes
    assert "1 migration(s) not applied" in caplog.text
    monkeypatch.setattr(MigrationExecutor, "migration_plan", plan)
    assert_plain(probe().get("/readyz"), 200, b"ok\n")
    assert health.migrations_checked
