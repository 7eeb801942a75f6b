"""Basic site search: the current site's live pages in the current language.

Chinese word segmentation, type filters, cluster-wide scope and best bets are
built on top of this in issue #6.
"""

from django.template.response import TemplateResponse
from wagtail.models import Locale, Page

from home.queries import paginate
from portal.navigation import public_only, site_root

MAX_QUERY_LENGTH = 100


def search(request):
    query = (request.GET.get("q") or "").strip()[:MAX_QUERY_LENGTH]
    root = site_root(request)
    root = root.localized if root is not None else None  # the English edition is its own tree
    results = None
    if query and root is not None:
        pages = public_only(
            Page.objects.live().descendant_of(root, inclusive=True).filter(locale=Locale.get_active()),
            request,
        ).specific()
        results = paginate(pages.search(query), request.GET.get("page"), 10)
    return TemplateResponse(
        request,
        "search/search.html",
        {"search_query": query, "results": results},
    )
