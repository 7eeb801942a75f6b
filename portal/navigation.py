"""Navigation: the current site's root, its top-level columns, breadcrumbs.

Each helper keeps its result in the request's memo (``portal/sitedata.py``: the site's
shared snapshot, or the request's own), so the header, breadcrumbs and footer together
cost a fixed number of queries on every page.
"""

from __future__ import annotations

from wagtail.models import Page, PageViewRestriction, Site

from portal.languages import localize_page
from portal.pages import withheld_page_ids
from portal.sitedata import remember, remember_for


def current_site(request) -> Site | None:
    return Site.find_for_request(request) if request is not None else None


def site_root(request) -> Page | None:
    """The site's home page in the active language (the English home on English pages)."""
    site = current_site(request)
    if site is None:
        return None
    return remember(request, "root", lambda: localize_page(site.root_page))


def restricted_paths(request) -> list[str]:
    """Tree paths of pages with a view restriction (login, password, group); one query per
    request, shared by every listing instead of one ``.public()`` query each."""
    return remember(
        request, "restricted_paths", lambda: list(PageViewRestriction.objects.values_list("page__path", flat=True))
    )


def withheld_ids(request) -> list[int]:
    """Live pages their type withholds from visitors (``portal/pages.py``: a local guide whose
    province guide is not live); kept with the site data like the restricted paths."""
    return remember(request, "withheld_ids", withheld_page_ids)


def public_only(queryset, request, through: str = ""):
    """Like ``.public()``, without its query: drop pages at or below a restricted page, and
    the pages their type withholds (``withheld_ids``). ``through`` names the relation to
    the page for a queryset of other records (``"page__"``)."""
    for path in restricted_paths(request):
        queryset = queryset.exclude(**{f"{through}path__startswith": path})
    withheld = withheld_ids(request)
    if withheld:
        queryset = queryset.exclude(**{f"{through}id__in": withheld})
    return queryset


def menu_items(request) -> list[Page]:
    """Live top-level pages of the current site marked "show in menus"."""
    if request is None:
        return []

    def load():
        root = site_root(request)
        return list(public_only(root.get_children().live().in_menu(), request)) if root else []

    return remember(request, "menu", load)


def breadcrumb_trail(request, page: Page) -> list[Page]:
    """Ancestors of ``page`` from the site root down, not including ``page``."""
    root = site_root(request)
    if root is None or page is None or not page.path.startswith(root.path):
        return []
    # Pages with the same parent share a trail: kept per parent, not per page.
    parent_path = page.path[: -page.steplen]
    return remember_for(request, "trail", parent_path, lambda: list(page.get_ancestors().filter(depth__gte=root.depth)))
