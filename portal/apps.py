from django.apps import AppConfig


class PortalConfig(AppConfig):
    """Site-wide pieces shared by every app: users, images, documents, site identity."""

    name = "portal"
    verbose_name = "门户公共设置"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import checks  # noqa: F401 - registers the deployment checks
        from .signal_handlers import register_signal_handlers

        register_signal_handlers()
