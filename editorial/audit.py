"""Permission changes in Wagtail's audit log (报告 → 站点历史).

Wagtail logs publishing, unpublishing and every workflow decision itself. What it does not
log in detail is who may do what: a group's model permissions, its page and collection
permissions, and a user's group membership. These are recorded here as log entries on the
group (or the user), made by whoever is signed in to the admin at the time (Wagtail's
``LogContext``) or by nobody for a management command.
"""

from __future__ import annotations

import threading

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete
from wagtail.log_actions import log
from wagtail.models import GroupCollectionPermission, GroupPagePermission
from wagtail.users.views import groups as group_views

PERMISSION_ADDED = "editorial.permission_added"
PERMISSION_REMOVED = "editorial.permission_removed"
MEMBER_ADDED = "editorial.member_added"
MEMBER_REMOVED = "editorial.member_removed"
_local = threading.local()


def describe_permission(permission: Permission) -> str:
    return f"{permission.content_type.app_label}.{permission.codename}"


def describe_page_permission(item: GroupPagePermission) -> str:
    return f"{item.permission.codename} @ {item.page.get_admin_display_title()} (#{item.page_id})"


def describe_collection_permission(item: GroupCollectionPermission) -> str:
    return f"{item.permission.codename} @ {item.collection.name}"


def log_permissions(group: Group, action: str, descriptions) -> None:
    descriptions = sorted(descriptions)
    if descriptions and Group.objects.filter(pk=group.pk).exists():
        log(group, action, data={"permissions": descriptions})


# ---- group model permissions (Group.permissions) -----------------------------------------
def group_permissions_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if action == "pre_clear":
        instance._editorial_cleared = list(instance.permissions.all() if not reverse else instance.group_set.all())
        return
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    kind = PERMISSION_ADDED if action == "post_add" else PERMISSION_REMOVED
    if action == "post_clear":
        others = getattr(instance, "_editorial_cleared", [])
    else:
        model = Group if reverse else Permission
        others = list(model.objects.filter(pk__in=pk_set or ()))
    if reverse:  # permission.group_set.add(group)
        for group in others:
            log_permissions(group, kind, [describe_permission(instance)])
    else:
        log_permissions(instance, kind, [describe_permission(permission) for permission in others])


# ---- page and collection permissions ------------------------------------------------------
def scoped_permission_saved(sender, instance, created, **kwargs):
    if created:
        if getattr(_local, "saved", None) is not None:  # inside the group editor: see below
            _local.saved.add((type(instance), instance.pk))
        log_permissions(instance.group, PERMISSION_ADDED, [describe(instance)])


def scoped_permission_deleting(sender, instance, **kwargs):
    instance._editorial_description = describe(instance)


def scoped_permission_deleted(sender, instance, **kwargs):
    group = Group.objects.filter(pk=instance.group_id).first()
    if group is not None:
        log_permissions(group, PERMISSION_REMOVED, [instance._editorial_description])


def describe(item) -> str:
    if isinstance(item, GroupPagePermission):
        return describe_page_permission(item)
    return describe_collection_permission(item)


# ---- group membership (User.groups) -------------------------------------------------------
def membership_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if action == "pre_clear":
        instance._editorial_cleared = list(instance.user_set.all() if reverse else instance.groups.all())
        return
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    kind = MEMBER_ADDED if action == "post_add" else MEMBER_REMOVED
    User = get_user_model()
    if action == "post_clear":
        others = getattr(instance, "_editorial_cleared", [])
    else:
        others = list((User if reverse else Group).objects.filter(pk__in=pk_set or ()))
    pairs = [(user, instance) for user in others] if reverse else [(instance, group) for group in others]
    for user, group in pairs:
        log(user, kind, data={"group": group.name, "group_id": group.pk})


def connect() -> None:
    uid = "editorial.audit"
    m2m_changed.connect(group_permissions_changed, sender=Group.permissions.through, dispatch_uid=f"{uid}.perms")
    m2m_changed.connect(membership_changed, sender=get_user_model().groups.through, dispatch_uid=f"{uid}.members")
    for model in (GroupPagePermission, GroupCollectionPermission):
        name = model.__name__
        post_save.connect(scoped_permission_saved, sender=model, dispatch_uid=f"{uid}.{name}.save")
        pre_delete.connect(scoped_permission_deleting, sender=model, dispatch_uid=f"{uid}.{name}.predelete")
        post_delete.connect(scoped_permission_deleted, sender=model, dispatch_uid=f"{uid}.{name}.delete")


# ---- the admin's group editor -------------------------------------------------------------
class ScopedPermissionSnapshot:
    """Wagtail's group editor saves new page and collection permissions with ``bulk_create``
    (no ``post_save``): compare the group's rows before and after the form is processed."""

    def __init__(self, group: Group | None):
        self.group = group
        self.before = self.rows() if group is not None and group.pk else {}

    def rows(self) -> dict[tuple[type, int], object]:
        found = {}
        for model, scope in ((GroupPagePermission, "page"), (GroupCollectionPermission, "collection")):
            for item in model.objects.filter(group=self.group).select_related("permission", scope):
                found[(model, item.pk)] = item
        return found

    def log_added(self, skip=()) -> None:
        if self.group is None or not self.group.pk:
            return
        added = [item for key, item in self.rows().items() if key not in self.before and key not in skip]
        log_permissions(self.group, PERMISSION_ADDED, [describe(item) for item in added])


class AuditedPermissionPanelsMixin:
    def process_form(self):
        snapshot = ScopedPermissionSnapshot(self.object)
        _local.saved = set()
        try:
            response = super().process_form()
            logged = _local.saved
        finally:
            _local.saved = None
        if self.object is not None and self.object.pk:
            snapshot.group = self.object
            snapshot.log_added(skip=logged)
        return response


class AuditedGroupCreateView(AuditedPermissionPanelsMixin, group_views.CreateView):
    pass


class AuditedGroupEditView(AuditedPermissionPanelsMixin, group_views.EditView):
    pass


class AuditedGroupViewSet(group_views.GroupViewSet):
    add_view_class = AuditedGroupCreateView
    edit_view_class = AuditedGroupEditView
