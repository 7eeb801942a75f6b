"""sitemap.xml for each site: a sitemap index of files of ``PortalSitemap.limit`` pages each
(``sitemap-pages.xml?p=N``), listing its Chinese pages and, where the site has an English
edition, the English ones too (the browser accessibility suite and the HTML validity test
take their URL lists from here). The index costs two queries however large the site is; a
file loads its own pages only (the province's main site, 15,000 pages in one file, took 7 s)."""

from datetime import date, datetime, time

from django.contrib.sitemaps.views import SitemapIndexItem
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET
from wagtail.contrib.sitemaps import Sitemap
from wagtail.models import Page

from portal.addresses import absolute_url
from portal.languages import english_enabled


class PortalSitemap(Sitemap):
    limit = 1000  # pages per file, with their own URLs (a mailbox's letters; at most 50,000 URLs)

    def pages(self):
        """The site's live, public pages (and its English edition's, when it has one)."""
        root = self.get_wagtail_site().root_page
        roots = [root]
        if self.request is not None and english_enabled(self.request):
            roots += list(Page.objects.live().filter(translation_key=root.translation_key).exclude(pk=root.pk))
        pages = Page.objects.none()
        for tree in roots:
            pages |= Page.objects.descendant_of(tree, inclusive=True)
        return pages.live().public()

    def items(self):
        return self.pages().order_by("path").defer_streamfields().specific()

    def _urls(self, page, protocol, domain):
        """Wagtail's, with the file's newest ``lastmod`` (its Last-Modified header) taken over
        dates and datetimes alike: an FAQ entry's is a date, a page's a datetime, and Wagtail's
        ``max()`` of both answered 500 for a file that had both and no undated URL."""
        urls = []
        for item in self.paginator.page(page).object_list.iterator():
            urls += item.get_sitemap_urls(self.request)
        modified = [url.get("lastmod") for url in urls]
        if modified and None not in modified:
            self.latest_lastmod = max(as_datetime(value) for value in modified)
        return urls


def as_datetime(value: date | datetime) -> datetime:
    """A date as the start of that day in the site's time zone; a datetime as it is."""
    if isinstance(value, datetime):
        return value
    return timezone.make_aware(datetime.combine(value, time.min))


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
