"""The portal's URLconf plus views that fail on purpose, for tests/portal/test_error_pages.py
(``@pytest.mark.urls("tests.error_urls")``). Chinese at ``/<name>/``, English at
``/en/<name>/``, in front of Wagtail's catch-all."""

from django.conf.urls.i18n import i18n_patterns
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.db.utils import OperationalError
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext as _

from portal.errors import PermissionRefused
from portal.ratelimit import RateLimit
from portal.urls import handler400, handler403, handler404, handler500  # noqa: F401 - the handlers under test
from portal.urls import urlpatterns as portal_urlpatterns

# Text no error page may show: what an exception says about the machine.
SECRET = "secret-internal-detail at /srv/portal/settings/production.py line 42"
TEST_LIMIT = RateLimit("error-pages-test", "LOOKUP_RATE_LIMIT", "LOOKUP_RATE_WINDOW")


def explode(request):
    raise RuntimeError(SECRET)


def database_gone(request):
    raise OperationalError(SECRET)


def suspicious(request):
    raise SuspiciousOperation(SECRET)


def forbidden(request):
    raise PermissionDenied(SECRET)


def refused(request):
    raise PermissionRefused(_("嘉宾链接无效。"))


def limited(request):
    if TEST_LIMIT.exceeded(request):
        return TEST_LIMIT.refuse(request, _("查询失败次数过多，为保护来信人信息，暂时不能继续查询。"))
    TEST_LIMIT.hit(request)
    return HttpResponse("ok")


def lockout(request):
    """The template django-axes renders for a locked-out login (AXES_LOCKOUT_TEMPLATE)."""
    return render(request, "429.html", {"failure_limit": 5, "username": "admin"}, status=429)


failing = [
    path("boom/", explode),
    path("database-gone/", database_gone),
    path("suspicious/", suspicious),
    path("forbidden/", forbidden),
    path("refused/", refused),
    path("limited/", limited),
    path("lockout/", lockout),
]

urlpatterns = i18n_patterns(*failing, prefix_default_language=False) + portal_urlpatterns
