from django.apps import AppConfig


class CorrespondenceConfig(AppConfig):
    """Public mailboxes (局长信箱, 咨询, 投诉, 举报) and letters. Built in issue #4."""

    name = "correspondence"
    verbose_name = "互动交流（信箱）"

    def ready(self):
        from .signal_handlers import register_signal_handlers

        register_signal_handlers()
