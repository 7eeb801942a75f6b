"""依申请公开 in the Wagtail admin (政府信息公开申请): a filtered list and, per application, one page
with the applicant's data, the request, the clock, the timeline, the 复议/诉讼 records and the
forms of each step (登记, 分办, 告知补正 and 收到补正, 征求第三方意见, 延期, 答复). Staff see the
applications of sites whose pages they may edit and need ``handle_application`` to act."""

from __future__ import annotations

import django_filters
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic import IndexView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.models import Site
from wagtail.permission_policies import ModelPermissionPolicy

from portal import converters  # noqa: F401 - registers <id:…> (portal/converters.py)
from portal.forms import require_valid
from portal.permissions import in_editable_trees
from portal.uploads import private_download

from . import clock, notice, services
from .forms import (
    AssignForm,
    ClarifiedForm,
    ClarifyRequestForm,
    ConsultEndForm,
    ConsultForm,
    DecideForm,
    ExtendForm,
    PaperApplicationForm,
    RegisterForm,
    ReviewForm,
    ReviewResultForm,
)
from .models import Application, ApplicationPage
from .outcomes import REASONS


def applications_for_user(user):
    return in_editable_trees(user, Application.objects.all(), "page__path")


class ApplicationPermissionPolicy(ModelPermissionPolicy):
    """Applications come from the public (or are typed in from paper by the services) and are
    never deleted: no add, copy or delete here; "change" is handling one."""

    def user_has_permission(self, user, action):
        if action in ("delete", "copy"):
            return False
        if action in ("add", "change"):  # add: type in an application that came on paper
            return user.is_active and user.has_perm("inforequests.handle_application")
        return super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)


class ApplicationFilterSet(WagtailFilterSet):
    overdue = django_filters.BooleanFilter(label=_("已超期未答复"), method="filter_overdue")

    class Meta:
        model = Application
        fields = ["site", "status", "applicant_type", "outcome"]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        user = request.user if request else None
        if user is not None and not user.is_superuser:
            mine = applications_for_user(user)
            self.filters["site"].queryset = Site.objects.filter(pk__in=mine.values("site_id").distinct())

    def filter_overdue(self, queryset, name, value):
        overdue = Q(
            status__in=Application.CLOCK_RUNNING,
            due_date__lt=timezone.localdate(),
        )
        if value is True:
            return queryset.filter(overdue)
        if value is False:
            return queryset.exclude(overdue)
        return queryset


class ApplicationIndexView(IndexView):
    def get_base_queryset(self):
        return applications_for_user(self.request.user).select_related("site")


class ApplicationDetailView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "inforequests/admin/application_detail.html"
    viewset = None

    def dispatch(self, request, *args, **kwargs):
        if not self.viewset.permission_policy.user_has_any_permission(request.user, ["view", "change"]):
            raise PermissionDenied
        self.application = get_object_or_404(
            applications_for_user(request.user).select_related("page", "site", "assignee"), pk=kwargs["pk"]
        )
        self.can_handle = self.viewset.permission_policy.user_has_permission(request.user, "change")
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return f"{self.application.code} {self.application.info_title}"

    def get_header_icon(self):
        return "doc-full"

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse(self.viewset.get_url_name("index")), "label": _("政府信息公开申请")},
            {"url": "", "label": self.application.code},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        application = self.application
        status = Application.Status
        context.update(
            {
                "application": application,
                "events": application.events.select_related("user"),
                "attachments": application.attachments.all(),
                "can_handle": self.can_handle,
                "overdue": application.is_overdue(),
                "url_name": self.viewset.get_url_name("action"),
                "may": {
                    "register": application.status == status.RECEIVED,
                    "assign": application.is_open,
                    "clarify_request": application.status in (status.RECEIVED, status.PROCESSING)
                    and application.clarify_requested_on is None,
                    "clarified": application.status == status.CLARIFYING,
                    "consult": application.status == status.PROCESSING,
                    "consult_end": application.status == status.CONSULTING,
                    "extend": application.status in (status.PROCESSING, status.CONSULTING) and not application.extended,
                    "decide": application.status in Application.CLOCK_RUNNING,
                    "review": not application.is_open,
                },
                "forms": {
                    "register": RegisterForm(initial={"received_on": timezone.localdate(application.submitted_at)}),
                    "assign": AssignForm(application=application, initial={"assignee": application.assignee}),
                    "clarify_request": ClarifyRequestForm(prefix="clarify_request"),
                    "clarified": ClarifiedForm(prefix="clarified"),
                    "consult": ConsultForm(prefix="consult"),
                    "consult_end": ConsultEndForm(prefix="consult_end"),
                    "extend": ExtendForm(prefix="extend"),
                    "decide": DecideForm(prefix="decide"),
                    "review": ReviewForm(prefix="review"),
                },
                "review_forms": [
                    (review, ReviewResultForm(instance=review, prefix=f"r{review.pk}"))
                    for review in application.reviews.all()
                ],
                "reasons": [
                    (outcome.label, [reason.label for reason in reasons])
                    for outcome, reasons in REASONS.items()
                    if reasons
                ],
                "clock": clock,
            }
        )
        return context


