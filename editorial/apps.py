from django.apps import AppConfig
from wagtail.users.apps import WagtailUsersAppConfig


class EditorialConfig(AppConfig):
    """Editorial work: roles per site, the 发布审核 workflow, the 本站待办 dashboard panel and
    the audit of permission changes. Issue #7."""

    default = True  # apps.py also holds the users app below
    name = "editorial"
    verbose_name = "编辑工作流程"

    def ready(self):
        from . import audit

        audit.connect()


class EditorialUsersConfig(WagtailUsersAppConfig):
    """Wagtail's users app with a group editor that records the page and collection
    permissions it grants (Wagtail saves those with ``bulk_create``, which sends no signal)."""

    group_viewset = "editorial.audit.AuditedGroupViewSet"
