"""Admin registration of the site-wide snippet (each site's name and footer texts, which
wagtail-localize can translate; the site identity setting links to it) and of the login
lockouts view (设置 → 登录锁定, superusers only)."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .lockouts import LockoutListView, LockoutResetView
from .models import SiteText


class SiteTextViewSet(SnippetViewSet):
    model = SiteText
    icon = "site"
    menu_label = _("网站名称与页脚文字")
    add_to_settings_menu = True
    list_display = ["site_name", "sponsor"]


register_snippet(SiteTextViewSet)


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
