"""Staff scope in the site cluster: the page trees a user may edit, and the names staff know
the sites by.

Letters and interviews belong to a site's tree; staff act on those below the pages where
their groups may edit or publish (``GroupPagePermission``), superusers on every site."""

from django.contrib.auth import get_user_model
from django.db.models import Q
from wagtail.models import GroupPagePermission, Page, Site

from portal.models import SiteIdentity

EDIT_PAGE_PERMISSIONS = ("change_page", "publish_page")


def editable_roots(user) -> set[str] | None:
    """Paths of the page trees the user's groups may edit or publish (one query, kept on the
    user object like Django's own ``_perm_cache``: an admin page asks once per menu item);
    ``None`` for a superuser (every tree), an empty set for staff with no tree."""
    if user.is_superuser:
        return None
    cached = getattr(user, "_editable_roots_cache", None)
    if cached is None:
        cached = user._editable_roots_cache = frozenset(
            GroupPagePermission.objects.filter(
                group__user=user, permission__codename__in=EDIT_PAGE_PERMISSIONS
            ).values_list("page__path", flat=True)
        )
    return set(cached)


def staff_of(page):
    """Active users who may edit pages at or above ``page`` (whose trees hold it), superusers
    included: who can be given a letter, who is told about one."""
    steps = page.steplen
    paths = [page.path[:end] for end in range(steps, len(page.path) + 1, steps)]
    can_edit = Q(
        groups__page_permissions__page__path__in=paths,
        groups__page_permissions__permission__codename__in=EDIT_PAGE_PERMISSIONS,
    )
    return get_user_model().objects.filter(Q(is_superuser=True) | can_edit, is_active=True).distinct()


def editable_tree_filter(user, path_field: str) -> Q | None:
    """A filter on ``path_field`` (a page path) for the user's trees: ``None`` means no
    restriction (superuser); an empty ``Q()`` result means nothing is in scope."""
    roots = editable_roots(user)
    if roots is None:
        return None
    scope = Q()
    for root in roots:
        scope |= Q(**{f"{path_field}__startswith": root})
    return scope


def ordered_sites() -> list[Site]:
    """The cluster's sites: the provincial (default) site first, then the cities."""
    return list(Site.objects.select_related("root_page").order_by("-is_default_site", "hostname"))


def sites_in_scope(user) -> list[Site]:
    """The sites (default first) holding a page tree the user may edit: a tree inside the
    site or one containing it. Every site for a superuser. Kept on the user object with
    ``editable_roots``."""
    cached = getattr(user, "_sites_in_scope_cache", None)
    if cached is not None:
        return list(cached)
    sites = ordered_sites()
    roots = editable_roots(user)
    if roots is not None:
        sites = [
            site
            for site in sites
            if any(root.startswith(site.root_page.path) or site.root_page.path.startswith(root) for root in roots)
        ]
    user._sites_in_scope_cache = tuple(sites)
    return sites


def is_provincial(user) -> bool:
    """Superusers and staff who may edit the provincial (default) site's home page see every
    site of the cluster in the staff reports."""
    if user.is_superuser:
        return True
    default = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    return bool(default) and any(default.root_page.path.startswith(root) for root in editable_roots(user))


def visible_sites(user) -> list[Site]:
    """The sites whose reports the user may read: all for provincial staff, else the sites
    in (or containing) the page trees their groups may edit."""
    return ordered_sites() if is_provincial(user) else sites_in_scope(user)


def in_editable_trees(user, queryset, path_field: str):
    scope = editable_tree_filter(user, path_field)
    if scope is None:
        return queryset
    return queryset.filter(scope) if scope else queryset.none()


def site_label(site: Site) -> str:
    """The short name staff know the site by: its 标志文字 (甲市税务局) as entered in Chinese,
    else its name, else its hostname."""
    identity = SiteIdentity.objects.filter(site=site).select_related("text").first()
    label = identity.text.logo_text if identity and identity.text else ""
    return label or site.site_name or site.hostname


def site_full_name(site: Site, identity=...) -> str:
    """The full name the site signs with (国家税务总局甲市税务局): its identity's 网站名称, else
    the Site's name, else its hostname. Pass the ``identity`` (or None) when it is loaded."""
    if identity is ...:
        identity = SiteIdentity.objects.filter(site=site).select_related("text").first()
    name = identity.text.site_name if identity is not None and identity.text_id else ""
    return name or site.site_name or site.hostname


def site_labels() -> dict[int, str]:
    """:func:`site_label` of every site, by site id (two queries)."""
    texts = dict(SiteIdentity.objects.filter(text__isnull=False).values_list("site_id", "text__logo_text"))
    return {site.pk: texts.get(site.pk) or site.site_name or site.hostname for site in Site.objects.all()}


def tree_sites() -> list[tuple[str, int]]:
    """(tree path, site id) for each site's home page and its translations (the English tree
    is a sibling of the Chinese one), the deepest first: a page belongs to the first whose
    path starts its own (two queries)."""
    sites = Site.objects.select_related("root_page")
    roots = {site.root_page.translation_key: site.pk for site in sites}
    trees = Page.objects.filter(translation_key__in=roots).values_list("path", "translation_key")
    return sorted(((path, roots[key]) for path, key in trees), key=lambda tree: -len(tree[0]))


def site_of_path(path: str, trees: list[tuple[str, int]]) -> int | None:
    """The id of the site whose tree holds the page at ``path`` (see :func:`tree_sites`)."""
    return next((site_id for root, site_id in trees if path.startswith(root)), None)
