from django.apps import AppConfig


class ParticipationConfig(AppConfig):
    """Public participation: consultations (意见征集) and surveys (网上调查). Issue #11."""

    name = "participation"
    verbose_name = "公众参与（意见征集、网上调查）"
