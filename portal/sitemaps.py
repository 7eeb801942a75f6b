"""sitemap.xml for each site: its Chinese pages and, where the site has an English edition,
the English ones too (the browser accessibility suite takes its URL list from here)."""

from wagtail.contrib.sitemaps import Sitemap
from wagtail.models import Page

from portal.languages import english_enabled


class PortalSitemap(Sitemap):
    def items(self):
        root = self.get_wagtail_site().root_page
        roots = [root]
        if self.request is not None and english_enabled(self.request):
            roots += list(Page.objects.live().filter(translation_key=root.translation_key).exclude(pk=root.pk))
        pages = Page.objects.none()
        for tree in roots:
            pages |= Page.objects.descendant_of(tree, inclusive=True)
        return pages.live().public().order_by("path").defer_streamfields().specific()