ACTIONS = (
    "register",
    "assign",
    "clarify_request",
    "clarified",
    "consult",
    "consult_end",
    "extend",
    "decide",
    "review",
)


class ApplicationActionView(ApplicationDetailView):
    """POST one step; problems come back as messages on the application's page. Without
    ``handle_application``: a 403 page saying so."""

    http_method_names = ["post"]

    def dispatch(self, request, *args, **kwargs):
        try:
            return super().dispatch(request, *args, **kwargs)
        except PermissionDenied:
            context = {
                "page_title": _("没有权限"),
                "header_title": _("没有权限"),
                "header_icon": "doc-full",
                "reason": _("您没有办理政府信息公开申请的权限。"),
            }
            return TemplateResponse(request, "inforequests/admin/refused.html", context, status=403)

    def post(self, request, pk, action, review_id=None):
        if not self.can_handle:
            raise PermissionDenied
        application = self.application
        user = request.user
        data = request.POST
        try:
            if action == "register":
                form = RegisterForm(data)
                require_valid(form)
                services.register(application, user, form.cleaned_data["received_on"])
                done = _("已登记受理，答复期限为 %(date)s。")
            elif action == "assign":
                form = AssignForm(data, application=application)
                require_valid(form)
                services.assign(application, user, form.cleaned_data["assignee"], form.cleaned_data["note"])
                done = _("已分办。")
            elif action == "clarify_request":
                form = ClarifyRequestForm(data, prefix=action)
                require_valid(form)
                cleaned = form.cleaned_data
                services.request_clarification(application, user, cleaned["text"], cleaned["deadline"], cleaned["on"])
                done = _("已告知补正，补正期限为 %(deadline)s；期限停止计算。")
            elif action == "clarified":
                form = ClarifiedForm(data, prefix=action)
                require_valid(form)
                services.clarify(application, form.cleaned_data["text"], user=user, on=form.cleaned_data["on"])
                done = _("已记录补正，答复期限重新计算为 %(date)s。")
            elif action == "consult":
                form = ConsultForm(data, prefix=action)
                require_valid(form)
                services.start_consultation(
                    application, user, form.cleaned_data["third_party"], form.cleaned_data["on"]
                )
                done = _("已记录征求第三方意见，第三方答复的时间不计入答复期限。")
            elif action == "consult_end":
                form = ConsultEndForm(data, prefix=action)
                require_valid(form)
                services.end_consultation(application, user, form.cleaned_data["note"], form.cleaned_data["on"])
                done = _("征求意见已结束，答复期限为 %(date)s。")
            elif action == "extend":
                form = ExtendForm(data, prefix=action)
                require_valid(form)
                services.extend(application, user, form.cleaned_data["text"], form.cleaned_data["on"])
                done = _("已延期，新的答复期限为 %(date)s，延期理由已告知申请人。")
            elif action == "decide":
                form = DecideForm(data, prefix=action)
                require_valid(form)
                cleaned = form.cleaned_data
                services.decide(
                    application, user, cleaned["outcome"], cleaned["reason"], cleaned["text"], cleaned["on"]
                )
                done = _("已答复，申请人可以在申请查询中下载告知书。")
            elif action == "review":
                form = ReviewForm(data, prefix=action)
                require_valid(form)
                services.add_review(application, user, form.cleaned_data)
                done = _("已登记。")
            elif action == "review_update":
                review = get_object_or_404(application.reviews, pk=review_id)
                form = ReviewResultForm(data, prefix=f"r{review.pk}", instance=review)
                require_valid(form)
                services.update_review(review, user, form.cleaned_data)
                done = _("已更新。")
            else:
                raise Http404
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(
                request,
                done
                % {
                    "date": application.due_date.isoformat(),
                    "deadline": application.clarify_deadline.isoformat() if application.clarify_deadline else "",
                },
            )
        return HttpResponseRedirect(reverse(self.viewset.get_url_name("edit"), args=(application.pk,)))


