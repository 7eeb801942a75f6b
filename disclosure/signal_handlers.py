"""The catalogue follows publication: a page's first publication gives it its entry and
索引号 when it belongs in the catalogue, every later one refreshes the facts the page holds
(``services.record_publish``). Connected from ``DisclosureConfig.ready``; runs inside the
publication's transaction, so a publish that fails leaves no entry and spends no number."""

from wagtail.signals import page_published

from . import services


def _on_publish(sender, instance, **kwargs):
    services.record_publish(instance)


def connect() -> None:
    page_published.connect(_on_publish, dispatch_uid="disclosure_record_publish")
