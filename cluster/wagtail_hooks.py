"""Admin: 设置 → 站点管理 (站点开通, 站点关停) and 片段 → 站点模板."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from portal import converters  # noqa: F401 - registers <id:…> (portal/converters.py)

from . import admin_views, queries
from .models import SiteTemplate

admin_urls = (
    [
        path("", admin_views.SiteListView.as_view(), name="index"),
        path("open/", admin_views.OpenSiteView.as_view(), name="open"),
        path("<id:site_id>/close/", admin_views.CloseSiteView.as_view(), name="close"),
    ],
    "cluster_admin",
)


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [path("cluster/", include(admin_urls))]


class SiteManagementMenuItem(MenuItem):
    def is_shown(self, request):
        return queries.can_manage_sites(request.user)


@hooks.register("register_settings_menu_item")
def register_site_management_menu_item():
    return SiteManagementMenuItem(_("站点管理"), reverse("cluster_admin:index"), icon_name="site", order=150)


class SiteTemplateViewSet(SnippetViewSet):
    model = SiteTemplate
    icon = "site"
    list_display = ["name", "key", "description"]


register_snippet(SiteTemplateViewSet)
