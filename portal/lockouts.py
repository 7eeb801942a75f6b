"""设置 → 登录锁定: the admin logins django-axes has locked out (username and address),
and a button to lift one. Superusers only.

A lockout is read from axes' own records the way axes reads them: the failures of a
username and address within the cool-off period (summed over browsers), locked at
``AXES_FAILURE_LIMIT``. It ends when enough of those failures have aged past the
cool-off; with one browser, ``AXES_COOLOFF_TIME`` after the last failed attempt.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from axes.helpers import get_cool_off, get_failure_limit
from axes.models import AccessAttempt
from axes.utils import reset
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.views.generic import WagtailAdminTemplateMixin

logger = logging.getLogger(__name__)


@dataclass
class Lockout:
    username: str | None
    ip_address: str | None
    failures: int
    last_attempt: datetime
    expires_at: datetime


def current_lockouts(now: datetime | None = None) -> list[Lockout]:
    """Every username and address locked out now, the most recent first."""
    now = now or timezone.now()
    cool_off = get_cool_off()
    limit = get_failure_limit(None, None)
    attempts = AccessAttempt.objects.order_by("-attempt_time").values_list(
        "username", "ip_address", "failures_since_start", "attempt_time"
    )
    if cool_off is not None:
        attempts = attempts.filter(attempt_time__gte=now - cool_off)
    groups: dict[tuple, list] = {}
    for username, ip_address, failures, attempt_time in attempts:
        groups.setdefault((username, ip_address), []).append((failures, attempt_time))
    lockouts = []
    for (username, ip_address), rows in groups.items():
        counted = 0
        for failures, attempt_time in rows:  # newest first
            counted += failures
            if counted >= limit:
                # Locked until this attempt ages out: the newer ones alone stay under the limit.
                expires_at = attempt_time + cool_off if cool_off is not None else None
                total = sum(failures for failures, _time in rows)
                lockouts.append(Lockout(username, ip_address, total, rows[0][1], expires_at))
                break
    return lockouts


class SuperuserOnlyMixin:
    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_superuser:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class LockoutListView(SuperuserOnlyMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "portal/admin/lockouts.html"
    page_title = gettext_lazy("登录锁定")
    header_icon = "lock"

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["lockouts"] = current_lockouts()
        context["failure_limit"] = get_failure_limit(self.request, None)
        cool_off = get_cool_off(self.request)
        context["cool_off_minutes"] = int(cool_off.total_seconds() // 60) if cool_off else None
        return context


class LockoutResetView(SuperuserOnlyMixin, TemplateView):
    """POST only (CSRF-checked by the middleware): forget the failures of one username
    and address, which lifts its lockout."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        username = request.POST.get("username", "")
        ip_address = request.POST.get("ip_address", "")
        if username and ip_address:
            count = reset(ip=ip_address, username=username)
        else:
            # axes' reset() treats a missing value as "any": match the empty one exactly instead.
            count, _deleted = AccessAttempt.objects.filter(
                username=username or None, ip_address=ip_address or None
            ).delete()
        logger.info("Login lockout lifted by %s: %r from %r (%d records)", request.user, username, ip_address, count)
        if count:
            messages.success(
                request,
                _("已解除 %(username)s（%(ip)s）的登录锁定。") % {"username": username or "-", "ip": ip_address or "-"},
            )
        else:
            messages.warning(request, _("没有找到这条锁定记录，它可能已经过期或已被解除。"))
        return HttpResponseRedirect(reverse("login_lockouts"))
