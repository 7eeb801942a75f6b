"""设置 → 登录锁定: the admin logins django-axes has locked out (username and address), as a
Wagtail ``ModelViewSet`` over axes' own ``AccessAttempt`` records, with *解除锁定* (axes' own
reset, logged). Superusers only; nobody adds or edits axes' records by hand.

A lockout is read from the records the way axes reads them: the failures of a username and
address within the cool-off period (summed over browsers, one record each), locked at
``AXES_FAILURE_LIMIT``. It ends when enough of those failures have aged past the cool-off;
with one browser, ``AXES_COOLOFF_TIME`` after the last failed attempt. The listing shows one
row per locked username and address: the record whose failures, counted from the newest,
reach the limit (when it ages out, the lock ends).
"""

from __future__ import annotations

import logging
from datetime import datetime

from axes.helpers import get_cool_off, get_failure_limit
from axes.models import AccessAttempt
from axes.utils import reset
from django.contrib.auth.models import Permission
from django.db import models, transaction
from django.db.models import ExpressionWrapper, F, Max, Sum, Value, Window
from django.db.models.expressions import RowRange
from django.urls import path
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import ListingButton
from wagtail.log_actions import log
from wagtail.permission_policies.base import BasePermissionPolicy

logger = logging.getLogger(__name__)

LOG_ACTION = "portal.lift_lockout"


def locked_out(now: datetime | None = None) -> models.QuerySet[AccessAttempt]:
    """One record per username and address locked out now, annotated with ``failures`` (within
    the cool-off), ``last_attempt`` and ``locked_until`` (``None`` without a cool-off)."""
    now = now or timezone.now()
    cool_off = get_cool_off()
    limit = get_failure_limit(None, None)
    attempts = AccessAttempt.objects.all()
    if cool_off is not None:
        attempts = attempts.filter(attempt_time__gte=now - cool_off)
        locked_until = ExpressionWrapper(F("attempt_time") + Value(cool_off), output_field=models.DateTimeField())
    else:
        locked_until = Value(None, output_field=models.DateTimeField())
    group = [F("username"), F("ip_address")]
    return attempts.annotate(
        failures=Window(Sum("failures_since_start"), partition_by=group),
        last_attempt=Window(Max("attempt_time"), partition_by=group),
        # Failures of this record and the newer ones of the same username and address.
        counted=Window(
            Sum("failures_since_start"),
            partition_by=group,
            order_by=[F("attempt_time").desc(), F("pk").desc()],
            frame=RowRange(start=None, end=0),
        ),
        locked_until=locked_until,
    ).filter(counted__gte=limit, counted__lt=limit + F("failures_since_start"))  # the record that reaches it


def lift(attempt: AccessAttempt, user) -> int:
    """Forget the failures of the attempt's username and address (every browser), which lifts
    its lockout; logged in Wagtail's history and the log. Returns the records removed."""
    username, ip_address = attempt.username, attempt.ip_address
    with transaction.atomic():
        log(
            instance=attempt,
            action=LOG_ACTION,
            user=user,
            title=f"{username or '-'}（{ip_address or '-'}）",
            data={"username": username, "ip_address": ip_address},
            deleted=True,
        )
        if username and ip_address:
            count = reset(ip=ip_address, username=username)
        else:
            # axes' reset() takes a missing value as "any": match the empty one exactly instead.
            count, _deleted = AccessAttempt.objects.filter(username=username, ip_address=ip_address).delete()
    logger.info("Login lockout lifted by %s: %r from %r (%d records)", user, username, ip_address, count)
    return count


class SuperusersOnly(BasePermissionPolicy):
    """Superusers may list lockouts and lift them ("view", "delete"); nobody may add or edit
    axes' records here, so the viewset offers neither."""

    actions = {"view", "delete"}

    def user_has_permission(self, user, action):
        return action in self.actions and user.is_active and user.is_superuser

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def users_with_any_permission(self, actions):
        from django.contrib.auth import get_user_model

        if not self.actions & set(actions):
            return get_user_model().objects.none()
        return get_user_model().objects.filter(is_active=True, is_superuser=True)

    def users_with_permission(self, action):
        return self.users_with_any_permission([action])


