"""Reads of this app: who may open and close sites, and the sites as the admin lists them."""

from __future__ import annotations

from dataclasses import dataclass

from wagtail.models import Site

from editorial.roles import site_group
from portal.models import SiteIdentity
from portal.permissions import site_full_name


def can_manage_sites(user) -> bool:
    """Superusers and the main site's 站点管理员 open and close sites."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    main = Site.objects.filter(is_default_site=True).first()
    admins = site_group(main, "admin") if main else None
    return admins is not None and user.groups.filter(pk=admins.pk).exists()


def is_closed(site: Site) -> bool:
    return SiteIdentity.objects.filter(site=site, closed=True).exists()


@dataclass
class SiteRow:
    site: Site
    name: str
    level: int
    parent_name: str
    organisation_code: str
    site_code: str
    closed: bool


def site_rows() -> list[SiteRow]:
    """Every site, each city followed by its counties (two queries)."""
    identities = {identity.site_id: identity for identity in SiteIdentity.objects.select_related("text", "parent_site")}
    sites = list(Site.objects.order_by("-is_default_site", "site_name", "pk"))
    ids = {site.pk for site in sites}
    children: dict[int | None, list[Site]] = {}
    for site in sites:
        identity = identities.get(site.pk)
        parent_id = identity.parent_site_id if identity else None
        children.setdefault(parent_id if parent_id in ids else None, []).append(site)

    def name(site):
        return site_full_name(site, identities.get(site.pk))

    rows: list[SiteRow] = []

    def walk(parent_id, level, parent_name, seen):
        for site in children.get(parent_id, []):
            if site.pk in seen:
                continue
            seen.add(site.pk)
            identity = identities.get(site.pk)
            rows.append(
                SiteRow(
                    site=site,
                    name=name(site),
                    level=level,
                    parent_name=parent_name,
                    organisation_code=identity.organisation_code if identity else "",
                    site_code=identity.site_code if identity else "",
                    closed=bool(identity and identity.closed),
                )
            )
            walk(site.pk, level + 1, name(site), seen)

    walk(None, 0, "", set())
    return rows
