"""Writes of the guides app beyond the page editor: keeping the local guides' search index
in step with the province's guide they show."""

from __future__ import annotations

from wagtail.search import index

from .models import LocalGuidePage, ServiceGuidePage


def reindex_local_guides(guide: ServiceGuidePage) -> int:
    """Index again the local pages that show ``guide`` (their indexed text is the guide's);
    returns how many."""
    pages = list(LocalGuidePage.objects.filter(guide__translation_key=guide.translation_key))
    for page in pages:
        index.insert_or_update_object(page)
    return len(pages)
