"""The public forms' rate limits (portal/ratelimit.py): a window that slides, so a client gets
no more than the limit in any stretch of one window, hour boundary or not; limits on another
identity than the address; the 429's Retry-After."""

from unittest import mock

import pytest
from django.test import RequestFactory

from portal import ratelimit
from portal.ratelimit import RateLimit

LIMIT = RateLimit("test-sliding", "LOOKUP_RATE_LIMIT", "LOOKUP_RATE_WINDOW")
HOUR_BOUNDARY = 1_780_000_000 // 3600 * 3600 + 3600  # a whole hour (UTC)


class Clock:
    def __init__(self, now: float):
        self.now = now

    def time(self) -> float:
        return self.now


@pytest.fixture
def clock():
    fake = Clock(HOUR_BOUNDARY - 10)
    with mock.patch.object(ratelimit, "time", fake):
        yield fake


def request(address="198.51.100.7"):
    return RequestFactory().post("/", REMOTE_ADDR=address)


def test_the_limit_holds_across_the_hour_boundary(settings, clock):
    """10:59:50 uses the limit; at 11:00:10 a fixed hourly window would start again at zero."""
    settings.LOOKUP_RATE_LIMIT = 3
    for _ in range(3):
        assert not LIMIT.exceeded(request())
        LIMIT.hit(request())
    assert LIMIT.exceeded(request())
    clock.now = HOUR_BOUNDARY + 10
    assert LIMIT.exceeded(request())
    clock.now = HOUR_BOUNDARY + 50 * 60
    assert LIMIT.exceeded(request())
    # once a whole window (and at most one bucket more) has passed, the hits are forgotten
    clock.now = HOUR_BOUNDARY - 10 + 3600 + 600
    assert not LIMIT.exceeded(request())
    assert not LIMIT.exceeded(request("198.51.100.8"))


def test_no_stretch_of_one_window_holds_more_than_the_limit(settings, clock):
    """Hits spread over three hours, each taken as soon as the limit allows: any 60 minutes
    hold at most the limit."""
    settings.LOOKUP_RATE_LIMIT = 4
    accepted = []
    start = clock.now
    while clock.now < start + 3 * 3600:
        if not LIMIT.exceeded(request()):
            LIMIT.hit(request())
            accepted.append(clock.now)
        clock.now += 37
    assert len(accepted) >= 8  # the limit frees up again: it is a limit, not a ban
    for first in accepted:
        assert len([t for t in accepted if first <= t < first + 3600]) <= 4


def test_a_limit_on_another_identity_than_the_address(settings, clock):
    settings.LOOKUP_RATE_LIMIT = 2
    LIMIT.hit_for("XJ2026000001")
    LIMIT.hit_for("XJ2026000001")
    assert LIMIT.exceeded_for("XJ2026000001")
    assert not LIMIT.exceeded_for("XJ2026000002")
    assert not LIMIT.exceeded(request())  # the address itself has no hits


def test_retry_after_is_when_the_oldest_hit_leaves_the_window(settings, clock):
    settings.LOOKUP_RATE_LIMIT = 2
    LIMIT.hit(request())
    clock.now += 1200
    LIMIT.hit(request())
    refused = LIMIT.refuse(request(), "查询失败次数过多。")
    retry = int(refused["Retry-After"])
    assert refused.status_code == 429
    assert 3600 - 1200 <= retry <= 3600 - 1200 + 600
    clock.now += retry
    assert not LIMIT.exceeded(request())
    clock.now -= 2
    assert LIMIT.exceeded(request())
