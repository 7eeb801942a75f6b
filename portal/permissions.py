"""Staff scope in the site cluster: the page trees a user may edit.

Letters and interviews belong to a site's tree; staff act on those below the pages where
their groups may edit or publish (``GroupPagePermission``), superusers on every site."""

from django.db.models import Q
from wagtail.models import GroupPagePermission

EDIT_PAGE_PERMISSIONS = ("change_page", "publish_page")


def editable_tree_filter(user, path_field: str) -> Q | None:
    """A filter on ``path_field`` (a page path) for the user's trees: ``None`` means no
    restriction (superuser); an empty ``Q()`` result means nothing is in scope."""
    if user.is_superuser:
        return None
    roots = GroupPagePermission.objects.filter(
        group__user=user, permission__codename__in=EDIT_PAGE_PERMISSIONS
    ).values_list("page__path", flat=True)
    scope = Q()
    for root in set(roots):
        scope |= Q(**{f"{path_field}__startswith": root})
    return scope


def in_editable_trees(user, queryset, path_field: str):
    scope = editable_tree_filter(user, path_field)
    if scope is None:
        return queryset
    return queryset.filter(scope) if scope else queryset.none()
