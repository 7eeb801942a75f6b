"""Admin registration of the site-wide snippets (each site's name and footer texts, which
wagtail-localize can translate, and the working-day overrides) and of the login
lockouts view (设置 → 登录锁定, superusers only)."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .lockouts import LockoutListView, LockoutResetView
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


@hooks.register("register_admin_urls")
def register_lockout_urls():
    return [
        path("login-lockouts/", LockoutListView.as_view(), name="login_lockouts"),
        path("login-lockouts/reset/", LockoutResetView.as_view(), name="login_lockouts_reset"),
    ]


class SuperuserMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.is_superuser


@hooks.register("register_settings_menu_item")
def register_lockout_menu_item():
    return SuperuserMenuItem(_("登录锁定"), reverse("login_lockouts"), icon_name="lock", order=900)
