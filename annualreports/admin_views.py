"""Admin: the records one figure of a report counts (a link on each figure of the report page's
panel), open to those who may edit the report page (the records are those stored with the
report's snapshot, shown as they are now); and the report 报告 → 年度报告汇总 (``summary.py``)."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from home.models import PolicyDocumentPage
from inforequests.models import Application
from portal.models import SiteIdentity
from portal.permissions import editable_roots, site_full_name, visible_sites
from portal.reports import PortalReportView, cell

from . import figures, layout, summary
from .models import DisclosureReportPage

MIN_YEAR, MAX_YEAR = 2008, 2100  # the report page's own bounds on 报告年度

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


class ClusterReportView(PortalReportView):
    """报告 → 年度报告汇总: the annual reports of one year (``?year=``, last year by default) of
    every site the user may read (``visible_sites``: provincial staff the whole cluster, a
    city's staff their own), side by side with their key figures; CSV and XLSX."""

    page_title = _("年度报告汇总")
    header_icon = "table"
    results_template_name = "annualreports/admin/cluster_results.html"
    index_url_name = "annualreports_cluster"
    export_filename = "annual-reports"
    list_export = ["site"]  # shows the export buttons; rows come from export_rows
    paginate_by = None

    def get_sites(self):
        return visible_sites(self.request.user)

    def get_year(self) -> int:
        default = timezone.localdate().year - 1
        try:
            year = int(self.request.GET.get("year", default))
        except (TypeError, ValueError):
            return default
        return year if MIN_YEAR <= year <= MAX_YEAR else default

    def get_queryset(self):
        self.year = self.get_year()
        sites = self.report_sites
        identities = {
            identity.site_id: identity
            for identity in SiteIdentity.objects.filter(site__in=sites).select_related("text")
        }
        names = {site.pk: site_full_name(site, identities.get(site.pk)) for site in sites}
        roots = editable_roots(self.request.user)

        def editable(page) -> bool:
            return roots is None or any(page.path.startswith(root) for root in roots)

        rows, self.totals = summary.build(sites, names, self.year, self.request, editable)
        return rows

    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        context.update(year=self.year, totals=self.totals, kinds=summary.KINDS, min_year=MIN_YEAR, max_year=MAX_YEAR)
        return context

    def export_rows(self, rows):
        heading = [_("站点")]
        for kind in summary.KINDS:
            columns = [_("状态"), _("网址"), *(figure.label for figure in kind.figures)]
            heading += [_("%(kind)s：%(column)s") % {"kind": kind.label, "column": column} for column in columns]
        yield [str(part) for part in heading]
        for row in rows:
            line = [row.name]
            for entry in row.entries:
                line += [entry.state_label, entry.full_url]
                line += entry.values if entry.values is not None else [""] * len(entry.kind.figures)
            yield [cell(value) for value in line]
        total = [_("合计（已有报告的站点）")]
        for kind_total in self.totals:
            total += [_("已有报告 %(count)s 份") % {"count": kind_total.reports}, ""]
            total += ["" if value is None else value for value in kind_total.values]
        yield [cell(value) for value in total]
