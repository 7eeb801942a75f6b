"""What the app adds to the admin: *公示名录* in the menu, its views, *导入名录* in a register
page's header, and the history entries of imports and 撤销."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.widgets import Button

from portal import converters  # noqa: F401 - registers <id:…> (portal/converters.py)

from . import admin_views
from .models import RegisterPage

admin_urls = (
    [
        path("", admin_views.RegisterIndexView.as_view(), name="index"),
        path("<id:page_id>/", admin_views.RegisterView.as_view(), name="register"),
        path("<id:page_id>/import/", admin_views.ImportView.as_view(), name="import"),
        path("<id:page_id>/batches/<id:batch_id>/", admin_views.BatchView.as_view(), name="batch"),
        path("<id:page_id>/entries/<id:entry_id>/withdraw/", admin_views.WithdrawView.as_view(), name="withdraw"),
        path(
            "<id:page_id>/template.<str:export_format>",
            admin_views.TemplateDownloadView.as_view(),
            name="template",
        ),
    ],
    "registers_admin",
)


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [path("registers/", include(admin_urls))]


@hooks.register("register_admin_menu_item")
def register_menu_item():
    return admin_views.RegistersMenuItem(_("公示名录"), reverse("registers_admin:index"), icon_name="table", order=263)


@hooks.register("register_page_header_buttons")
def import_button(page, user, view_name, next_url=None):
    if isinstance(page.specific_deferred, RegisterPage) and page.permissions_for_user(user).can_publish():
        yield Button(_("导入名录"), reverse("registers_admin:import", args=[page.pk]), icon_name="table", priority=80)


@hooks.register("register_log_actions")
def register_log_actions(actions):
    actions.register_action("registers.import", _("导入名录"), _("名录已导入"))
    actions.register_action("registers.withdraw", _("撤销名录条目"), _("名录条目已撤销"))
