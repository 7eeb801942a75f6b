"""Per-client-address rate limits for the forms the public can post to.

A fixed-window counter in the Django cache (Redis in production, so every gunicorn
worker and machine shares it). ``limit.exceeded(request)`` is checked before a form is
handled; ``limit.hit(request)`` counts what the limit is about (a letter sent, a failed lookup).

When the cache does not answer, ``exceeded`` raises :class:`LimitUnavailable`: a limit that
cannot be read is not taken as "no limit" (a bot would have the forms to itself while Redis is
down), and the form refuses politely instead, keeping what was typed (``PublicFormView``: 503).
``hit`` never fails: a count lost after a letter was saved must not turn it into an error.
"""

import ipaddress
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.template.response import TemplateResponse

from portal.cache import CacheUnavailable, strict

UNAVAILABLE_RETRY_SECONDS = 60


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

    def _key(self, request) -> str:
        bucket = int(time.time() // self.window)
        return f"ratelimit:{self.scope}:{client_ip(request)}:{bucket}"

    def exceeded(self, request) -> bool:
        """Over the limit; raises :class:`LimitUnavailable` when the count cannot be read."""
        try:
            return strict(cache).get(self._key(request), 0) >= self.limit
        except CacheUnavailable as error:
            raise LimitUnavailable(self.scope) from error

    def hit(self, request) -> None:
        key = self._key(request)
        if not cache.add(key, 1, self.window):
            try:
                cache.incr(key)
            except ValueError:  # expired between add() and incr()
                cache.set(key, 1, self.window)

    def refuse(self, request, message: str) -> TemplateResponse:
        """The readable 429 page."""
        minutes = max(1, self.window // 60)
        response = TemplateResponse(
            request,
            "portal/rate_limited.html",
            {"message": message, "minutes": minutes},
            status=429,
        )
        response["Retry-After"] = str(self.window)
        return response