def _when(value) -> str:
    return date_format(timezone.localtime(value), "Y-m-d H:i:s") if value else "-"


class LockoutIndexView(generic.IndexView):
    page_title = gettext_lazy("登录锁定")
    verbose_name = verbose_name_plural = gettext_lazy("条登录锁定")  # "3 条登录锁定" under the listing
    default_ordering = "-last_attempt"
    template_name = "portal/admin/lockouts/index.html"

    def get_base_queryset(self):
        return locked_out()

    @cached_property
    def no_results_message(self):
        return _("当前没有被锁定的登录。")

    @cached_property
    def columns(self):
        title_column = self._get_title_column_class(TitleColumn)  # with the row's 解除锁定 button
        return [
            title_column("username", label=_("用户名"), accessor=lambda row: row.username or "-"),
            Column("ip_address", label=_("网络地址"), accessor=lambda row: row.ip_address or "-"),
            Column("failures", label=_("失败次数")),
            Column(
                "last_attempt",
                label=_("最近一次尝试"),
                accessor=lambda row: _when(row.last_attempt),
                sort_key="last_attempt",
            ),
            Column("locked_until", label=_("锁定到期时间"), accessor=lambda row: _when(row.locked_until)),
        ]

    def get_list_more_buttons(self, instance):
        url = self.get_delete_url(instance)
        if not url:
            return []
        label = _("解除 %(username)s（%(ip)s）的锁定") % {
            "username": instance.username or "-",
            "ip": instance.ip_address or "-",
        }
        return [ListingButton(_("解除锁定"), url=url, icon_name="lock-open", attrs={"aria-label": label})]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["failure_limit"] = get_failure_limit(self.request, None)
        cool_off = get_cool_off(self.request)
        context["cool_off_minutes"] = int(cool_off.total_seconds() // 60) if cool_off else None
        return context


class LiftLockoutView(generic.DeleteView):
    """GET asks for confirmation, POST (CSRF-checked) lifts the lockout with axes' reset."""

    page_title = gettext_lazy("解除锁定")
    template_name = "portal/admin/lockouts/confirm_lift.html"

    def get_page_subtitle(self):
        return f"{self.object.username or '-'}（{self.object.ip_address or '-'}）"

    @property
    def confirmation_message(self):
        return _("解除后，%(username)s 可以立即从 %(ip)s 再次登录。确认是本人操作后再解除。") % {
            "username": self.object.username or "-",
            "ip": self.object.ip_address or "-",
        }

    def delete_action(self):
        self.lifted = lift(self.object, self.request.user)

    def get_success_message(self):
        return _("已解除 %(username)s（%(ip)s）的登录锁定。") % {
            "username": self.object.username or "-",
            "ip": self.object.ip_address or "-",
        }


class LockoutViewSet(ModelViewSet):
    model = AccessAttempt
    name = "login_lockouts"
    url_prefix = "login-lockouts"
    icon = "lock"
    menu_label = gettext_lazy("登录锁定")
    menu_order = 900
    add_to_settings_menu = True
    add_to_reference_index = False
    copy_view_enabled = False
    index_view_class = LockoutIndexView
    delete_view_class = LiftLockoutView

    def get_delete_view_kwargs(self, **kwargs):
        return super().get_delete_view_kwargs(usage_url_name=None, **kwargs)

    def get_urlpatterns(self):
        # Listing and lifting only: axes writes these records, nobody adds or edits them here.
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path(f"delete/<{self.pk_path_converter}:pk>/", self.delete_view, name="delete"),
        ]

    def get_permissions_to_register(self):
        return Permission.objects.none()  # superusers only: nothing to grant to a group

    def register_admin_url_finder(self):
        pass  # no edit view to link to
