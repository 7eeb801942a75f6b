"""sitemap.xml for each site: a sitemap index of files of ``PortalSitemap.limit`` pages each
(``sitemap-pages.xml?p=N``), listing its Chinese pages and, where the site has an English
edition, the English ones too (the browser accessibility suite and the HTML validity test
take their URL lists from here). The index costs three queries however large the site is; a
file loads its own pages only (the province's main site, 15,000 pages in one file, took 7 s)."""

from django.contrib.sitemaps.views import SitemapIndexItem
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_GET
from wagtail.contrib.sitemaps import Sitemap
from wagtail.models import Page

from portal.addresses import absolute_url
from portal.languages import english_enabled


class PortalSitemap(Sitemap):
    limit = 1000  # pages per file, with their own URLs (a mailbox's letters; at most 50,000 URLs)

    def items(self):
        """The site's live, public pages (and its English edition's, when it has one)."""
        root = self.get_wagtail_site().root_page
        roots = [root]
        if self.request is not None and english_enabled(self.request):
            roots += list(Page.objects.live().filter(translation_key=root.translation_key).exclude(pk=root.pk))
        pages = Page.objects.none()
        for tree in roots:
            pages |= Page.objects.descendant_of(tree, inclusive=True)
        return pages.live().public().order_by("path").defer_streamfields().specific()


SITEMAPS = {"pages": PortalSitemap}


@require_GET
def sitemap_index(request):
    """The index of the site's sitemap files, at the site's configured address (never the Host
    header's, as in robots.txt)."""
    items = []
    for section, sitemap_class in SITEMAPS.items():
        sitemap = sitemap_class(request)
        address = reverse("sitemap_section", kwargs={"section": section})
        for number in sitemap.paginator.page_range:
            items.append(SitemapIndexItem(absolute_url(request, address + (f"?p={number}" if number > 1 else ""))))
    response = TemplateResponse(request, "sitemap_index.xml", {"sitemaps": items}, content_type="application/xml")
    response.headers["X-Robots-Tag"] = "noindex, noodp, noarchive"
    return response
