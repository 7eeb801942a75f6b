"""Admin: the host console (访谈主持) and the guest snippets (访谈嘉宾); on policy pages, the
interviews about them."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from home import panels as home_panels
from portal import (
    converters,  # noqa: F401 - registers <id:…> (portal/converters.py)
    extensions,
)
from search import types

from . import admin_views, queries
from .models import Guest, InterviewPage

host_urls = (
    [
        path("", admin_views.InterviewListView.as_view(), name="index"),
        path("<id:pk>/", admin_views.HostConsoleView.as_view(), name="console"),
        path("<id:pk>/<str:action>/", admin_views.HostActionView.as_view(), name="action"),
    ],
    "interview_host",
)


@hooks.register("register_admin_urls")
def register_host_urls():
    return [path("interviews/", include(host_urls))]


class HostMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(admin_views.HOST_PERMISSION)


@hooks.register("register_admin_menu_item")
def register_host_menu_item():
    return HostMenuItem(_("访谈主持"), reverse("interview_host:index"), icon_name="comment", order=270)


class GuestViewSet(SnippetViewSet):
    model = Guest
    icon = "user"
    menu_label = _("访谈嘉宾")
    menu_order = 271
    add_to_admin_menu = True
    list_display = ["name", "title", "organisation", "user"]
    search_fields = ["name", "organisation"]


register_snippet(GuestViewSet)


@hooks.register(home_panels.POLICY_PAGE)
def related_interviews(page, request):
    """相关在线访谈 on a policy document or interpretation that an interview names."""
    interviews = list(queries.policy_interviews(page))
    return (
        extensions.Panel("interviews/includes/related_interviews.html", {"interviews": interviews})
        if interviews
        else None
    )


@hooks.register(types.REGISTER_HOOK)
def search_result_types():
    return [types.ResultType("interview", _("在线访谈"), pages=(InterviewPage,), order=60)]
