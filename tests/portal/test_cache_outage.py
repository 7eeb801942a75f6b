"""A Redis that does not answer (portal/cache.py): reads are misses, writes are dropped, it
costs milliseconds and one log line; pages are served without the page cache, staff log in,
public forms refuse with a 503 that keeps what was typed, nothing is saved. The real thing —
a redis-server stopped and started under gunicorn — is in tests/faults/."""

import logging
import socket
import time

import pytest
from django.core.cache import cache

from correspondence.models import Letter
from portal import pagecache
from portal.cache import CacheUnavailable, outages, strict
from tests.correspondence.test_mailboxes import mailbox, send


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def dead_redis(settings):
    """The cache is Redis on a port where nothing listens (connections refused)."""
    settings.CACHES = {
        "default": {
            "BACKEND": "portal.cache.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{closed_port()}/1",
            "KEY_PREFIX": "portal",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    return cache


def test_a_dead_redis_is_a_miss_and_every_write_is_dropped_in_milliseconds(dead_redis, caplog):
    caplog.set_level(logging.WARNING, logger="portal.cache")
    started = time.monotonic()
    for _ in range(20):
        assert cache.get("key", "default") == "default"
        assert cache.get_many(["a", "b"]) == {}
        assert cache.set("key", 1, 60) is None
        assert cache.add("key", 1, 60) is False
        assert cache.incr("key") == 0
        assert cache.delete("key") is False
        assert cache.has_key("key") is False
        assert cache.set_many({"a": 1}) == ["a"]
        assert cache.get_or_set("key", 5) == 5
    assert time.monotonic() - started < 1
    errors = [record for record in caplog.records if record.levelno >= logging.ERROR]
    assert len(errors) == 1 and "unavailable" in errors[0].getMessage()  # once per interval, not per call
    assert outages(cache) == 1


def test_callers_that_must_know_get_an_exception(dead_redis):
    with pytest.raises(CacheUnavailable):
        strict(cache).get("key", 0)
    with pytest.raises(CacheUnavailable):
        strict(cache).incr("key")


def test_after_a_failure_redis_is_left_alone_for_retry_seconds(dead_redis, settings):
    cache.get("key")  # fails, opens the circuit for a second
    health = cache.health
    for _ in range(100):
        cache.get("key")
    assert health.skip() and health.failures == 0  # no connection tried meanwhile
    settings.CACHES["default"]["OPTIONS"]["retry_seconds"] = 0
    settings.CACHES = {**settings.CACHES}  # a new backend that tries every time
    for _ in range(10):
        cache.get("key")
    assert cache.health.failures >= 9


def test_local_memory_has_nothing_to_tolerate():
    assert strict(cache) is not None and outages(cache) == 0
    cache.set("key", 1)
    assert strict(cache).get("key") == 1


@pytest.mark.django_db
def test_pages_are_served_without_the_page_cache_while_redis_is_down(dead_redis, site_client, settings):
    settings.PAGE_CACHE_SECONDS = 300
    for key in ("main", "jia"):
        for _ in range(2):
            response = site_client(key).get("/")
            assert response.status_code == 200
            assert "X-Page-Cache" not in response  # neither a hit nor stored


@pytest.mark.django_db
def test_staff_log_in_while_redis_is_down(dead_redis, client):
    response = client.post("/admin/login/", {"username": "admin", "password": "demo-admin-2026"})
    assert response.status_code == 302 and response["Location"] == "/admin/"


@pytest.mark.django_db
def test_a_letter_is_refused_politely_with_what_was_typed_and_nothing_is_saved(dead_redis, client):
    before = Letter.objects.count()
    response = send(client, mailbox(slug="zxxx"), subject="缓存故障时的来信标题", name="钱测试")
    html = response.content.decode()
    assert response.status_code == 503
    assert response["Retry-After"] == "60" and "no-store" in response["Cache-Control"]
    assert "暂时无法提交" in html and "12366" in html
    assert 'value="缓存故障时的来信标题"' in html and 'value="钱测试"' in html
    assert 'name="captcha_0"' in html  # a new captcha to answer
    assert Letter.objects.count() == before


@pytest.mark.django_db
def test_a_csp_report_is_refused_unlogged_while_redis_is_down(dead_redis, client):
    response = client.post("/csp-report/", "{}", content_type="application/csp-report")
    assert response.status_code == 503


@pytest.mark.django_db
def test_publishing_while_redis_is_down_works_and_the_page_cache_is_purged_when_it_is_back(
    client, settings, monkeypatch
):
    settings.PAGE_CACHE_SECONDS = 300
    client.get("/")
    assert client.get("/")["X-Page-Cache"] == "hit"
    # This process saw an outage (its purges may have been dropped): the next lookup purges.
    monkeypatch.setattr(pagecache, "outages", lambda backend: 1)
    monkeypatch.setattr(pagecache, "_outages_seen", 0)
    assert client.get("/")["X-Page-Cache"] == "miss"
    assert client.get("/")["X-Page-Cache"] == "hit"  # once
