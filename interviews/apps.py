from django.apps import AppConfig


class InterviewsConfig(AppConfig):
    """Online interviews (在线访谈): scheduled, live and archived. Built in issue #5."""

    name = "interviews"
    verbose_name = "在线访谈"

    def ready(self):
        from portal import pagecache

        from .models import Guest
        from .queries import pages_showing_guest
        from .signal_handlers import register_signal_handlers

        register_signal_handlers()
        pagecache.shown_on(Guest, pages_showing_guest)
