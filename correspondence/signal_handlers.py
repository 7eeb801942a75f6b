"""Page-cache purges for letters: a published letter shows on its mailbox's public pages."""

from django.db.models.signals import post_delete, post_save

from portal import pagecache

from .models import Letter


def purge_published_letter(sender, instance, **kwargs):
    if instance.is_published or instance.published_at:
        pagecache.purge_site(instance.site_id)


def register_signal_handlers():
    post_save.connect(purge_published_letter, sender=Letter, dispatch_uid="correspondence-purge-letter")
    post_delete.connect(purge_published_letter, sender=Letter, dispatch_uid="correspondence-purge-letter-deleted")
