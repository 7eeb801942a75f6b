"""Rate limits for the forms the public can post to: per client address, or per anything
else a form names (a letter's lookup code).

Counters live in the Django cache (Redis in production, so every gunicorn worker and machine
shares it; ``check --deploy`` refuses a cache that is not shared, ``portal/checks.py``).
``limit.exceeded(request)`` is checked before a form is handled; ``limit.hit(request)`` counts
what the limit is about (a letter sent, a failed lookup). ``exceeded_for(identity)`` and
``hit_for(identity)`` do the same for another identity than the address.

The window slides in ``BUCKETS`` steps: the window is cut into that many buckets (an hour
into 10-minute buckets), each counted under its own key, and a count is the sum of the
current bucket and the ``BUCKETS`` before it (one ``get_many``). A hit is so counted for
between one window and one window plus one bucket, never less: however the hits are placed,
no stretch of time one window long holds more than ``limit`` of them (a fixed hourly window
let a client use its limit at 10:59 and again at 11:00).

When the cache does not answer, ``exceeded`` raises :class:`LimitUnavailable`: a limit that
cannot be read is not taken as "no limit" (a bot would have the forms to itself while Redis is
down), and the form refuses politely instead, keeping what was typed (``PublicFormView``: 503).
``hit`` never fails: a count lost after a letter was saved must not turn it into an error.
"""

import hashlib
import ipaddress
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.template.response import TemplateResponse

from portal.cache import CacheUnavailable, strict

UNAVAILABLE_RETRY_SECONDS = 60
BUCKETS = 6  # a window is counted in this many steps (an hour: 10 minutes)


class LimitUnavailable(Exception):
    """The counters cannot be read (the cache is down): refuse the submission for now."""


def client_ip(request) -> str:
    """The visitor's address: REMOTE_ADDR, or behind ``TRUSTED_PROXY_COUNT`` proxies the
    address the outermost trusted proxy saw (X-Forwarded-For is otherwise ignored: a
    client can write anything in it)."""
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def login_client_ip(request) -> str | None:
    """``client_ip`` for django-axes (``AXES_CLIENT_IP_CALLABLE``), whose records keep the
    address in an IP address column: None rather than something that is not an address."""
    address = client_ip(request)
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None


@dataclass(frozen=True)
class RateLimit:
    scope: str
    limit_setting: str
    window_setting: str

    @property
    def limit(self) -> int:
        return getattr(settings, self.limit_setting)

    @property
    def window(self) -> int:
        return getattr(settings, self.window_setting)

    @property
    def bucket_seconds(self) -> int:
        return max(1, -(-self.window // BUCKETS))

    def _keys(self, identity: str) -> list[str]:
        """The current bucket's key first, then the ``BUCKETS`` before it. The identity is
        hashed: a key never holds what a visitor typed (a lookup code, a forged address)."""
        digest = hashlib.sha256(identity.encode()).hexdigest()[:32]
        current = int(time.time() // self.bucket_seconds)
        return [f"ratelimit:{self.scope}:{digest}:{bucket}" for bucket in range(current, current - BUCKETS - 1, -1)]

    def count_for(self, identity: str) -> int:
        """Hits of ``identity`` within the sliding window; raises :class:`LimitUnavailable`
        when the count cannot be read."""
        try:
            return sum(strict(cache).get_many(self._keys(identity)).values())
        except CacheUnavailable as error:
            raise LimitUnavailable(self.scope) from error

    def exceeded_for(self, identity: str) -> bool:
        """``identity`` is at or over the limit; raises :class:`LimitUnavailable` when the
        count cannot be read."""
        return self.count_for(identity) >= self.limit

    def hit_for(self, identity: str) -> None:
        key = self._keys(identity)[0]
        # kept until the last window that counts its bucket has passed
        timeout = self.bucket_seconds * (BUCKETS + 1)
        if not cache.add(key, 1, timeout):
            try:
                cache.incr(key)
            except ValueError:  # expired between add() and incr()
                cache.set(key, 1, timeout)

    def exceeded(self, request) -> bool:
        """This address is over the limit; raises :class:`LimitUnavailable` when the count
        cannot be read."""
        return self.exceeded_for(client_ip(request))

    def hit(self, request) -> None:
        self.hit_for(client_ip(request))

    def retry_after_for(self, identity: str) -> int:
        """Seconds until ``identity`` is under the limit again: when enough of its oldest
        hits have left the window (a window and a bucket when the counts cannot be read)."""
        keys = self._keys(identity)
        try:
            found = strict(cache).get_many(keys)
        except CacheUnavailable:
            return self.window + self.bucket_seconds
        excess = sum(found.values()) - self.limit + 1
        if excess <= 0:
            return 1
        current = int(time.time() // self.bucket_seconds)
        for age in range(BUCKETS, -1, -1):  # oldest bucket first
            excess -= found.get(keys[age], 0)
            if excess <= 0:
                leaves = (current - age + BUCKETS + 1) * self.bucket_seconds
                return max(1, int(leaves - time.time()) + 1)
        return 1

    def refuse(self, request, message: str, identity: str | None = None) -> TemplateResponse:
        """The readable 429 page, saying when to try again (``identity``: what was limited,
        the client's address unless given)."""
        retry = self.retry_after_for(client_ip(request) if identity is None else identity)
        response = TemplateResponse(
            request,
            "portal/rate_limited.html",
            {"message": message, "minutes": max(1, -(-retry // 60))},
            status=429,
        )
        response["Retry-After"] = str(retry)
        return response
