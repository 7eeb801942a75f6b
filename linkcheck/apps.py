from django.apps import AppConfig


class LinkcheckConfig(AppConfig):
    """Link checking (错链检测): broken internal and external links in published pages. Issue #7."""

    name = "linkcheck"
    verbose_name = "错链检测"
