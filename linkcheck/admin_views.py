"""Admin report 报告 → 错链检测: the broken links found by the last runs of ``check_links``.

Staff see the rows of the site trees where they may edit or publish pages
(``portal.permissions``), superusers every site; each row links to the page's editor.
Exports (CSV with a BOM, XLSX) through ``portal.reports``: every cell neutralised against formulas."""

from __future__ import annotations

import django_filters
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn
from wagtail.admin.utils import get_admin_base_url
from wagtail.models import Site

from portal.permissions import editable_tree_filter, in_editable_trees, sites_in_scope
from portal.reports import PortalReportView

from .models import BrokenLink, LinkCheckRun


def may_view(user) -> bool:
    """Staff who may edit pages somewhere in the cluster."""
    if not user.is_active:
        return False
    scope = editable_tree_filter(user, "path")
    return scope is None or bool(scope)


def broken_links_for_user(user):
    return in_editable_trees(user, BrokenLink.objects.select_related("page", "site"), "page__path")


class BrokenLinkFilterSet(WagtailFilterSet):
    site = django_filters.ModelChoiceFilter(
        label=_("站点"),
        empty_label=_("全部站点"),
        queryset=lambda request: Site.objects.filter(pk__in=[site.pk for site in sites_in_scope(request.user)]),
    )
    kind = django_filters.ChoiceFilter(label=_("类型"), choices=BrokenLink.Kind.choices, empty_label=_("全部"))
    status = django_filters.ChoiceFilter(label=_("状态"), choices=BrokenLink.Status.choices, empty_label=_("全部"))

    class Meta:
        model = BrokenLink
        fields = ["site", "kind", "status"]


def _edit_url(row):
    return reverse("wagtailadmin_pages:edit", args=[row.page_id])


class BrokenLinksReportView(PortalReportView):
    page_title = _("错链检测")
    header_icon = "link"
    results_template_name = "linkcheck/admin/report_results.html"
    index_url_name = "linkcheck_report"
    index_results_url_name = "linkcheck_report_results"
    filterset_class = BrokenLinkFilterSet
    model = BrokenLink
    export_filename = "broken-links"
    no_results_message = _("没有发现错链。")
    columns = [
        TitleColumn("page", label=_("所在页面"), accessor="page.title", get_url=_edit_url),
        Column("site", label=_("站点"), accessor="site.site_name"),
        Column("field", label=_("位置")),
        Column("url", label=_("链接")),
        Column("reason", label=_("原因")),
        DateColumn("first_seen", label=_("首次发现")),
    ]
    list_export = [
        "site_name",
        "page.title",
        "page_admin_url",
        "field",
        "url",
        "kind",
        "status",
        "reason",
        "first_seen",
    ]
    export_headings = {
        "site_name": _("站点"),
        "page.title": _("所在页面"),
        "page_admin_url": _("编辑地址"),
        "field": _("位置"),
        "url": _("链接"),
        "kind": _("类型"),
        "status": _("状态"),
        "reason": _("原因"),
        "first_seen": _("首次发现"),
    }

    def get_queryset(self):
        return broken_links_for_user(self.request.user).order_by("site__hostname", "page__path", "pk")

    def to_row_dict(self, item):
        values = {
            "site_name": (item.site.site_name or item.site.hostname) if item.site else "",
            "page.title": item.page.title,
            "page_admin_url": get_admin_base_url() + _edit_url(item),  # WAGTAILADMIN_BASE_URL, not the Host header
            "field": item.field,
            "url": item.url,
            "kind": item.get_kind_display(),
            "status": item.get_status_display(),
            "reason": item.reason,
            "first_seen": item.first_seen,
        }
        return {name: values[name] for name in self.list_export}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["last_run"] = LinkCheckRun.objects.filter(finished_at__isnull=False).select_related("site").first()
        return context
