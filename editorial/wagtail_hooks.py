"""Admin: the 本站待办 dashboard panel, where an approver lands after their last look at a page,
and the audit log's wording for permission changes."""

from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin import messages
from wagtail.log_actions import LogFormatter
from wagtail.models import Page, WorkflowState

from . import audit
from .panels import SiteWorkPanel
from .roles import prefill_group_task_checks


@hooks.register("construct_homepage_panels")
def add_site_work_panel(request, panels):
    panels.append(SiteWorkPanel(request.user))


@hooks.register("construct_homepage_panels")
def know_the_users_approval_tasks(request, panels):
    """Wagtail's 待审核 panel asks every active task whether the user may moderate it, one
    query per task (``GroupApprovalTask._user_in_groups``): two tasks per site, 280 queries
    on a county editor's dashboard at 140 sites. Its per-request answers are filled in here,
    for all the group approval tasks at once (one query)."""
    prefill_group_task_checks(request.user)


@hooks.register("after_edit_page")
def after_review(request, page):
    """Where an approver goes after acting on a page in the editor, when the page is no longer
    theirs to open: 保密审查 may open a page only while it waits on their step
    (``GroupApprovalTask.user_can_access_editor``), so once they approve it (the last step
    publishes it: ``workflows.publish_approved``) or send it back, Wagtail's next view (the
    page's column in the explorer) greets them with its permission-denied redirect. They go to
    their dashboard instead, told what became of the page. ``None`` (Wagtail's own next view)
    for everyone who still may open the page."""
    page = Page.objects.get(pk=page.pk)  # as the action left it: published, scheduled or sent back
    if page.permissions_for_user(request.user).can_edit():
        return None
    state = page.workflow_states.order_by("-created_at").first()
    status = state.status if state else None
    title = {"title": page.get_admin_display_title()}
    if status == WorkflowState.STATUS_APPROVED and page.live and not page.has_unpublished_changes:
        view = messages.button(page.full_url, _("查看页面"), new_window=True)
        messages.success(request, _("“%(title)s”已审核通过并发布。") % title, buttons=[view])
    elif status == WorkflowState.STATUS_APPROVED:
        messages.success(request, _("“%(title)s”已审核通过，将在生效日发布。") % title)
    elif status == WorkflowState.STATUS_NEEDS_CHANGES:
        messages.success(request, _("“%(title)s”已退回修改。") % title)
    else:
        messages.success(request, _("“%(title)s”已不在您的审核步骤中。") % title)
    return redirect("wagtailadmin_home")


class PermissionsFormatter(LogFormatter):
    def format_message(self, log_entry):
        return f"{self.label}：{'；'.join(log_entry.data.get('permissions', []))}"


class MembershipFormatter(LogFormatter):
    def format_message(self, log_entry):
        return f"{self.label}：{log_entry.data.get('group', '')}"


@hooks.register("register_log_actions")
def register_permission_actions(actions):
    for action, label, formatter in (
        (audit.PERMISSION_ADDED, _("授予权限"), PermissionsFormatter),
        (audit.PERMISSION_REMOVED, _("撤销权限"), PermissionsFormatter),
        (audit.MEMBER_ADDED, _("加入用户组"), MembershipFormatter),
        (audit.MEMBER_REMOVED, _("移出用户组"), MembershipFormatter),
    ):
        actions.register_action(action)(type(formatter.__name__, (formatter,), {"label": label}))
