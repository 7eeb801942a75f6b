"""What purges the page cache (``portal/pagecache.py``), connected from ``PortalConfig.ready``.

Publishing, unpublishing or deleting a page purges its site and every site whose pages
refer to it; moving a page, saving a snippet, an image, a document, a Site or a generic
setting purges the cluster; a site setting purges its site. Apps whose own records appear
on pages (letters, interviews) connect their purges in their own ``signal_handlers.py``.
"""

from django.apps import apps
from django.conf import settings
from django.db.models.signals import post_delete, post_save
from wagtail import signals
from wagtail.contrib.settings.models import BaseGenericSetting, BaseSiteSetting
from wagtail.models import Locale, Page, PageViewRestriction, Site
from wagtail.snippets.models import get_snippet_models

from portal.models import SiteIdentity
from portal.pagecache import purge_all, purge_page, purge_site


def _on_page_change(sender, instance, **kwargs):
    purge_page(instance)


def _on_cluster_change(sender, **kwargs):
    purge_all()


_cluster_models: dict[int, frozenset] = {}


def _is_cluster_model(model) -> bool:
    """Snippets, images, documents, sites, locales and generic settings: shown anywhere.
    (Snippets are registered by wagtail_hooks after this app is ready: looked up late.)"""
    snippets = get_snippet_models()
    models = _cluster_models.get(len(snippets))
    if models is None:
        models = frozenset(
            {
                Site,
                Locale,
                apps.get_model(settings.WAGTAILIMAGES_IMAGE_MODEL),
                apps.get_model(settings.WAGTAILDOCS_DOCUMENT_MODEL),
                *snippets,
            }
        )
        _cluster_models.clear()
        _cluster_models[len(snippets)] = models
    return model in models or issubclass(model, BaseGenericSetting)


def _on_save_or_delete(sender, instance, **kwargs):
    if kwargs.get("raw"):  # fixtures being loaded
        return
    # A site's identity shows on the other sites too (the cluster list in every footer), and
    # a view restriction takes pages out of listings on any site: both purge the cluster.
    if sender is SiteIdentity or sender is PageViewRestriction:
        purge_all()
    elif issubclass(sender, BaseSiteSetting):
        purge_site(instance.site_id)
    elif _is_cluster_model(sender):
        purge_all()


def _on_snippet_published(sender, instance, **kwargs):
    if not isinstance(instance, Page):  # pages: page_published
        purge_all()


def register_signal_handlers() -> None:
    signals.page_published.connect(_on_page_change, dispatch_uid="pagecache-published")
    signals.page_unpublished.connect(_on_page_change, dispatch_uid="pagecache-unpublished")
    signals.post_page_move.connect(_on_cluster_change, dispatch_uid="pagecache-moved")
    post_delete.connect(_on_cluster_change, sender=Page, dispatch_uid="pagecache-page-deleted")
    signals.published.connect(_on_snippet_published, dispatch_uid="pagecache-snippet-published")
    signals.unpublished.connect(_on_snippet_published, dispatch_uid="pagecache-snippet-unpublished")
    post_save.connect(_on_save_or_delete, dispatch_uid="pagecache-saved")
    post_delete.connect(_on_save_or_delete, dispatch_uid="pagecache-deleted")
