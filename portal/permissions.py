"""Staff scope in the site cluster: the page trees a user may edit.

Letters and interviews belong to a site's tree; staff act on those below the pages where
their groups may edit or publish (``GroupPagePermission``), superusers on every site."""

from django.contrib.auth import get_user_model
from django.db.models import Q
from wagtail.models import GroupPagePermission, Site

EDIT_PAGE_PERMISSIONS = ("change_page", "publish_page")


def editable_roots(user) -> set[str] | None:
    """Paths of the page trees the user's groups may edit or publish (one query); ``None``
    for a superuser (every tree), an empty set for staff with no tree."""
    if user.is_superuser:
        return None
    return set(
        GroupPagePermission.objects.filter(
            group__user=user, permission__codename__in=EDIT_PAGE_PERMISSIONS
        ).values_list("page__path", flat=True)
    )


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
    site or one containing it. Every site for a superuser."""
    sites = ordered_sites()
    roots = editable_roots(user)
    if roots is None:
        return sites
    return [
        site
        for site in sites
        if any(root.startswith(site.root_page.path) or site.root_page.path.startswith(root) for root in roots)
    ]


def in_editable_trees(user, queryset, path_field: str):
    scope = editable_tree_filter(user, path_field)
    if scope is None:
        return queryset
    return queryset.filter(scope) if scope else queryset.none()
