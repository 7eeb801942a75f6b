from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistersConfig(AppConfig):
    """公示名录 (issue #23, part 3): the registers a tax bureau publishes (欠税公告, 重大税收违法失信主体,
    A级纳税人名单, 行政许可 and 行政处罚 双公示), imported by staff from spreadsheets."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "registers"
    verbose_name = _("公示名录")
