"""Admin: the 报送省局网站 form (from a city article's editor) and the 信息报送 listing.

The form is open to users who may edit the city article; the listing shows city editors
the submissions from the trees they edit and main-site staff those sent to columns of
theirs (``portal.permissions``), superusers everything; it exports CSV (with a BOM) and
XLSX through ``portal.reports``, every cell neutralised against spreadsheet formulas."""

from __future__ import annotations

import django_filters
from django.contrib import messages
from django.db.models import F, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn, UserColumn
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.models import Page, Site

from portal.permissions import editable_roots
from portal.reports import PortalReportView

from . import services
from .forms import SubmitForm
from .models import Submission


def submissions_for_user(user):
    """City editors: submissions from their trees; main-site staff: those to their columns."""
    submissions = Submission.objects.all()
    roots = editable_roots(user)
    if roots is None:
        return submissions
    scope = Q(pk__in=[])
    for root in roots:
        scope |= Q(source_page__path__startswith=root) | Q(target_column__path__startswith=root)
    return submissions.filter(scope)


class SubmitView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "submission/admin/submit.html"
    page_title = _("报送省局网站")
    header_icon = "upload"

    def dispatch(self, request, page_id):
        self.page = get_object_or_404(Page, pk=page_id).specific
        if not self.page.permissions_for_user(request.user).can_edit():
            # a plain 403 (not Wagtail's redirect to the dashboard): the link may have been shared
            self.template_name = "submission/admin/denied.html"
            return self.render_to_response(self.get_context_data(), status=403)
        if not services.is_submittable(self.page):
            raise Http404
        return super().dispatch(request, page_id)

    def get_page_subtitle(self):
        return self.page.title

    def get_context_data(self, form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.template_name.endswith("denied.html"):
            return context
        context.update(
            {
                "page": self.page,
                "form": form or SubmitForm(page=self.page),
                "submissions": Submission.objects.filter(source_page=self.page).select_related("target_column"),
                "main_site": services.main_site(),
            }
        )
        return context

    def post(self, request, page_id):
        form = SubmitForm(request.POST, page=self.page)
        if form.is_valid():
            try:
                submission = services.submit(
                    self.page, form.cleaned_data["column"], request.user, form.cleaned_data["note"]
                )
            except services.SubmissionError as error:
                form.add_error(None, str(error))
            else:
                column = submission.target_column.title
                if submission.workflow_name:
                    messages.success(
                        request,
                        _("已报送省局网站“%(column)s”栏目，等待省局网站审核（%(workflow)s）。")
                        % {"column": column, "workflow": submission.workflow_name},
                    )
                else:
                    messages.warning(
                        request,
                        _(
                            "已报送省局网站“%(column)s”栏目。省局网站未设置审批流程：稿件以草稿形式放入栏目，由省局网站编辑审核后发布。"
                        )
                        % {"column": column},
                    )
                return redirect("wagtailadmin_pages:edit", self.page.pk)
        return self.render_to_response(self.get_context_data(form=form), status=400)


class SubmissionFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(label=_("状态"), choices=Submission.Status.choices, empty_label=_("全部"))
    source_site = django_filters.ModelChoiceFilter(
        label=_("来源网站"), queryset=Site.objects.filter(is_default_site=False).order_by("hostname")
    )

    class Meta:
        model = Submission
        fields = ["status", "source_site"]


class SubmissionReportView(PortalReportView):
    page_title = _("信息报送")
    header_icon = "upload"
    index_url_name = "submission_admin:index"
    index_results_url_name = "submission_admin:index_results"
    filterset_class = SubmissionFilterSet
    export_filename = "submissions"
    list_export = [
        "title",
        "source_site_name",
        "target_column.title",
        "get_status_display",
        "submitted_by",
        "submitted_at",
        "accepted_at",
        "source_url",
        "note",
    ]
    export_headings = {
        "title": _("标题"),
        "source_site_name": _("来源网站"),
        "target_column.title": _("目标栏目"),
        "get_status_display": _("状态"),
        "submitted_by": _("报送人"),
        "submitted_at": _("报送时间"),
        "accepted_at": _("采用时间"),
        "source_url": _("原文地址"),
        "note": _("报送说明"),
    }

    @cached_property
    def roots(self):
        return editable_roots(self.request.user)

    def edit_url(self, submission):
        """The copy's editor for main-site staff, the original's for the city editors."""
        candidates = ((submission.copy_id, submission.copy_path), (submission.source_page_id, submission.source_path))
        for page_id, path in candidates:
            if page_id and (self.roots is None or any(path.startswith(root) for root in self.roots)):
                return reverse("wagtailadmin_pages:edit", args=[page_id])
        return None

    @cached_property
    def columns(self):
        return [
            TitleColumn("title", label=_("标题"), get_url=self.edit_url),
            Column("source_site_name", label=_("来源网站")),
            Column("target_column", label=_("目标栏目")),
            Column("get_status_display", label=_("状态")),
            UserColumn("submitted_by", label=_("报送人")),
            DateColumn("submitted_at", label=_("报送时间")),
            DateColumn("accepted_at", label=_("采用时间")),
        ]

    def get_queryset(self):
        return (
            submissions_for_user(self.request.user)
            .select_related("target_column", "submitted_by")
            .annotate(
                copy_path=F("copy__path"),
                source_path=F("source_page__path"),
            )
        )
