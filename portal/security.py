"""Response headers that Django's SecurityMiddleware does not set: Content-Security-Policy
and Permissions-Policy.

Public pages get an enforced policy with no inline or third-party scripts (every script of
the portal is a file under /static/; JSON-LD blocks are data, not scripts). Styles may be
inline (``style=`` attributes from rich text). The same policy is the same on every
response, so cached pages stay valid: no per-request nonces. The Wagtail admin cannot run
under it yet, so under ``/admin/`` and ``/django-admin/`` it is sent as report-only, and the
browser reports what it would have blocked to ``/csp-report/`` (``report-uri``, and ``report-to``
with a ``Reporting-Endpoints`` header for browsers that have dropped ``report-uri``), where
``portal/csp.py`` logs it.
Extra origins (a media CDN, say) come from ``PORTAL_CSP_EXTRA_SOURCES``; the map tile
server of the service-hall pages (``MAP_TILE_URL``) is allowed for images only.
"""

from urllib.parse import urlsplit

from django.conf import settings

ADMIN_PREFIXES = ("/admin/", "/django-admin/")
REPORT_PATH = "/csp-report/"
REPORT_GROUP = "csp"
REPORTING = f"report-uri {REPORT_PATH}; report-to {REPORT_GROUP}"
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), browsing-topics=()"


def _origin(url: str) -> str:
    """scheme://host[:port] of a URL ("" for an empty or relative one)."""
    parts = urlsplit(url or "")
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""


def content_security_policy() -> str:
    extra = " ".join(getattr(settings, "PORTAL_CSP_EXTRA_SOURCES", []))
    sources = f"'self' {extra}".strip()
    images = f"{sources} {_origin(getattr(settings, 'MAP_TILE_URL', ''))}".strip()
    return "; ".join(
        [
            "default-src 'self'",
            f"script-src {sources}",
            f"style-src {sources} 'unsafe-inline'",
            f"img-src {images} data:",
            f"media-src {sources}",
            "font-src 'self' data:",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.policy = content_security_policy()

    def __call__(self, request):
        response = self.get_response(request)
        if request.path_info.startswith(ADMIN_PREFIXES):
            response.headers.setdefault("Content-Security-Policy-Report-Only", f"{self.policy}; {REPORTING}")
            response.headers.setdefault("Reporting-Endpoints", f'{REPORT_GROUP}="{REPORT_PATH}"')
        else:
            response.headers.setdefault("Content-Security-Policy", self.policy)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response
