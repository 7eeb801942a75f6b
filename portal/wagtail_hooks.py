"""Admin registration of the site-wide snippets (each site's name and footer texts, which
wagtail-localize can translate, and the working-day overrides) and of the login
lockouts view (设置 → 登录锁定, superusers only)."""

from axes.models import AccessAttempt
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .lockouts import LOG_ACTION, LockoutViewSet, SuperusersOnly
from .models import SiteText, WorkdayOverride


class SiteTextViewSet(SnippetViewSet):
    model = SiteText
    icon = "site"
    menu_label = _("网站名称与页脚文字")
    add_to_settings_menu = True
    list_display = ["site_name", "sponsor"]


register_snippet(SiteTextViewSet)


class WorkdayOverrideViewSet(SnippetViewSet):
    """节假日调整: dates the calendar package gets wrong or does not know yet. Every working-day
    count of the cluster reads them (letter deadlines, interview replies, filing deadlines)."""

    model = WorkdayOverride
    icon = "date"
    menu_label = _("节假日调整")
    add_to_settings_menu = True
    list_display = ["date", "is_workday", "note"]


register_snippet(WorkdayOverrideViewSet)


# django-axes' records: superusers list and lift lockouts, nobody else sees them.
register_permission_policy(AccessAttempt, SuperusersOnly(AccessAttempt))


@hooks.register("register_admin_viewset")
def register_lockout_viewset():
    return LockoutViewSet()


@hooks.register("register_log_actions")
def register_lockout_log_action(actions):
    actions.register_action(LOG_ACTION, _("解除登录锁定"), _("解除了登录锁定"))
