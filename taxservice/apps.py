from django.apps import AppConfig


class TaxServiceConfig(AppConfig):
    """Filing calendar (征期日历) and service halls (办税服务厅, 办税地图). Issue #11."""

    name = "taxservice"
    verbose_name = "纳税服务"
