"""The cluster's sites as a provincial portal shows them: the province's site, its cities and
each city's counties (``SiteIdentity.parent_site``), for the footer's compact list and the
市县税务局 directory page (``portal.views.site_directory``).

One query for the whole cluster, remembered per site data snapshot (``portal/sitedata.py``):
a save of any site's identity starts new snapshots everywhere. Closed sites (站点关停) are
left out; sites without an identity (no name to show) too.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import DisallowedHost
from django.http import HttpResponse
from django.template.loader import render_to_string

from portal import pagecache, sitedata
from portal.models import SiteIdentity
from portal.permissions import site_full_name


@dataclass
class ClusterSite:
    site_id: int
    url: str
    name: str
    lang: str  # "zh-Hans" where a Chinese name stands on an English page
    parent_id: int | None
    children: list[ClusterSite] = field(default_factory=list)


def _load(chinese: bool) -> list[ClusterSite]:
    identities = (
        SiteIdentity.objects.select_related("site", "text")
        .filter(closed=False, text__isnull=False)
        .order_by("-site__is_default_site", "site__site_name", "site_id")
    )
    sites = {
        identity.site_id: ClusterSite(
            site_id=identity.site_id,
            url=f"{identity.site.root_url}/",
            # other sites' names as entered (Chinese); on English pages their English names
            name=identity.text.site_name if chinese or not identity.english_name else identity.english_name,
            lang="" if chinese or identity.english_name else "zh-Hans",
            parent_id=identity.parent_site_id,
        )
        for identity in identities
    }
    tops = []
    for site in sites.values():
        parent = sites.get(site.parent_id)
        if parent is None or parent is site:
            tops.append(site)
        else:
            parent.children.append(site)
    return tops


def tree(request, chinese: bool) -> list[ClusterSite]:
    """The open sites as a tree (top-level sites first, the default one first of all)."""
    return sitedata.remember(request, f"cluster_tree_{'zh' if chinese else 'en'}", lambda: _load(chinese))


def flatten(sites: list[ClusterSite]):
    for site in sites:
        yield site
        yield from flatten(site.children)


def footer_links(request, current_id: int | None, chinese: bool) -> tuple[list[ClusterSite], bool]:
    """What a footer lists: the province's site and its cities (about 17 at most, whatever
    the number of counties), without the current site; and whether the directory has more."""
    tops = tree(request, chinese)
    shown = [site for top in tops for site in (top, *top.children) if site.site_id != current_id]
    others = sum(1 for site in flatten(tops) if site.site_id != current_id)
    return shown, others > len(shown)


def closed_notice(request, identity: SiteIdentity) -> HttpResponse:
    """What every address of a closed site answers: the notice, the parent site's link, 410."""
    parent = identity.parent_site
    context = {"identity": identity, "parent_url": f"{parent.root_url}/" if parent else ""}
    if parent is not None:
        context["parent_name"] = site_full_name(parent)
    html = render_to_string("portal/site_closed.html", context, request=request)
    response = HttpResponse(html, status=410)
    response["Cache-Control"] = "no-cache"
    return response


class ClosedSiteMiddleware:
    """A closed site (站点关停) answers every public address with its notice (after
    ``SiteDataMiddleware``, whose snapshot holds the identity); the admin stays open so its
    staff can reopen it, and its records stay where they are."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path_info.startswith(pagecache.SKIP_PREFIXES) and _valid_host(request):
            identity = _identity(request)
            if identity is not None and identity.closed:
                return closed_notice(request, identity)
        return self.get_response(request)


def _valid_host(request) -> bool:
    """False for a Host header Django refuses (CommonMiddleware answers it with 400, before
    any query)."""
    try:
        request.get_host()
    except DisallowedHost:
        return False
    return True


def _identity(request) -> SiteIdentity | None:
    """The site's identity, from the snapshot when there is one (no query)."""
    try:
        return SiteIdentity.for_request(request)
    except SiteIdentity.DoesNotExist:  # no site for this host
        return None
