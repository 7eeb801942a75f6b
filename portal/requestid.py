"""A request id on every request, response and log line.

The proxy in front may send ``X-Request-ID``; a well-formed one (8 to 64 of
``A-Z a-z 0-9 . _ -``) is kept so the proxy's access log and ours agree, anything else is
replaced by a fresh ``uuid4().hex``. The id is stored on ``request.request_id``, sent back
in the ``X-Request-ID`` response header, shown on the error pages ("错误编号") so a
citizen can quote it to the hotline, and added to log records by ``RequestIdFilter``
(``%(request_id)s`` / ``{request_id}`` in a formatter; ``-`` outside a request).

The middleware is the first in ``MIDDLEWARE`` so even a response refused by another
middleware (a bad Host header, an SSL redirect) carries an id. It costs one regex match
or one uuid4 per request and touches neither the database nor the cache.
"""

from __future__ import annotations

import logging
import re
import uuid
from contextvars import ContextVar

from django.core.signals import request_finished

HEADER = "X-Request-ID"
META_KEY = "HTTP_X_REQUEST_ID"
VALID = re.compile(r"[A-Za-z0-9._-]{8,64}")
NO_REQUEST = "-"

_current: ContextVar[str] = ContextVar("request_id", default=NO_REQUEST)


def new_id() -> str:
    return uuid.uuid4().hex


def accepted(value: str | None) -> str | None:
    """The incoming id if it is well-formed, else None."""
    if value and VALID.fullmatch(value):
        return value
    return None


def current() -> str:
    """The id of the request being handled in this context, ``-`` outside a request."""
    return _current.get()


def request_id_of(request) -> str:
    """``request.request_id``; assigned here if the middleware has not run (a view called
    directly, a test)."""
    request_id = getattr(request, "request_id", None)
    if not request_id:
        request_id = request.request_id = new_id()
        _current.set(request_id)
    return request_id


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = accepted(request.META.get(META_KEY)) or new_id()
        request.request_id = request_id
        # Not reset on the way out: Django logs 4xx/5xx responses after the middleware
        # chain has returned. ``request_finished`` clears it instead.
        _current.set(request_id)
        response = self.get_response(request)
        response.headers[HEADER] = request_id
        return response


def _clear(**kwargs) -> None:
    _current.set(NO_REQUEST)


request_finished.connect(_clear, dispatch_uid="portal.requestid.clear")


class RequestIdFilter(logging.Filter):
    """Adds ``record.request_id``: the request the record was logged for (``django.request``
    and ``django.security`` records carry it), else the one being handled, else ``-``."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "request_id", None):
            request = getattr(record, "request", None)
            record.request_id = getattr(request, "request_id", None) or _current.get()
        return True
