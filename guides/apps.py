from django.apps import AppConfig


class GuidesConfig(AppConfig):
    """Service guides (办事指南) and the form library (表格下载). Built in issue #3; the cities'
    local guides in issue #22."""

    name = "guides"
    verbose_name = "办事指南与表格下载"

    def ready(self):
        from portal import pagecache

        from .models import FormItem
        from .queries import pages_showing_form
        from .signal_handlers import register_signal_handlers

        register_signal_handlers()
        pagecache.shown_on(FormItem, pages_showing_form)
