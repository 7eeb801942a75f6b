"""The register page and its CSV: what visitors see, identity numbers masked."""

from __future__ import annotations

from django.template.response import TemplateResponse
from django.utils import timezone

from disclosure import queries as disclosure_queries
from disclosure.models import DisclosureCataloguePage
from portal.exports import spreadsheet_response
from portal.navigation import current_site
from portal.sitedata import remember

from . import queries


def catalogue_url(request) -> str:
    """The site's 公开目录, linked from the register's 信息索引 (kept with the site data)."""

    def load():
        site = current_site(request)
        found = site and DisclosureCataloguePage.objects.live().descendant_of(site.root_page).first()
        return found.get_url(request) if found else ""

    return remember(request, "registers_catalogue_url", load)


def register(request, page):
    context = page.get_context(request)
    context.update(queries.register(page, request))
    entry = disclosure_queries.entry_of(page, request)
    if entry is not None:
        context.update(catalogue_entry=entry, catalogue_url=catalogue_url(request))
    return TemplateResponse(request, page.get_template(request), context)


def export(request, page):
    filename = f"{page.slug}-{timezone.localdate():%Y%m%d}"
    return spreadsheet_response(queries.export_rows(page, request.GET), "csv", filename)
