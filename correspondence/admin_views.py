"""Letters in the Wagtail admin (来信办理): a filtered list and, per letter, one page with
its content, attachments, timeline and the actions (assign, extend, reply or submit the
reply for sign-off, not handled, publish; approve or return a reply waiting for sign-off).
Staff see only the letters of sites whose pages they may edit; approvers who do not handle
letters see those of the mailboxes whose replies they sign off."""

from __future__ import annotations

import django_filters
from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views.generic import IndexView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.models import Site
from wagtail.permission_policies import ModelPermissionPolicy

from portal import converters  # noqa: F401 - registers <id:…> (portal/converters.py)
from portal.errors import PermissionRefused
from portal.forms import require_valid
from portal.permissions import in_editable_trees
from portal.uploads import private_download

from . import queries, services
from .forms import AssignForm, ReasonForm, ReplyForm
from .models import Letter, LetterEvent, MailboxPage


def letters_for_user(user):
    """Letters of the sites (page trees) where the user may edit pages; for an approver who
    does not handle letters, only those of the mailboxes whose replies their group signs off."""
    letters = in_editable_trees(user, Letter.objects.all(), "mailbox__path")
    if user.has_perm("correspondence.view_letter") or user.has_perm("correspondence.handle_letter"):
        return letters
    return letters.filter(mailbox__signoff_required=True, mailbox__signoff_group__in=user.groups.all())


def signs_off_replies(user) -> bool:
    """Whether the user's groups sign off some mailbox's replies (kept on the user object for
    the request: the admin menu asks on every page)."""
    if not user.is_active:
        return False
    if not hasattr(user, "_signs_off_replies"):
        user._signs_off_replies = MailboxPage.objects.filter(
            signoff_required=True, signoff_group__in=user.groups.all()
        ).exists()
    return user._signs_off_replies


class LetterPermissionPolicy(ModelPermissionPolicy):
    """Letters come only from the public and are never deleted: no add, copy or delete.
    "change" (handling a letter) needs the ``handle_letter`` permission; "view" is also given
    to approvers (members of a mailbox's sign-off group), who open letters to sign them off."""

    def user_has_permission(self, user, action):
        if action in ("add", "delete", "copy"):
            return False
        if action == "change":
            return user.is_active and user.has_perm("correspondence.handle_letter")
        if action == "view":
            return super().user_has_permission(user, action) or signs_off_replies(user)
        return super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)


class MailboxChoiceField(forms.ModelChoiceField):
    """Mailboxes named with their site: every site has a 局长信箱."""

    def __init__(self, *args, labels=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.labels = labels or {}

    def label_from_instance(self, obj):
        return self.labels.get(obj.pk) or super().label_from_instance(obj)


class MailboxFilter(django_filters.ModelChoiceFilter):
    field_class = MailboxChoiceField


class LetterFilterSet(WagtailFilterSet):
    overdue = django_filters.BooleanFilter(label=_("已超期未办结"), method="filter_overdue")

    class Meta:
        model = Letter
        fields = ["mailbox", "site", "status", "signoff", "category"]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        user = request.user if request else None
        mailboxes = MailboxPage.objects.order_by("path")
        if user is not None and not user.is_superuser:
            letters = letters_for_user(user)
            mailboxes = mailboxes.filter(pk__in=letters.values("mailbox_id").distinct())
            self.filters["site"].queryset = Site.objects.filter(pk__in=letters.values("site_id").distinct())
        self.filters["mailbox"] = MailboxFilter(
            field_name="mailbox",
            label=Letter._meta.get_field("mailbox").verbose_name,
            queryset=mailboxes,
            labels=queries.mailbox_labels(mailboxes),
        )
        self.filters["category"] = django_filters.CharFilter(label=_("类别"), lookup_expr="exact")

    def filter_overdue(self, queryset, name, value):
        today = timezone.localdate()
        overdue = Q(status__in=Letter.OPEN_STATUSES, due_date__lt=today)
        if value is True:
            return queryset.filter(overdue)
        if value is False:
            return queryset.exclude(overdue)
        return queryset


class LetterIndexView(IndexView):
    def get_base_queryset(self):
        return letters_for_user(self.request.user).select_related("mailbox", "department")

    def get_edit_url(self, instance):
        """Every listed letter links to its page, also for approvers who may not handle it:
        the page shows each user what they may do."""
        return reverse(self.edit_url_name, args=(instance.pk,))


class LetterDetailView(WagtailAdminTemplateMixin, TemplateView):
    """One letter, its timeline and the forms for each action."""

    template_name = "correspondence/admin/letter_detail.html"
    viewset = None

    def dispatch(self, request, *args, **kwargs):
        if not self.viewset.permission_policy.user_has_any_permission(request.user, ["view", "change"]):
            raise PermissionDenied
        self.letter = get_object_or_404(
            letters_for_user(request.user).select_related("mailbox", "site", "department", "assignee"),
            pk=kwargs["pk"],
        )
        self.can_handle = self.viewset.permission_policy.user_has_permission(request.user, "change")
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return f"{self.letter.code} {self.letter.subject}"

    def get_header_icon(self):
        return "mail"

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse(self.viewset.get_url_name("index")), "label": _("来信办理")},
            {"url": "", "label": self.letter.code},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        letter = self.letter
        user = self.request.user
        events = list(letter.events.select_related("user"))
        signoff_steps = [event for event in events if event.action in SIGNOFF_ACTIONS]
        signoff_step = signoff_steps[-1] if signoff_steps and letter.signoff else None
        by = signoff_step and signoff_step.user
        context.update(
            {
                "letter": letter,
                "events": events,
                "attachments": letter.attachments.all(),
                "can_handle": self.can_handle,
                "overdue": letter.is_overdue(),
                "action_url": lambda name: reverse(self.viewset.get_url_name("action"), args=(letter.pk, name)),
                "assign_form": AssignForm(
                    letter=letter, initial={"department": letter.department, "assignee": letter.assignee}
                ),
                "extend_form": ReasonForm(prefix="extend"),
                "reply_form": ReplyForm(prefix="reply", initial={"text": letter.draft_reply}),
                "refuse_form": ReasonForm(prefix="refuse"),
                "return_form": ReasonForm(prefix="return"),
                "signoff_step": signoff_step,  # the submission waiting, or the return with its reason
                "signoff_by": (by.get_full_name() or by.get_username()) if by else "",
                "can_sign_off": letter.awaiting_signoff and services.may_sign_off(user, letter),
                "is_drafter": letter.draft_by_id is not None and letter.draft_by_id == user.pk,
                "action_names": ACTIONS,
            }
        )
        return context


