from django.apps import AppConfig


class SearchConfig(AppConfig):
    """Site search. The basic per-site, per-language search lives here; Chinese
    segmentation, filters and best bets are issue #6."""

    name = "search"
    label = "portal_search"
    verbose_name = "站内搜索"
