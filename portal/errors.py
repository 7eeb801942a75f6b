"""The error pages: 400, 403, 404 and 500 (``handler400`` … in ``portal/urls.py``).

Each page is in the visitor's language (English under ``/en/``, Chinese elsewhere), shows
the request id ("错误编号", also in the ``X-Request-ID`` header and in the log) so a citizen
can quote it to the 12366 hotline, and never shows an exception's text or a traceback.

- 400 and 500 are rendered without the database and without the request's context
  processors (``templates/portal/error_base.html``): the database may be what failed, and a
  bad Host header is refused before any Wagtail site is known.
- 404 and 403 use the site's layout (``base.html``: its header, menu and footer). If that
  fails (no site for the host, the database gone), the same page is rendered in the plain
  layout instead.
- A 403 shows a reason only when the code refusing raised ``PermissionRefused`` with a
  message written for the visitor (an expired guest link, say); the text of any other
  ``PermissionDenied`` stays in the code.

The 500 itself is logged by Django (``django.request``, with the traceback); the
``request_id`` filter in ``LOGGING`` puts the same id on that record.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.template import loader
from django.utils import translation

from portal import accessibility
from portal.requestid import request_id_of

logger = logging.getLogger(__name__)

PLAIN_LAYOUT = "portal/error_base.html"

# If even the plain template cannot be rendered (a broken static manifest, say).
LAST_RESORT = """<!DOCTYPE html>
<html lang="zh-Hans">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex"><title>抱歉，服务暂时出现问题</title></head>
<body><main id="main-content">
<h1>抱歉，服务暂时出现问题</h1>
<p>请稍后再试。如需办理业务，可拨打纳税缴费服务热线 12366。</p>
<p lang="en">Sorry, something went wrong. Please try again later.</p>
<p>错误编号 / <span lang="en">Reference</span>: {request_id}</p>
<p><a href="/">返回首页</a></p>
</main></body>
</html>
"""


class PermissionRefused(PermissionDenied):
    """A ``PermissionDenied`` whose message is written for the visitor (translated, naming
    no internals): the 403 page shows it. ``raise PermissionRefused(_("该嘉宾链接已过期。"))``"""


def error_language(request) -> str:
    """The language LocaleMiddleware chose for the request; before it has run, English for
    ``/en/...`` and Chinese for everything else."""
    languages = {code for code, _name in settings.LANGUAGES}
    chosen = getattr(request, "LANGUAGE_CODE", None)
    if chosen in languages:
        return chosen
    return translation.get_language_from_path(request.path_info) or settings.LANGUAGE_CODE


def _render(request, template_name: str, status: int, extra: dict | None = None, site_layout: bool = False):
    language = error_language(request)
    request_id = request_id_of(request)
    context = {
        "request_id": request_id,
        "status": status,
        **accessibility.context(request),
        **(extra or {}),
    }
    with translation.override(language):
        if site_layout:
            try:
                return HttpResponse(loader.render_to_string(template_name, context, request), status=status)
            except Exception:
                logger.exception("%s page: the site layout failed, serving the plain one", status)
        try:
            # No request: no context processors, no site, no database.
            html = loader.render_to_string(template_name, {**context, "layout": PLAIN_LAYOUT})
        except Exception:
            logger.exception("%s page: the plain template failed, serving the last-resort page", status)
            html = LAST_RESORT.format(request_id=request_id)
    return HttpResponse(html, status=status)


def bad_request(request, exception=None):
    return _render(request, "400.html", 400)


def permission_denied(request, exception=None):
    reason = str(exception) if isinstance(exception, PermissionRefused) and exception.args else ""
    return _render(request, "403.html", 403, {"reason": reason}, site_layout=True)


def page_not_found(request, exception=None):
    return _render(request, "404.html", 404, site_layout=True)


def server_error(request):
    return _render(request, "500.html", 500)
