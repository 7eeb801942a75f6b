from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SubscriptionsConfig(AppConfig):
    """Subscribing to a column: its RSS feed and e-mail alerts of its new articles (issue 22)."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "subscriptions"
    verbose_name = _("栏目订阅")
