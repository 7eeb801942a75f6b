"""The base of every staff report (*报告* in the admin): Wagtail's ``ReportView`` with the
portal's permission check, site scope and spreadsheet export.

- **Permission**: ``permission_required`` (``"app_label.codename"``), when set, is needed
  (superusers have every permission); a report about the sites' pages (``site_scoped``,
  the default) also needs a site in the user's scope, else 403.
- **Site scope**: ``self.sites`` are the sites the user may see (``get_sites``: by default the
  sites of the page trees their groups may edit, ``portal.permissions.sites_in_scope``);
  ``?site=<pk>`` narrows a report to one of them (``self.report_sites``), and any other
  site is refused with 403. Querysets filter themselves with these.
- **Export**: CSV (UTF-8 with a BOM, so Excel reads the Chinese) and XLSX (every cell
  text), every cell neutralised against spreadsheet formulas (``portal.exports``), named
  ``<export_filename>-<date>``, never cached. Rows come from ``list_export`` and
  ``export_headings`` through ``to_row_dict``, or from ``export_rows`` for a report whose
  rows are not one object each.
"""

from __future__ import annotations

from datetime import date, datetime

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.encoding import force_str
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.reports import ReportView

from portal import exports
from portal.permissions import sites_in_scope, visible_sites


def cell(value) -> str:
    """A value as a spreadsheet cell's text: local times to the minute, ISO dates, 是/否."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return (
            timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
            if timezone.is_aware(value)
            else f"{value:%Y-%m-%d %H:%M}"
        )
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return "是" if value else "否"
    return force_str(value)


class SiteReportMenuItem(MenuItem):
    """A *报告* menu item shown to staff with a site whose reports they may read (``visible_sites``)."""

    def is_shown(self, request):
        return bool(visible_sites(request.user))


class PortalReportView(ReportView):
    permission_required: str | None = None
    site_scoped = True
    export_filename = "report"

    @property
    def permission_policy(self):
        return None  # checked in dispatch: a permission and the user's sites

    def get_sites(self) -> list:
        return sites_in_scope(self.request.user)

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        if not user.is_active or (self.permission_required and not user.has_perm(self.permission_required)):
            raise PermissionDenied
        self.sites = self.get_sites() if self.site_scoped else []
        if self.site_scoped and not self.sites:
            raise PermissionDenied
        self.selected_site = None
        chosen = request.GET.get("site")
        if chosen and self.site_scoped:
            matching = [site for site in self.sites if str(site.pk) == chosen]
            if not matching:
                raise PermissionDenied
            self.selected_site = matching[0]
        return super().dispatch(request, *args, **kwargs)

    @property
    def report_sites(self) -> list:
        return [self.selected_site] if self.selected_site else self.sites

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": "", "label": self.page_title}]

    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        context["sites"] = self.sites
        context["selected_site"] = self.selected_site
        return context

    # ---- export ----------------------------------------------------------------------------
    def export_heading(self, items, field: str) -> str:
        if field in self.export_headings:
            return force_str(self.export_headings[field])
        return self.get_heading(items, field) if hasattr(items, "model") else field

    def export_rows(self, items):
        """The heading row, then one row per item (``list_export`` through ``to_row_dict``)."""
        yield [self.export_heading(items, field) for field in self.list_export]
        for item in items:
            yield [cell(value) for value in self.to_row_dict(item).values()]

    def as_spreadsheet(self, items, spreadsheet_format):
        stamp = timezone.localdate().strftime("%Y%m%d")
        response = exports.spreadsheet_response(
            self.export_rows(items), spreadsheet_format, f"{self.export_filename}-{stamp}", self.page_title
        )
        response["Cache-Control"] = "private, no-store"
        return response
