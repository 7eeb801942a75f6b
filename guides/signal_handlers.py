"""A city's local guide shows the province's guide, and the province's guide lists the
cities: publishing one changes pages of the other's site.

* Publishing or unpublishing a local guide purges the page cache (and the site data, with the
  cities' list it keeps) of its guide's site. The other way round needs nothing here: the
  local page refers to the guide, so ``portal.pagecache.purge_page`` already purges the
  cities' sites when the guide is published or unpublished (Wagtail's reference index).
* Publishing a guide indexes its local pages again, whose search text is the guide's.
"""

from wagtail import signals

from portal import pagecache

from . import services
from .models import LocalGuidePage, ServiceGuidePage


def purge_guide_site(sender, instance, **kwargs):
    guide = instance.guide
    if guide is not None:
        site = guide.get_site()
        if site is not None:
            pagecache.purge_site(site.pk)


def reindex_local_pages(sender, instance, **kwargs):
    services.reindex_local_guides(instance)


def register_signal_handlers():
    signals.page_published.connect(purge_guide_site, sender=LocalGuidePage, dispatch_uid="guides-local-published")
    signals.page_unpublished.connect(purge_guide_site, sender=LocalGuidePage, dispatch_uid="guides-local-unpublished")
    signals.page_published.connect(reindex_local_pages, sender=ServiceGuidePage, dispatch_uid="guides-guide-published")
