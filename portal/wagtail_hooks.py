"""Admin registration of the site-wide snippets (each site's name and footer texts, which
wagtail-localize can translate, and the working-day overrides), of the login lockouts view
(设置 → 登录锁定) and of the outbox of outgoing mail (设置 → 发信队列, with its dashboard panel),
both for superusers only; and the admin API's images and documents, scoped to the collections
the user may see."""

from axes.models import AccessAttempt
from django.utils.translation import gettext_lazy as _
from post_office.models import Email
from wagtail import hooks
from wagtail.documents.api.admin.views import DocumentsAdminAPIViewSet
from wagtail.images.api.admin.views import ImagesAdminAPIViewSet
from wagtail.permissions import policy_registry, register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .lockouts import LOG_ACTION, LockoutViewSet, SuperusersOnly
from .models import SiteText, WorkdayOverride
from .outbox import RESEND_ACTION
from .outbox_admin import OutboxPanel, OutboxPermissionPolicy, OutboxViewSet


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


# django-post-office's queue: superusers list it and resend failed mails, nobody else sees it.
register_permission_policy(Email, OutboxPermissionPolicy(Email))


@hooks.register("register_admin_viewset")
def register_outbox_viewset():
    return OutboxViewSet()


@hooks.register("construct_homepage_panels")
def add_outbox_panel(request, panels):
    panels.append(OutboxPanel(request.user))


@hooks.register("register_log_actions")
def register_outbox_log_action(actions):
    actions.register_action(RESEND_ACTION, _("重新发送邮件"), _("将发送失败的邮件重新放入了发信队列"))


# ---- the admin API (/admin/api/main/images/, /documents/) --------------------------------
# Wagtail's own endpoints list every image and document of the cluster, with download links,
# to anyone who can open the admin; its listings and choosers show only the collections the
# user holds a permission on. The endpoints below answer like the chooser: what the user may
# choose, change or delete (a city's editor sees their city's collection, not 乙市's or the
# main site's). Pages need nothing: Wagtail's pages endpoint already lists only what the user
# may explore.
API_ACTIONS = ["choose", "change", "delete"]


class CollectionScopedAPIMixin:
    def get_queryset(self):
        visible = policy_registry.get_by_type(self.model).instances_user_has_any_permission_for(
            self.request.user, API_ACTIONS
        )
        return super().get_queryset().filter(pk__in=visible.values("pk"))


class ScopedImagesAdminAPIViewSet(CollectionScopedAPIMixin, ImagesAdminAPIViewSet):
    pass


class ScopedDocumentsAdminAPIViewSet(CollectionScopedAPIMixin, DocumentsAdminAPIViewSet):
    pass


@hooks.register("construct_admin_api", order=100)  # after Wagtail's own, which it replaces
def scope_admin_api(router):
    router.register_endpoint("images", ScopedImagesAdminAPIViewSet)
    router.register_endpoint("documents", ScopedDocumentsAdminAPIViewSet)
