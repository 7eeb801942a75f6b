"""Admin: comment moderation (意见审核) and survey responses (调查答卷: read, export).

Staff see the consultations and surveys of the site trees whose pages they may edit or
publish (``portal.permissions``), superusers every site. A comment is approved or
rejected with a POST that redirects back with a message. Exports (CSV and XLSX) neutralise
every cell that a spreadsheet could read as a formula (``portal.exports.neutralise``)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from portal import exports
from portal.permissions import editable_tree_filter, in_editable_trees

from . import queries, services
from .models import Comment, ConsultationPage, SurveyAnswer, SurveyPage


def may_moderate(user) -> bool:
    """Staff with edit rights somewhere in the cluster (the rest see nothing here)."""
    if not user.is_active:
        return False
    scope = editable_tree_filter(user, "path")
    return scope is None or bool(scope)


def comments_for_user(user):
    return in_editable_trees(user, Comment.objects.select_related("page"), "page__path")


def surveys_for_user(user):
    return in_editable_trees(user, SurveyPage.objects.all(), "path")


class ScopedMixin:
    def dispatch(self, request, *args, **kwargs):
        if not may_moderate(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class CommentListView(ScopedMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "participation/admin/comment_list.html"
    page_title = _("意见审核")
    header_icon = "comment"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        comments = comments_for_user(self.request.user).order_by("-created_at", "-pk")
        status = self.request.GET.get("status", Comment.Moderation.PENDING)
        if status in Comment.Moderation.values:
            comments = comments.filter(status=status)
        else:
            status = ""
        consultations = in_editable_trees(self.request.user, ConsultationPage.objects.all(), "path").order_by("path")
        page_id = self.request.GET.get("page", "")
        if page_id.isdigit():
            comments = comments.filter(page_id=int(page_id))
        context.update(
            {
                "comments": comments[:200],
                "status": status,
                "statuses": Comment.Moderation.choices,
                "consultations": consultations,
                "page_id": int(page_id) if page_id.isdigit() else None,
                "here": self.request.get_full_path(),
            }
        )
        return context


class CommentActionView(ScopedMixin, View):
    http_method_names = ["post"]

    def post(self, request, pk, action):
        if action not in ("approve", "reject"):
            raise Http404
        comment = get_object_or_404(comments_for_user(request.user), pk=pk)
        services.moderate(comment, request.user, approve=action == "approve")
        if action == "approve":
            messages.success(request, _("已公开，该意见将显示在意见征集页面上（不显示姓名和联系方式）。"))
        else:
            messages.success(request, _("已设为不予公开。"))
        back = request.POST.get("next", "")
        if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
            back = reverse("participation_admin:comments")
        return HttpResponseRedirect(back)


class SurveyListView(ScopedMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "participation/admin/survey_list.html"
    page_title = _("调查答卷")
    header_icon = "list-ul"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        surveys = surveys_for_user(self.request.user).annotate(response_count=Count("responses")).order_by("-closes_at")
        context["surveys"] = surveys
        return context


class SurveyMixin(ScopedMixin):
    def dispatch(self, request, *args, **kwargs):
        if not may_moderate(request.user):
            raise PermissionDenied
        survey = get_object_or_404(SurveyPage, pk=kwargs["pk"])
        if not surveys_for_user(request.user).filter(pk=survey.pk).exists():
            raise PermissionDenied
        self.survey = survey
        return super(ScopedMixin, self).dispatch(request, *args, **kwargs)


class SurveyDetailView(SurveyMixin, WagtailAdminTemplateMixin, TemplateView):
    """Results and every free-text answer (staff only)."""

    template_name = "participation/admin/survey_detail.html"
    header_icon = "list-ul"

    def get_page_title(self):
        return self.survey.title

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse("participation_admin:surveys"), "label": _("调查答卷")},
            {"url": "", "label": self.survey.title},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        total, results = queries.survey_results(self.survey)
        texts = {}
        for question, text, created_at in (
            SurveyAnswer.objects.filter(response__page=self.survey)
            .exclude(text="")
            .order_by("response__created_at")
            .values_list("question", "text", "response__created_at")
        ):
            texts.setdefault(question, []).append((text, created_at))
        context.update(
            {
                "survey": self.survey,
                "total": total,
                "results": [(result, texts.get(result.block_id, [])) for result in results],
            }
        )
        return context


class SurveyExportView(SurveyMixin, View):
    """Every response of a survey as CSV (with a BOM) or XLSX, cells neutralised (``portal.exports``)."""

    def get(self, request, pk, fmt):
        if fmt not in ("csv", "xlsx"):
            raise Http404
        stamp = timezone.localtime().strftime("%Y%m%d")
        response = exports.spreadsheet_response(
            services.export_rows(self.survey), fmt, f"survey-{self.survey.pk}-{stamp}", _("答卷")
        )
        response["Cache-Control"] = "private, no-store"
        return response
