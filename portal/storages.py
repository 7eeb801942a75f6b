"""File storages named in ``STORAGES`` besides Django's own."""

from django.conf import settings
from django.core.files.storage import FileSystemStorage


class OutboxAttachmentStorage(FileSystemStorage):
    """``STORAGES["outbox"]``, where django-post-office keeps the attachments of queued mail
    (none of the portal's mails has one): under ``PRIVATE_MEDIA_ROOT``, never under the public
    ``MEDIA_ROOT``."""

    def __init__(self, **kwargs):
        super().__init__(location=settings.PRIVATE_MEDIA_ROOT / "outbox", base_url=None)
