"""Admin: the 本站待办 dashboard panel and the audit log's wording for permission changes."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.log_actions import LogFormatter

from . import audit
from .panels import SiteWorkPanel


@hooks.register("construct_homepage_panels")
def add_site_work_panel(request, panels):
    panels.append(SiteWorkPanel(request.user))


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
