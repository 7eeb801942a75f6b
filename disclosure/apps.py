from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DisclosureConfig(AppConfig):
    """政府信息公开 (issue #23): the disclosure catalogue (信息索引 and 索引号 on every disclosed
    item, the 公开目录 page of each site)."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "disclosure"
    verbose_name = _("政府信息公开")

    def ready(self):
        from . import signal_handlers

        signal_handlers.connect()
