from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnnualReportsConfig(AppConfig):
    name = "annualreports"
    verbose_name = _("年度报告")
    default_auto_field = "django.db.models.BigAutoField"
