"""Admin: 报送省局网站 in a city article's action menu, the 信息报送 listing and the
history entries of a submission."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.action_menu import ActionMenuItem
from wagtail.admin.menu import MenuItem

from portal import converters  # noqa: F401 - registers <id:…> (portal/converters.py)
from portal.permissions import editable_roots

from . import admin_views, services

admin_urls = (
    [
        path("", admin_views.SubmissionReportView.as_view(), name="index"),
        path("results/", admin_views.SubmissionReportView.as_view(results_only=True), name="index_results"),
        path("submit/<id:page_id>/", admin_views.SubmitView.as_view(), name="submit"),
    ],
    "submission_admin",
)


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [path("submissions/", include(admin_urls))]


class SubmitMenuItem(ActionMenuItem):
    """A link in the page editor's action menu of a live city article its user may edit."""

    label = _("报送省局网站")
    name = "action-submit-to-main-site"
    icon_name = "upload"

    def is_shown(self, context):
        if context["view"] != "edit" or context.get("locked_for_user"):
            return False
        page = context["page"]
        return self.get_user_page_permissions_tester(context).can_edit() and services.is_submittable(page)

    def get_url(self, parent_context):
        return reverse("submission_admin:submit", args=[parent_context["page"].pk])


@hooks.register("register_page_action_menu_item")
def register_submit_menu_item():
    return SubmitMenuItem(order=70)


class SubmissionsMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.is_active and editable_roots(request.user) != set()


@hooks.register("register_admin_menu_item")
def register_submissions_menu_item():
    return SubmissionsMenuItem(_("信息报送"), reverse("submission_admin:index"), icon_name="upload", order=274)


@hooks.register("register_log_actions")
def register_log_actions(actions):
    actions.register_action("submission.submit", _("报送省局网站"), _("已报送省局网站"))
    actions.register_action("submission.resubmit", _("原文更新后重新报送"), _("原文已更新，修改稿提交省局网站重新审核"))
    actions.register_action("submission.accept", _("省局网站采用"), _("已被省局网站采用"))
    actions.register_action("submission.return", _("省局网站退回"), _("省局网站已退回"))
