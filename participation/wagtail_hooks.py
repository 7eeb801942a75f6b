"""Admin: 意见审核 (comment moderation) and 调查答卷 (survey responses and exports)."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from portal import converters  # noqa: F401 - registers <id:…> (portal/converters.py)

from . import admin_views

admin_urls = (
    [
        path("comments/", admin_views.CommentListView.as_view(), name="comments"),
        path("comments/<id:pk>/<str:action>/", admin_views.CommentActionView.as_view(), name="comment_action"),
        path("surveys/", admin_views.SurveyListView.as_view(), name="surveys"),
        path("surveys/<id:pk>/", admin_views.SurveyDetailView.as_view(), name="survey"),
        path("surveys/<id:pk>/export.<str:fmt>", admin_views.SurveyExportView.as_view(), name="survey_export"),
    ],
    "participation_admin",
)


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [path("participation/", include(admin_urls))]


class ScopedMenuItem(MenuItem):
    def is_shown(self, request):
        return admin_views.may_moderate(request.user)


@hooks.register("register_admin_menu_item")
def register_comments_menu_item():
    return ScopedMenuItem(_("意见审核"), reverse("participation_admin:comments"), icon_name="comment", order=272)


@hooks.register("register_admin_menu_item")
def register_surveys_menu_item():
    return ScopedMenuItem(_("调查答卷"), reverse("participation_admin:surveys"), icon_name="list-ul", order=273)
