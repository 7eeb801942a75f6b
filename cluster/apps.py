from django.apps import AppConfig


class ClusterConfig(AppConfig):
    """站点开通 and 站点关停: a complete new site of the cluster in one step, from a site
    template staff can edit (issue #27)."""

    name = "cluster"
    verbose_name = "站点开通"
    default_auto_field = "django.db.models.BigAutoField"
