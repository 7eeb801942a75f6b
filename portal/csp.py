"""``/csp-report/``: where browsers report Content-Security-Policy violations of the admin's
report-only policy (``portal/security.py`` names it in ``report-uri`` and, for the Reporting
API, in ``report-to`` with a ``Reporting-Endpoints`` header).

Anyone can post here, so the endpoint trusts nothing: POST only, no CSRF token (browsers send
none), at most ``MAX_BODY`` bytes read, the JSON parsed defensively (both formats: the old
``application/csp-report`` object and the Reporting API's ``application/reports+json`` list),
a few fields of at most ``MAX_FIELD`` characters kept, and ``CSP_REPORT_RATE_LIMIT`` posts per
client address per window. Each violation is one WARNING on the ``portal.csp`` logger with the
request id. The answer is 204, or 400 (not a report), 413 (too large), 429 (too many); never 500.
"""

from __future__ import annotations

import json
import logging

from django.http import HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from .ratelimit import UNAVAILABLE_RETRY_SECONDS, LimitUnavailable, RateLimit
from .requestid import request_id_of

logger = logging.getLogger("portal.csp")

MAX_BODY = 16 * 1024
MAX_FIELD = 300
MAX_REPORTS = 20  # per post: the Reporting API batches; the rest are dropped
LIMIT = RateLimit("csp-report", "CSP_REPORT_RATE_LIMIT", "CSP_REPORT_RATE_WINDOW")

# The old report-uri format names fields with dashes, the Reporting API in camelCase.
FIELDS = {
    "document": ("document-uri", "documentURL"),
    "directive": ("effective-directive", "effectiveDirective", "violated-directive"),
    "blocked": ("blocked-uri", "blockedURL"),
    "disposition": ("disposition", "disposition"),
    "source": ("source-file", "sourceFile"),
    "line": ("line-number", "lineNumber"),
    "sample": ("script-sample", "sample"),
}


def _text(value) -> str:
    """A short printable string of whatever was sent (control characters dropped)."""
    if not isinstance(value, str | int | float) or isinstance(value, bool):
        return ""
    text = "".join(char for char in str(value) if char.isprintable())
    return text[:MAX_FIELD]


def violations(payload) -> list[dict[str, str]]:
    """The violations in a report body, each as {field: text}; [] when it is not a report."""
    if isinstance(payload, dict) and isinstance(payload.get("csp-report"), dict):
        bodies = [payload["csp-report"]]
    elif isinstance(payload, list):
        bodies = [
            item["body"]
            for item in payload[:MAX_REPORTS]
            if isinstance(item, dict) and item.get("type") == "csp-violation" and isinstance(item.get("body"), dict)
        ]
    else:
        bodies = []
    found = []
    for body in bodies:
        violation = {name: next((_text(body[k]) for k in keys if k in body), "") for name, keys in FIELDS.items()}
        if violation["directive"] or violation["blocked"]:
            found.append(violation)
    return found


@csrf_exempt
@require_POST
@never_cache
def csp_report(request):
    try:
        over = LIMIT.exceeded(request)
    except LimitUnavailable:  # the cache is down: log nothing rather than anything anyone posts
        response = HttpResponse(status=503)
        response["Retry-After"] = str(UNAVAILABLE_RETRY_SECONDS)
        return response
    if over:
        response = HttpResponse(status=429)
        response["Retry-After"] = str(LIMIT.window)
        return response
    LIMIT.hit(request)
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared > MAX_BODY:
        return HttpResponse(status=413)
    body = request.read(MAX_BODY + 1)  # bounded even when no length was declared
    if len(body) > MAX_BODY:
        return HttpResponse(status=413)
    try:
        payload = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return HttpResponse(status=400)
    found = violations(payload)
    if not found:
        return HttpResponse(status=400)
    request_id = request_id_of(request)
    for violation in found:
        logger.warning(
            "CSP violation (%s): %r blocked %r on %r (%s line %s) %r",
            violation["disposition"] or "-",
            violation["directive"],
            violation["blocked"],
            violation["document"],
            violation["source"] or "-",
            violation["line"] or "-",
            violation["sample"],
            extra={"request_id": request_id},
        )
    return HttpResponse(status=204)
