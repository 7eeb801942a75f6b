"""设置 → 发信队列: the outbox of outgoing mail (``portal/outbox.py``) for superusers, as a
Wagtail ``ModelViewSet`` over django-post-office's ``Email`` records: every mail with its
status, attempts, the last error and when it is tried next, a *重新发送* button on failed mails,
and a dashboard panel when mails have failed or wait too long. Superusers only: the rows hold
the addresses of letter writers and subscribers and the texts of their mails; the listing
shows recipients and subjects, never a body. Nobody adds, edits or deletes mails here.
"""

from __future__ import annotations

from django.contrib.auth.models import Permission
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_filters import ChoiceFilter
from post_office.models import STATUS, Email
from post_office.settings import get_max_retries, get_retry_timedelta
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import ListingButton

from . import outbox
from .lockouts import SuperusersOnly


class OutboxPermissionPolicy(SuperusersOnly):
    """Superusers may list the outbox ("view") and put a failed mail back in it ("change")."""

    actions = {"view", "change"}


def status_labels() -> dict[int, str]:
    return {
        STATUS.queued: _("待发送"),
        STATUS.requeued: _("等待重试"),
        STATUS.sent: _("已发送"),
        STATUS.failed: _("发送失败"),
    }


def _when(value) -> str:
    return date_format(timezone.localtime(value), "Y-m-d H:i") if value else "-"


def _next_attempt(row) -> str:
    if row.status not in (STATUS.queued, STATUS.requeued):
        return "-"
    if row.scheduled_time is None or row.scheduled_time <= timezone.now():
        return _("下一次发信时")
    return _when(row.scheduled_time)


def _error(row) -> str:
    if not row.last_error_type and not row.last_error:
        return "-"
    return Truncator(f"{row.last_error_type}: {row.last_error}").chars(200)


class OutboxFilterSet(WagtailFilterSet):
    status = ChoiceFilter(
        label=gettext_lazy("状态"),
        empty_label=gettext_lazy("全部"),
        choices=lambda: sorted(status_labels().items()),
    )

    class Meta:
        model = Email
        fields = ["status"]


class OutboxIndexView(generic.IndexView):
    page_title = gettext_lazy("发信队列")
    verbose_name = verbose_name_plural = gettext_lazy("封邮件")  # "12 封邮件" under the listing
    default_ordering = "-created"
    template_name = "portal/admin/outbox/index.html"
    filterset_class = OutboxFilterSet

    def get_base_queryset(self):
        return outbox.listing()

    @cached_property
    def no_results_message(self):
        return _("发信队列中没有邮件。")

    @cached_property
    def columns(self):
        title_column = self._get_title_column_class(TitleColumn)  # with the row's 重新发送 button
        labels = status_labels()
        return [
            title_column("to", label=_("收件人"), accessor=lambda row: ", ".join(row.to) or "-"),
            Column("subject", label=_("主题"), accessor=lambda row: Truncator(row.subject).chars(60)),
            Column("status", label=_("状态"), accessor=lambda row: labels.get(row.status, "-"), sort_key="status"),
            Column("attempts", label=_("尝试次数"), sort_key="attempts"),
            Column("last_error", label=_("最近一次错误"), accessor=_error),
            Column("next_attempt", label=_("下次尝试"), accessor=_next_attempt),
            Column("created", label=_("加入队列"), accessor=lambda row: _when(row.created), sort_key="created"),
        ]

    def get_list_more_buttons(self, instance):
        if instance.status != STATUS.failed:
            return []
        label = _("重新发送给 %(to)s 的邮件") % {"to": ", ".join(instance.to)}
        url = reverse("outbox:resend", args=[instance.pk])
        return [ListingButton(_("重新发送"), url=url, icon_name="mail", attrs={"aria-label": label})]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["counts"] = outbox.counts()
        context["retries"] = get_max_retries()
        context["retry_minutes"] = int(get_retry_timedelta().total_seconds() // 60)
        context["late_minutes"] = int(outbox.LATE_AFTER.total_seconds() // 60)
        return context


class ResendView(generic.DeleteView):
    """GET asks for confirmation, POST (CSRF-checked) puts the failed mail back in the queue.
    Only failed mails can be resent (any other is 404)."""

    permission_required = "change"
    page_title = gettext_lazy("重新发送")
    template_name = "portal/admin/outbox/confirm_resend.html"

    def get_queryset(self):
        return Email.objects.filter(status=STATUS.failed)

    def get_page_subtitle(self):
        return self.object.subject

    def get_delete_url(self):
        return reverse("outbox:resend", args=[self.object.pk])

    @property
    def confirmation_message(self):
        return _("将把发给 %(to)s 的这封邮件重新放入发信队列，发信程序下一次运行时发送（通常在一分钟内）。") % {
            "to": ", ".join(self.object.to)
        }

    def delete_action(self):
        outbox.resend(self.object, self.request.user)

    def get_success_message(self):
        return _("已将发给 %(to)s 的邮件重新放入发信队列。") % {"to": ", ".join(self.object.to)}


class OutboxViewSet(ModelViewSet):
    model = Email
    name = "outbox"
    url_prefix = "outbox"
    icon = "mail"
    menu_label = gettext_lazy("发信队列")
    menu_order = 910
    add_to_settings_menu = True
    add_to_reference_index = False
    copy_view_enabled = False
    inspect_view_enabled = False
    index_view_class = OutboxIndexView

    def get_common_view_kwargs(self, **kwargs):
        # Listing and resending only: post_office writes these records, nobody edits them here.
        none = dict.fromkeys(["add_url_name", "edit_url_name", "delete_url_name", "history_url_name"])
        return super().get_common_view_kwargs(**{**none, "usage_url_name": None, **kwargs})

    @property
    def resend_view(self):
        return self.construct_view(ResendView, **self.get_delete_view_kwargs())

    def get_urlpatterns(self):
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path(f"resend/<{self.pk_path_converter}:pk>/", self.resend_view, name="resend"),
        ]

    def get_permissions_to_register(self):
        return Permission.objects.none()  # superusers only: nothing to grant to a group

    def register_admin_url_finder(self):
        pass  # no edit view to link to


class OutboxPanel(Component):
    """On a superuser's dashboard while mails have failed or wait too long (the sender is not
    running); nothing otherwise. One query, for superusers only."""

    name = "portal_outbox"
    template_name = "portal/admin/outbox/dashboard_panel.html"
    order = 50  # at the top: mail that did not go out needs someone

    def __init__(self, user):
        self.user = user

    def render_html(self, parent_context=None):
        if not (self.user.is_active and self.user.is_superuser):
            return ""
        self.counts = outbox.counts()
        if not (self.counts["failed"] or self.counts["late"]):
            return ""
        return super().render_html(parent_context)

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        index = reverse("outbox:index")
        context.update(
            failed=self.counts["failed"],
            late=self.counts["late"],
            late_minutes=int(outbox.LATE_AFTER.total_seconds() // 60),
            failed_url=f"{index}?status={STATUS.failed}",
            index_url=index,
        )
        return context