class AttachmentView(ApplicationDetailView):
    """Staff download of an applicant's attachment (never a public URL)."""

    def get(self, request, pk, attachment_id):
        return private_download(get_object_or_404(self.application.attachments, pk=attachment_id))


class NoticeView(ApplicationDetailView):
    """The 告知书 as the applicant downloads it."""

    def get(self, request, pk):
        if self.application.is_open:
            raise Http404
        response = HttpResponse(notice.render(self.application), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{self.application.code}.pdf"'
        return response


class PaperApplicationView(WagtailAdminTemplateMixin, TemplateView):
    """登记纸质申请: an application that came by letter, in person or by fax, typed in by staff for
    one of the application pages of their sites; it gets a 查询码 and password like an online
    one, shown once for the 受理回执."""

    template_name = "inforequests/admin/paper_application.html"
    page_title = _("登记纸质申请")
    header_icon = "doc-full"
    viewset = None

    def dispatch(self, request, *args, **kwargs):
        if not self.viewset.permission_policy.user_has_permission(request.user, "add"):
            raise PermissionDenied
        self.pages = in_editable_trees(request.user, ApplicationPage.objects.live(), "path")
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse(self.viewset.get_url_name("index")), "label": _("政府信息公开申请")},
            {"url": "", "label": self.page_title},
        ]

    def post(self, request):
        form = PaperApplicationForm(request.POST, request.FILES, pages=self.pages)
        if form.is_valid():
            data = form.cleaned_data
            try:
                application, password = services.register_paper(
                    data["page"], request.user, data, data.get("attachments", [])
                )
            except ValidationError as error:
                form.add_error("received_on", error)
            else:
                context = self.get_context_data(application=application, password=password)
                return self.render_to_response(context)
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def render_to_response(self, context, status=200, **kwargs):
        response = super().render_to_response(context, **kwargs)
        response.status_code = status
        response["Cache-Control"] = "no-store"
        return response

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", PaperApplicationForm(pages=self.pages))
        return super().get_context_data(**kwargs)


class ApplicationViewSet(ModelViewSet):
    model = Application
    icon = "doc-full"
    menu_label = _("依申请公开")
    menu_order = 262
    add_to_admin_menu = True
    index_view_class = ApplicationIndexView
    filterset_class = ApplicationFilterSet
    search_fields = ["code", "info_title", "info_description", "name"]
    list_per_page = 30
    copy_view_enabled = False
    list_display = [
        "info_title",
        Column("code", label=_("查询码")),
        Column("site", label=_("站点")),
        Column("applicant_type", label=_("申请人类型"), accessor="get_applicant_type_display"),
        Column("status", label=_("状态"), accessor="get_status_display"),
        Column("received_on", label=_("收到申请日期")),
        Column("due_date", label=_("答复期限")),
        Column("outcome", label=_("办理结果"), accessor="outcome_label"),
    ]

    def get_urlpatterns(self):
        def view(cls):
            return cls.as_view(viewset=self)

        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("new/", view(PaperApplicationView), name="add"),
            path("<id:pk>/", view(ApplicationDetailView), name="edit"),
            path("<id:pk>/notice/", view(NoticeView), name="notice"),
            path("<id:pk>/attachments/<id:attachment_id>/", view(AttachmentView), name="attachment"),
            path(
                "<id:pk>/reviews/<id:review_id>/",
                view(ApplicationActionView),
                {"action": "review_update"},
                name="review",
            ),
            path("<id:pk>/<str:action>/", view(ApplicationActionView), name="action"),
        ]
