from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo cluster and the benchmarks' corpora: ``manage.py load_demo``.

    The top of the project: it imports every app (each app owns its demo loader and content,
    ``<app>/demo.py`` or ``<app>/demo/``) and nothing imports it. Installed by the
    development and test settings only; production settings leave it out."""

    name = "demo"
    verbose_name = "演示内容"
