from django.apps import AppConfig


class SubmissionConfig(AppConfig):
    """信息报送: a city site's article submitted to the provincial (main) site. Issue #7."""

    name = "submission"
    verbose_name = "信息报送"

    def ready(self):
        from . import signals  # noqa: F401  (connects the workflow and publishing handlers)
