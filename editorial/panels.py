"""The 本站待办 dashboard panel: what waits in the user's own sites.

Pages at each step of the 发布审核 workflow, pages going live or expiring within a week, and
the user's own submissions sent back for changes. A fixed number of queries, each bounded.
"""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Exists, IntegerField, OuterRef, Q
from django.db.models.functions import Cast
from django.utils import timezone
from wagtail.admin.ui.components import Component
from wagtail.models import GroupPagePermission, Page, Revision, TaskState, WorkflowPage, WorkflowState
from wagtail.models.content_types import get_default_page_content_type

LIMIT = 20
SCHEDULE_DAYS = 7


def site_scope(user) -> Q | None:
    """The page trees the user works in: those where their groups hold page permissions or
    review in a site's workflow. ``None`` for superusers (every site); ``Q(pk__in=[])`` for none."""
    if user.is_superuser:
        return None
    groups = user.groups.values_list("pk", flat=True)
    paths = set(GroupPagePermission.objects.filter(group__in=groups).values_list("page__path", flat=True))
    paths |= set(
        WorkflowPage.objects.filter(
            workflow__active=True, workflow__workflow_tasks__task__groupapprovaltask__groups__in=groups
        ).values_list("page__path", flat=True)
    )
    scope = Q(pk__in=[])
    for path in paths:
        scope |= Q(path__startswith=path)
    return scope


def pages_in_scope(scope: Q | None, object_id_ref: str):
    pages = Page.objects.filter(id=Cast(OuterRef(object_id_ref), output_field=IntegerField()))
    return Exists(pages.filter(scope) if scope is not None else pages)


def waiting_by_step(scope) -> list[dict]:
    states = list(
        TaskState.objects.filter(
            status=TaskState.STATUS_IN_PROGRESS,
            workflow_state__status=WorkflowState.STATUS_IN_PROGRESS,
            workflow_state__base_content_type=get_default_page_content_type(),
        )
        .filter(pages_in_scope(scope, "workflow_state__object_id"))
        .select_related("task", "workflow_state__requested_by")
        .order_by("started_at")[:LIMIT]
    )
    pages = Page.objects.in_bulk([int(state.workflow_state.object_id) for state in states])
    steps: dict[str, dict] = {}
    for state in states:
        page = pages.get(int(state.workflow_state.object_id))
        if page is None:
            continue
        step = steps.setdefault(state.task.name, {"task": state.task.name, "items": []})
        step["items"].append(
            {"page": page, "requested_by": state.workflow_state.requested_by, "since": state.started_at}
        )
    return list(steps.values())


def scheduled(scope, now) -> list[dict]:
    until = now + timedelta(days=SCHEDULE_DAYS)
    going_live = list(
        Revision.objects.filter(
            base_content_type=get_default_page_content_type(),
            approved_go_live_at__isnull=False,
            approved_go_live_at__lte=until,
        )
        .filter(pages_in_scope(scope, "object_id"))
        .order_by("approved_go_live_at")[:LIMIT]
    )
    pages = Page.objects.in_bulk([int(revision.object_id) for revision in going_live])
    items = [
        {"page": pages[int(revision.object_id)], "kind": "go_live", "at": revision.approved_go_live_at}
        for revision in going_live
        if int(revision.object_id) in pages
    ]
    expiring = Page.objects.filter(live=True, expired=False, expire_at__isnull=False, expire_at__lte=until)
    if scope is not None:
        expiring = expiring.filter(scope)
    items += [{"page": page, "kind": "expire", "at": page.expire_at} for page in expiring.order_by("expire_at")[:LIMIT]]
    return sorted(items, key=lambda item: item["at"])


def returned_to(user) -> list[dict]:
    states = list(
        WorkflowState.objects.filter(
            status=WorkflowState.STATUS_NEEDS_CHANGES,
            requested_by=user,
            base_content_type=get_default_page_content_type(),
        )
        .select_related("current_task_state__task")
        .order_by("-current_task_state__finished_at")[:LIMIT]
    )
    pages = Page.objects.in_bulk([int(state.object_id) for state in states])
    items = []
    for state in states:
        page = pages.get(int(state.object_id))
        if page is None:
            continue
        task_state = state.current_task_state
        items.append(
            {
                "page": page,
                "task": task_state.task.name if task_state else "",
                "comment": task_state.get_comment() if task_state else "",
                "at": task_state.finished_at if task_state else None,
            }
        )
    return items


class SiteWorkPanel(Component):
    name = "editorial_site_work"
    template_name = "editorial/dashboard_panel.html"
    order = 205  # above Wagtail's own workflow panels

    def __init__(self, user):
        self.user = user

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        scope = site_scope(self.user)
        if scope is not None and scope == Q(pk__in=[]):
            context.update(steps=[], scheduled=[], returned=[])
            return context
        context.update(
            steps=waiting_by_step(scope),
            scheduled=scheduled(scope, timezone.now()),
            returned=returned_to(self.user),
        )
        return context
