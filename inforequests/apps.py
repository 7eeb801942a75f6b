from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InfoRequestsConfig(AppConfig):
    """依申请公开 (issue #23, part 4 and 5): applications for government information under the
    政府信息公开条例 (2019), handled by its procedure, with their 行政复议 and 行政诉讼 records."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "inforequests"
    verbose_name = _("依申请公开")

    def ready(self):
        from . import signal_handlers

        signal_handlers.connect()
