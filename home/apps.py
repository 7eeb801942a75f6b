from django.apps import AppConfig


class HomeConfig(AppConfig):
    """Home page, columns (栏目), articles, site map and standard pages."""

    name = "home"
    verbose_name = "首页与栏目"
