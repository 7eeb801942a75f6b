"""Admin: 公示名录. The registers of the user's sites (provincial staff: every site's, to read);
per register its entries (search, 撤销 one with a reason), the import (upload an XLSX or CSV →
a preview of every row with its values or the reason it is refused → import all of them, or
none), the batches imported, and the template spreadsheet. Importing and 撤销 need the right to
publish the register page (the entries are public at once); others get a 403 page."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.log_actions import log

from portal.exports import spreadsheet_response
from portal.permissions import site_labels, visible_sites

from . import identifiers, services
from .models import ImportBatch, RegisterEntry, RegisterPage


class RegistersMenuItem(MenuItem):
    def is_shown(self, request):
        return bool(visible_sites(request.user))


def readable_pages(user):
    """Register pages on the sites whose reports the user may read."""
    sites = visible_sites(user)
    if not sites:
        return RegisterPage.objects.none()
    scope = Q()
    for site in sites:
        scope |= Q(path__startswith=site.root_page.path)
    return RegisterPage.objects.filter(scope)


def refused(request, reason, status=403):
    context = {"page_title": _("没有权限"), "header_title": _("没有权限"), "header_icon": "table", "reason": reason}
    return TemplateResponse(request, "registers/admin/refused.html", context, status=status)


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("名录文件"),
        help_text=gettext_lazy("XLSX 或 CSV，第一行为模板中的列名，最大 5 MB。"),
        error_messages={"required": gettext_lazy("请选择要上传的文件。")},
    )
    issue = forms.CharField(
        label=gettext_lazy("期次"),
        max_length=60,
        required=False,
        help_text=gettext_lazy("例如 2025年第3期；显示在每一条记录的导入批次中。"),
    )


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("撤销原因"), max_length=200)


class RegisterIndexView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "registers/admin/index.html"
    page_title = gettext_lazy("公示名录")
    header_icon = "table"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        pages = list(
            readable_pages(self.request.user)
            .annotate(
                listed=Count("entries", filter=Q(entries__withdrawn_at__isnull=True)),
            )
            .order_by("path")
        )
        labels = site_labels()
        sites = visible_sites(self.request.user)
        for page in pages:
            site = next((s for s in sites if page.path.startswith(s.root_page.path)), None)
            page.site_label = labels.get(site.pk, "") if site else ""
        context["pages"] = pages
        return context


class RegisterView(WagtailAdminTemplateMixin, TemplateView):
    """One register: its entries for staff (full identity numbers), the import and 撤销."""

    template_name = "registers/admin/register.html"
    header_icon = "table"
    needs_publish = False

    def dispatch(self, request, page_id, **kwargs):
        found = get_object_or_404(RegisterPage, pk=page_id)
        self.page = found
        self.can_publish = found.permissions_for_user(request.user).can_publish()
        readable = readable_pages(request.user).filter(pk=found.pk).exists()
        if not readable or (self.needs_publish and not self.can_publish):
            return refused(request, _("只有可以发布该名录页面的用户能够导入或撤销名录条目。"))
        return super().dispatch(request, page_id, **kwargs)

    def get_page_title(self):
        return self.page.title

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse("registers_admin:index"), "label": _("公示名录")},
            {"url": reverse("registers_admin:register", args=[self.page.pk]), "label": self.page.title},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = " ".join(self.request.GET.get("q", "").split())[:100]
        entries = RegisterEntry.objects.filter(page=self.page).select_related("batch").order_by("-published_on", "-pk")
        if query:
            number = identifiers.normalise(query)
            entries = entries.filter(Q(name__icontains=query) | Q(taxpayer_number=number) | Q(document_number=query))
        page_obj = Paginator(entries, 50).get_page(self.request.GET.get("p"))
        context.update(
            page=self.page,
            spec=self.page.spec,
            can_publish=self.can_publish,
            query=query,
            page_obj=page_obj,
            batches=self.page.batches.exclude(status=ImportBatch.Status.DISCARDED)[:20],
            withdraw_form=WithdrawForm(),
        )
        return context


class ImportView(RegisterView):
    template_name = "registers/admin/import.html"
    needs_publish = True

    def get_page_subtitle(self):
        return _("导入")

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", UploadForm())
        context = super().get_context_data(**kwargs)
        context["columns"] = self.page.spec.columns
        return context

    def post(self, request, page_id):
        form = UploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        try:
            batch, rows = services.preview(
                self.page, form.cleaned_data["file"], request.user, form.cleaned_data["issue"]
            )
        except services.Refused as refusal:
            form.add_error("file", str(refusal))
            return self.render_to_response(self.get_context_data(form=form), status=400)
        bad = [row for row in rows if row.errors]
        columns = self.page.spec.columns
        shown = [(row, [row.values.get(column.field) for column in columns]) for row in rows]
        context = self.get_context_data(batch=batch, rows=shown, bad=bad)
        return self.render_to_response(context, status=400 if bad else 200)


class BatchView(RegisterView):
    """Confirm (import every row) or discard a previewed batch."""

    http_method_names = ["post"]
    needs_publish = True

    def post(self, request, page_id, batch_id):
        batch = get_object_or_404(ImportBatch, pk=batch_id, page=self.page)
        if "discard" in request.POST:
            services.discard(batch)
            messages.success(request, _("已放弃这个文件，没有导入任何记录。"))
            return redirect("registers_admin:import", self.page.pk)
        try:
            count = services.confirm(batch, request.user)
        except services.Refused as refusal:
            messages.error(request, str(refusal))
            return redirect("registers_admin:import", self.page.pk)
        log(self.page, "registers.import", user=request.user, data={"batch": batch.pk, "rows": count})
        messages.success(request, _("已导入 %(n)s 条记录，已在名录页面公布。") % {"n": count})
        return redirect("registers_admin:register", self.page.pk)


class WithdrawView(RegisterView):
    http_method_names = ["post"]
    needs_publish = True

    def post(self, request, page_id, entry_id):
        entry = get_object_or_404(RegisterEntry, pk=entry_id, page=self.page)
        form = WithdrawForm(request.POST)
        try:
            if not form.is_valid():
                raise services.Refused(_("请填写撤销原因。"))
            services.withdraw(entry, request.user, form.cleaned_data["reason"])
        except services.Refused as refusal:
            messages.error(request, str(refusal))
            context = self.get_context_data()
            return self.render_to_response(context, status=400)
        log(self.page, "registers.withdraw", user=request.user, data={"entry": entry.pk, "name": entry.name})
        messages.success(request, _("已撤销“%(name)s”，不再在名录页面显示。") % {"name": entry.name})
        return redirect("registers_admin:register", self.page.pk)

    def get_template_names(self):
        return ["registers/admin/register.html"]


class TemplateDownloadView(RegisterView):
    def get(self, request, page_id, export_format):
        if export_format not in ("csv", "xlsx"):
            raise Http404
        rows = services.template_rows(self.page.spec)
        return spreadsheet_response(rows, export_format, f"template-{self.page.kind}", sheet_title=self.page.kind)
