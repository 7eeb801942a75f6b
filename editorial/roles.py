"""Roles per site and the 发布审核 workflow, set up by ``manage.py setup_roles`` and the demo loader.

Every site of the cluster gets four groups, named "<site>·<role>" after the site's logo text
(the main site's groups are the provincial ones, "示例省税务局·编辑" ...):

- 编辑: add and edit pages in the site's tree (no publishing: they submit to the workflow),
  upload and edit images and documents in the site's collection, handle the site's letters;
- 审核: edit and publish in the tree, choose images and documents;
- 保密审查: no standing page permission: Wagtail opens a page to them while it waits on their
  workflow step (``GroupApprovalTask.user_can_access_editor``), and their approval, the last
  step, publishes it (``editorial.workflows.publish_approved``);
- 站点管理员: everything in the tree (publish, bulk delete, lock, unlock) and the collection.

The site's root page (and its translations) gets the workflow "<site> 发布审核": 审核 then
保密审查, each a ``GroupApprovalTask`` for the site's group.

Re-runnable: everything is found by name and created only when missing; permissions are
added, never removed, so changes made in the admin survive. An old-style "<site>编辑" group
(demo databases before issue #7) is folded into the new 编辑 group.

Wagtail's own migrations leave English-named defaults in every database: the groups
"Moderators" and "Editors" (with rights over the whole tree, every site at once) and the
one-step workflow "Moderators approval" on the tree's root. Nothing here uses them, so they
are removed while unused: the workflow when no page or model ever went through it and it is
assigned to no page but the root (which is no page of any site: Wagtail never edits it),
its task when no other workflow and no task state uses it, a group when it has no members
and no remaining task names it. Whatever is still in use is only given a Chinese name.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Site,
    Task,
    Workflow,
    WorkflowContentType,
    WorkflowPage,
    WorkflowTask,
)

from portal.permissions import site_label

SEPARATOR = "·"
IMAGE_ALL = ("add_image", "change_image", "delete_image", "choose_image")
DOCUMENT_ALL = ("add_document", "change_document", "delete_document", "choose_document")
LETTERS = ("correspondence.view_letter", "correspondence.handle_letter")
# 依申请公开: the applications of the site (登记, 补正, 征求意见, 延期, 答复, 复议/诉讼)
APPLICATIONS = ("inforequests.view_application", "inforequests.handle_application")


@dataclass(frozen=True)
class Role:
    key: str
    name: str
    pages: tuple[str, ...]
    images: tuple[str, ...]
    documents: tuple[str, ...]
    models: tuple[str, ...] = ()


ROLES = (
    Role(
        "editor",
        "编辑",
        ("add_page", "change_page"),
        ("add_image", "change_image", "choose_image"),
        ("add_document", "change_document", "choose_document"),
        LETTERS + APPLICATIONS,
    ),
    Role("reviewer", "审核", ("change_page", "publish_page"), ("choose_image",), ("choose_document",)),
    Role("secrecy", "保密审查", (), (), ()),
    Role(
        "admin",
        "站点管理员",
        ("add_page", "change_page", "publish_page", "bulk_delete_page", "lock_page", "unlock_page"),
        IMAGE_ALL,
        DOCUMENT_ALL,
        LETTERS + APPLICATIONS,
    ),
)
ROLE = {role.key: role for role in ROLES}
WORKFLOW_STEPS = ("reviewer", "secrecy")  # 编辑提交 → 审核 → 保密审查 → 发布

# Wagtail's initial workflow (and its task, named alike) and groups, and the names they keep
# when they are still in use.
WAGTAIL_WORKFLOW = "Moderators approval"
WAGTAIL_NAMES = {
    WAGTAIL_WORKFLOW: "全站审核员审批（Wagtail 初始）",
    "Moderators": "全站审核员（Wagtail 初始）",
    "Editors": "全站编辑（Wagtail 初始）",
}


def group_name(site: Site, role_key: str) -> str:
    return f"{site_label(site)}{SEPARATOR}{ROLE[role_key].name}"


def workflow_name(site: Site) -> str:
    return f"{site_label(site)} 发布审核"


def site_group(site: Site, role_key: str) -> Group | None:
    return Group.objects.filter(name=group_name(site, role_key)).first()


def _permissions(app_label: str, codenames) -> list[Permission]:
    found = list(Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames))
    missing = set(codenames) - {permission.codename for permission in found}
    if missing:
        raise LookupError(f"permissions missing in {app_label}: {sorted(missing)} (run migrate)")
    return found


class RoleSetup:
    """Creates what is missing for one or more sites and says what it did (``self.done``)."""

    def __init__(self, note=None):
        self.note = note or (lambda what: print(f"  + {what}"))
        self.done: list[str] = []

    def _note(self, what: str) -> None:
        self.done.append(what)
        self.note(what)

    @transaction.atomic
    def run(self, sites=None) -> dict[int, dict[str, Group]]:
        sites = list(sites if sites is not None else Site.objects.select_related("root_page").order_by("id"))
        groups = {site.pk: self.site(site) for site in sites}
        self.retire_wagtail_defaults()
        return groups

    def retire_wagtail_defaults(self) -> None:
        """Remove Wagtail's unused initial workflow, task and groups; rename those in use."""
        for workflow in Workflow.objects.filter(name=WAGTAIL_WORKFLOW):
            assigned = WorkflowPage.objects.filter(workflow=workflow)
            in_use = (
                workflow.workflow_states.exists()
                or assigned.exclude(page__depth=1).exists()
                or WorkflowContentType.objects.filter(workflow=workflow).exists()
            )
            if in_use:
                continue
            tasks = list(Task.objects.filter(workflow_tasks__workflow=workflow))
            assigned.delete()
            workflow.delete()
            self._note(f"workflow {WAGTAIL_WORKFLOW} (Wagtail's initial one, unused) removed")
            for task in tasks:
                if not task.workflow_tasks.exists() and not task.task_states.exists():
                    task.delete()
                    self._note(f"workflow task {task.name} removed")
        for group in Group.objects.filter(name__in=["Moderators", "Editors"]):
            if not group.user_set.exists() and not GroupApprovalTask.objects.filter(groups=group).exists():
                group.delete()
                self._note(f"group {group.name} (Wagtail's initial one, unused) removed")
        for model in (Workflow, Task, Group):
            for item in model.objects.filter(name__in=WAGTAIL_NAMES):
                old_name, item.name = item.name, WAGTAIL_NAMES[item.name]
                item.save(update_fields=["name"])
                self._note(f"{model._meta.model_name} {old_name} renamed {item.name}")

    def site(self, site: Site) -> dict[str, Group]:
        collection = self.collection(site)
        roots = [site.root_page, *site.root_page.get_translations()]
        groups = {role.key: self.group(site, role, roots, collection) for role in ROLES}
        self.fold_old_group(site, groups["editor"])
        self.workflow(site, groups, roots)
        return groups

    def collection(self, site: Site) -> Collection:
        root = Collection.get_first_root_node()
        name = site_label(site)
        existing = root.get_children().filter(name=name).first()
        if existing:
            return existing
        self._note(f"collection {name}")
        return root.add_child(name=name)

    def group(self, site: Site, role: Role, roots, collection: Collection) -> Group:
        group, created = Group.objects.get_or_create(name=group_name(site, role.key))
        if created:
            self._note(f"group {group.name}")
        wanted = _permissions("wagtailadmin", ["access_admin"])
        for dotted in role.models:
            app_label, codename = dotted.split(".")
            wanted += _permissions(app_label, [codename])
        missing = [permission for permission in wanted if not group.permissions.filter(pk=permission.pk).exists()]
        if missing:
            group.permissions.add(*missing)
            self._note(f"{group.name}: {', '.join(p.codename for p in missing)}")
        for page in roots:
            for permission in _permissions("wagtailcore", role.pages):
                _, created = GroupPagePermission.objects.get_or_create(group=group, page=page, permission=permission)
                if created:
                    self._note(f"{group.name}: {permission.codename} on {page.title}")
        collection_permissions = _permissions("wagtailimages", role.images) + _permissions(
            "wagtaildocs", role.documents
        )
        for permission in collection_permissions:
            _, created = GroupCollectionPermission.objects.get_or_create(
                group=group, collection=collection, permission=permission
            )
            if created:
                self._note(f"{group.name}: {permission.codename} in {collection.name}")
        return group

    def fold_old_group(self, site: Site, editors: Group) -> None:
        """Before issue #7 the demo made one "<site>编辑" group with collection permissions
        Wagtail never checks: its members move to the 编辑 group and the old group goes."""
        old = Group.objects.filter(name=f"{site_label(site)}编辑").first()
        if old is None or old == editors:
            return
        for user in old.user_set.all():
            user.groups.add(editors)
            self._note(f"user {user.get_username()} moved to {editors.name}")
        old.delete()
        self._note(f"old group {old.name} removed")

    def task(self, site: Site, group: Group) -> GroupApprovalTask:
        task = GroupApprovalTask.objects.filter(name=group.name).first()
        if task is None:
            task = GroupApprovalTask.objects.create(name=group.name)
            self._note(f"workflow task {task.name}")
        if not task.groups.filter(pk=group.pk).exists():
            task.groups.add(group)
        return task

    def workflow(self, site: Site, groups: dict[str, Group], roots) -> Workflow:
        name = workflow_name(site)
        workflow = Workflow.objects.filter(name=name).first()
        if workflow is None:
            workflow = Workflow.objects.create(name=name, active=True)
            self._note(f"workflow {name}")
        if not workflow.workflow_tasks.exists():
            for order, key in enumerate(WORKFLOW_STEPS):
                WorkflowTask.objects.create(workflow=workflow, task=self.task(site, groups[key]), sort_order=order)
        for page in roots:
            if not WorkflowPage.objects.filter(page=page).exists():
                WorkflowPage.objects.create(workflow=workflow, page=page)
                self._note(f"workflow {name} on {page.title}")
        return workflow


def setup_roles(sites=None, note=None) -> list[str]:
    setup = RoleSetup(note=note)
    setup.run(sites)
    return setup.done


def prefill_group_task_checks(user) -> None:
    """Answer, for every group approval task at once, what Wagtail asks each one separately
    (``AbstractGroupApprovalTask._user_in_groups``, kept per request on the user object):
    whether the user is in one of its groups. Two queries whatever the number of sites."""
    if not user.is_authenticated:
        return
    mine = set(
        GroupApprovalTask.groups.through.objects.filter(group__in=user.groups.all()).values_list(
            "groupapprovaltask_id", flat=True
        )
    )
    checks = getattr(user, "_group_approval_task_checks", None) or {}
    for task_id in GroupApprovalTask.objects.values_list("pk", flat=True):
        checks.setdefault(task_id, task_id in mine)
    user._group_approval_task_checks = checks
