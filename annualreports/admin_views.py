"""Admin: the records one figure of a report counts (a link on each figure of the report page's
panel). Open to those who may edit the report page; the records are those stored with the
report's snapshot, shown as they are now."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from home.models import PolicyDocumentPage
from inforequests.models import Application

from . import figures, layout
from .models import DisclosureReportPage

TABLES = {
    "active": _("表二 主动公开政府信息情况"),
    "requests": _("表三 收到和处理政府信息公开申请情况"),
    "reviews": _("表四 行政复议、行政诉讼情况"),
}


class RecordsView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "annualreports/admin/records.html"
    page_title = _("计入的记录")
    header_icon = "table"

    def dispatch(self, request, page_id):
        self.page = get_object_or_404(DisclosureReportPage, pk=page_id)
        if not self.page.permissions_for_user(request.user).can_edit():
            self.template_name = "annualreports/admin/denied.html"
            return self.render_to_response(self.get_context_data(), status=403)
        self.table = request.GET.get("table", "")
        self.key = request.GET.get("key", "")
        self.label = layout.figure_label(self.table, self.key)
        if self.table not in TABLES or not self.label:
            raise Http404
        return super().dispatch(request, page_id)

    def get_page_subtitle(self):
        return self.page.title

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["page"] = self.page
        if self.template_name.endswith("denied.html"):
            return context
        ids = figures.members_of(self.page.figures, self.table, self.key)
        if self.table == "active":
            records = PolicyDocumentPage.objects.filter(pk__in=ids).order_by("written_date", "pk")
        else:
            records = Application.objects.filter(pk__in=ids).select_related("site").order_by("received_on", "pk")
        context.update(
            {"table": TABLES[self.table], "label": self.label, "records": records, "policies": self.table == "active"}
        )
        return context
