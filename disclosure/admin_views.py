"""Admin: a page's 信息索引 (*信息索引* in the page header's menu): put a page into its site's
公开目录, edit the staff's fields of its entry, or take a page staff put in back out. Open to
those who may publish the page: the entry shows on the public page at once, outside the
page's review workflow. Others get a plain 403.

And the report *报告 → 法定主动公开内容检查* (``checks.py``), with CSV and XLSX export."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.log_actions import log
from wagtail.models import Page

from portal import languages
from portal.permissions import site_labels, visible_sites
from portal.reports import PortalReportView, cell

from . import checks, services
from .forms import EntryForm


class EntryView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "disclosure/admin/entry.html"
    page_title = gettext_lazy("信息索引")
    header_icon = "list-ul"

    def dispatch(self, request, page_id):
        self.page = get_object_or_404(Page, pk=page_id).specific
        if not self.page.permissions_for_user(request.user).can_publish():
            self.template_name = "disclosure/admin/denied.html"
            return self.render_to_response(self.get_context_data(), status=403)
        self.entry = services.entry_for(self.page)
        return super().dispatch(request, page_id)

    def get_page_subtitle(self):
        return self.page.title

    def get_context_data(self, form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.template_name.endswith("denied.html"):
            return context
        listed = self.entry is not None and not self.entry.withdrawn
        context.update(
            {
                "page": self.page,
                "entry": self.entry,
                "listed": listed,
                "can_withdraw": listed and self.entry.added_by_staff,
                "chinese": self.page.locale.language_code == languages.CHINESE,
                "form": form or EntryForm(instance=self.entry, page=self.page),
            }
        )
        return context

    def post(self, request, page_id):
        if "withdraw" in request.POST:
            return self.withdraw(request)
        form = EntryForm(request.POST, instance=self.entry, page=self.page)
        if form.is_valid():
            values = {name: form.cleaned_data[name] for name in form.fields if not form.fields[name].disabled}
            try:
                was_listed = self.entry is not None and not self.entry.withdrawn
                entry = services.update(self.entry, values) if was_listed else services.include(self.page, values)
            except services.Refused as refusal:
                form.add_error(None, str(refusal))
            else:
                if was_listed:
                    log(self.page, "disclosure.edit", user=request.user, data={"index_number": entry.index_number})
                    messages.success(request, _("信息索引已保存。"))
                else:
                    log(self.page, "disclosure.include", user=request.user, data={"index_number": entry.index_number})
                    messages.success(
                        request, _("已纳入政府信息公开目录，索引号 %(number)s。") % {"number": entry.index_number}
                    )
                return redirect("disclosure_admin:entry", self.page.pk)
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def withdraw(self, request):
        try:
            if self.entry is None:
                raise services.Refused(_("该页面不在公开目录中。"))
            services.withdraw(self.entry)
        except services.Refused as refusal:
            messages.error(request, str(refusal))
            return self.render_to_response(self.get_context_data(), status=400)
        log(self.page, "disclosure.withdraw", user=request.user, data={"index_number": self.entry.index_number})
        messages.success(request, _("已移出政府信息公开目录，索引号保留。"))
        return redirect("disclosure_admin:entry", self.page.pk)


class StatutoryReportView(PortalReportView):
    """法定主动公开: each category of each site's checklist, with its columns, what they hold
    and whether it is missing or overdue; provincial staff see every site, others their own."""

    page_title = gettext_lazy("法定主动公开内容检查")
    header_icon = "tasks"
    results_template_name = "disclosure/admin/statutory_results.html"
    index_url_name = "disclosure_statutory"
    export_filename = "statutory-disclosure"
    list_export = ["site_name", "name"]  # shows the export buttons; rows come from export_rows
    paginate_by = None

    def get_sites(self):
        return visible_sites(self.request.user)

    def get_queryset(self):
        self.today = timezone.localdate()
        rows = checks.statuses(self.report_sites, self.today)
        self.problems_only = self.request.GET.get("problems") == "1"
        labels = site_labels()
        for row in rows:
            row.site_name = labels.get(row.site.pk, row.site.hostname)
        return [row for row in rows if row.state != "ok"] if self.problems_only else rows

    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        context.update(today=self.today, problems_only=self.problems_only)
        return context

    def export_rows(self, rows):
        yield [
            _("站点"),
            _("公开类别"),
            _("依据"),
            _("发布栏目"),
            _("已发布"),
            _("最近发布"),
            _("更新周期（天）"),
            _("状态"),
        ]
        for row in rows:
            yield [
                cell(row.site_name),
                cell(row.name),
                cell(row.basis),
                cell("、".join(column.title for column in row.columns)),
                cell(row.published),
                cell(row.last_published),
                cell(row.period_days),
                cell(row.state_label),
            ]
