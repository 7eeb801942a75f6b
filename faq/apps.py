from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FaqConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "faq"
    verbose_name = _("常见问题")

    def ready(self):
        from portal import pagecache

        from .models import FAQ
        from .queries import pages_showing

        pagecache.shown_on(FAQ, pages_showing)