ACTIONS = ("assign", "extend", "reply", "submit", "refuse", "publish", "unpublish", "approve", "return")
# Approving or returning a reply is for the mailbox's approvers, checked by the services (403).
SIGNOFF_DECISIONS = ("approve", "return")
SIGNOFF_ACTIONS = (
    LetterEvent.Action.SIGNOFF_SUBMITTED,
    LetterEvent.Action.SIGNOFF_APPROVED,
    LetterEvent.Action.SIGNOFF_RETURNED,
)


class LetterActionView(LetterDetailView):
    """POST one action; errors come back as messages on the letter page. A refusal is a 403
    page saying why (not Wagtail's redirect to the dashboard)."""

    http_method_names = ["post"]

    def dispatch(self, request, *args, **kwargs):
        try:
            return super().dispatch(request, *args, **kwargs)
        except PermissionDenied as refusal:
            reason = str(refusal) if isinstance(refusal, PermissionRefused) else _("您没有权限进行此操作。")
            context = {
                "page_title": _("没有权限"),
                "header_title": _("没有权限"),
                "header_icon": "mail",
                "reason": reason,
                "letter": getattr(self, "letter", None),
            }
            return TemplateResponse(request, "correspondence/admin/refused.html", context, status=403)

    def post(self, request, pk, action):
        if action not in SIGNOFF_DECISIONS and not self.can_handle:
            raise PermissionDenied
        letter = self.letter
        user = request.user
        try:
            if action == "assign":
                form = AssignForm(request.POST, letter=letter)
                require_valid(form)
                data = form.cleaned_data
                services.assign(letter, user, data["department"], data["assignee"], data["note"])
                done = _("已分办。")
            elif action == "extend":
                form = ReasonForm(request.POST, prefix="extend")
                require_valid(form)
                services.extend(letter, user, form.cleaned_data["text"])
                done = _("已延期，新的答复期限为 %(date)s。") % {"date": letter.due_date.isoformat()}
            elif action in ("reply", "refuse"):
                form = (ReplyForm if action == "reply" else ReasonForm)(request.POST, prefix=action)
                require_valid(form)
                services.answer(letter, user, form.cleaned_data["text"], handled=action == "reply")
                done = _("已答复。") if action == "reply" else _("已说明不予受理的理由。")
            elif action == "submit":
                form = ReplyForm(request.POST, prefix="reply")
                require_valid(form)
                if not services.submit_for_signoff(letter, user, form.cleaned_data["text"]):
                    messages.warning(request, _("签批人中没有人有电子邮箱，请另行通知签批人。"))
                done = _("已提交签批，签批通过后答复发送给来信人。")
            elif action == "approve":
                services.approve(letter, user)
                done = _("签批通过，已答复来信人。")
            elif action == "return":
                form = ReasonForm(request.POST, prefix="return")
                require_valid(form)
                services.return_for_revision(letter, user, form.cleaned_data["text"])
                done = _("已退回修改，起草人会收到通知。")
            elif action in ("publish", "unpublish"):
                services.set_published(letter, user, action == "publish")
                done = _("已公开。") if action == "publish" else _("已撤销公开。")
            else:
                raise Http404
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, done)
        return HttpResponseRedirect(reverse(self.viewset.get_url_name("edit"), args=(letter.pk,)))


class AttachmentView(LetterDetailView):
    """Staff download of an attachment (never a public URL)."""

    def get(self, request, pk, attachment_id):
        return private_download(get_object_or_404(self.letter.attachments, pk=attachment_id))


class LetterViewSet(ModelViewSet):
    model = Letter
    icon = "mail"
    menu_label = _("来信办理")
    menu_order = 260
    add_to_admin_menu = True
    index_view_class = LetterIndexView
    filterset_class = LetterFilterSet
    search_fields = ["code", "subject", "content"]
    list_per_page = 30
    copy_view_enabled = False
    list_display = [
        "subject",
        Column("code", label=_("查询码")),
        Column("mailbox", label=_("信箱")),
        Column("status", label=_("状态"), accessor="status_label"),
        Column("signoff", label=_("签批"), accessor="get_signoff_display"),
        DateColumn("received_at", label=_("收信时间")),
        Column("due_date", label=_("答复期限")),
        Column("department", label=_("承办部门")),
    ]

    def get_urlpatterns(self):
        def view(cls):
            return cls.as_view(viewset=self)

        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("<id:pk>/", view(LetterDetailView), name="edit"),
            path("<id:pk>/<str:action>/", view(LetterActionView), name="action"),
            path("<id:pk>/attachments/<id:attachment_id>/", view(AttachmentView), name="attachment"),
        ]
