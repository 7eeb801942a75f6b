"""What purges the page cache (``portal/pagecache.py``), connected from ``PortalConfig.ready``.

Publishing, unpublishing or deleting a page purges its site and every site whose pages
refer to it; saving or deleting an image or a document purges the sites of the pages that
show it (``pagecache.purge_shown``); saving, publishing or deleting a snippet whose app declares
where it is shown (``pagecache.shown_on``: an FAQ entry, an interview guest, a form) purges the
sites of those pages, before and after the change; moving a page, saving any other snippet, a
Site or a generic setting purges the cluster; a site setting purges its site; a model that says
it is shown on no page (``shown_on_pages = False``: the site templates, a mailbox's 承办部门)
purges nothing. Apps whose own records appear on pages (letters, interviews) connect their
purges in their own ``signal_handlers.py``.
"""

from django.apps import apps
from django.conf import settings
from django.db.models.signals import post_delete, post_save, pre_delete, pre_save
from wagtail import signals
from wagtail.contrib.settings.models import BaseGenericSetting, BaseSiteSetting
from wagtail.models import Locale, Page, PageViewRestriction, Site
from wagtail.snippets.models import get_snippet_models

from portal.models import SiteIdentity
from portal.pagecache import declares_pages, pages_showing, purge_all, purge_page, purge_pages, purge_shown, purge_site


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


def _before_save(sender, instance, **kwargs):
    """A record declared to show on some pages: the pages it showed on before this change
    (an FAQ entry moved to another theme leaves the old theme's guides)."""
    if kwargs.get("raw") or instance.pk is None or not declares_pages(sender):
        return
    before = sender._default_manager.filter(pk=instance.pk).first()
    if before is not None:
        purge_pages(pages_showing(before))


def _on_save_or_delete(sender, instance, **kwargs):
    if kwargs.get("raw"):  # fixtures being loaded
        return
    if not getattr(sender, "shown_on_pages", True):
        return
    if declares_pages(sender):
        if kwargs.get("signal") is not post_delete:  # deletions: before (_before_delete)
            purge_pages(pages_showing(instance))
        return
    # A site's identity shows on the other sites too (the cluster list in every footer), and
    # a view restriction takes pages out of listings on any site: both purge the cluster.
    if sender is SiteIdentity or sender is PageViewRestriction:
        purge_all()
    elif sender in _shown_by_reference():
        if kwargs.get("signal") is not post_delete:  # deletions: before (_before_delete)
            purge_shown(instance)
    elif issubclass(sender, BaseSiteSetting):
        purge_site(instance.site_id)
    elif _is_cluster_model(sender):
        purge_all()


def _on_snippet_published(sender, instance, **kwargs):
    # Pages: page_published. A snippet with declared pages was purged by the save publishing does.
    if isinstance(instance, Page) or not getattr(type(instance), "shown_on_pages", True):
        return
    if not declares_pages(type(instance)):
        purge_all()


def _before_delete(sender, instance, **kwargs):
    """An image or document about to go: purged while the records that show it still hold it
    (a site identity's FK is set to NULL by the deletion itself)."""
    if sender in _shown_by_reference():
        purge_shown(instance)
    elif declares_pages(sender):
        purge_pages(pages_showing(instance))


def _shown_by_reference() -> tuple:
    """Images and documents: shown where pages refer to them (or their page's record does)."""
    return (apps.get_model(settings.WAGTAILIMAGES_IMAGE_MODEL), apps.get_model(settings.WAGTAILDOCS_DOCUMENT_MODEL))


def register_signal_handlers() -> None:
    signals.page_published.connect(_on_page_change, dispatch_uid="pagecache-published")
    signals.page_unpublished.connect(_on_page_change, dispatch_uid="pagecache-unpublished")
    signals.post_page_move.connect(_on_cluster_change, dispatch_uid="pagecache-moved")
    post_delete.connect(_on_cluster_change, sender=Page, dispatch_uid="pagecache-page-deleted")
    signals.published.connect(_on_snippet_published, dispatch_uid="pagecache-snippet-published")
    signals.unpublished.connect(_on_snippet_published, dispatch_uid="pagecache-snippet-unpublished")
    pre_save.connect(_before_save, dispatch_uid="pagecache-before-save")
    post_save.connect(_on_save_or_delete, dispatch_uid="pagecache-saved")
    post_delete.connect(_on_save_or_delete, dispatch_uid="pagecache-deleted")
    pre_delete.connect(_before_delete, dispatch_uid="pagecache-before-delete")
