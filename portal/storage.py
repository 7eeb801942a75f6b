"""The private files' storage: ``STORAGES["private"]``, resolved when first used.

Letter attachments (correspondence) are personal data: never under ``MEDIA_ROOT``, never
served by the proxy, downloaded by staff through the admin only. Their ``FileField`` names
the callable ``correspondence.models.private_storage``, which returns :data:`private_storage`
here: a lazy stand-in for ``django.core.files.storage.storages["private"]``. Migrations
record the callable, not a backend, so moving the files to object storage (django-storages'
``S3Storage``, any S3-compatible store) is a change of settings (``PRIVATE_STORAGE`` in the
environment, see ``portal/settings/base.py``) and needs no migration. Like Django's
``default_storage``, the stand-in is reset when a test overrides ``STORAGES``.
"""

from django.core.files.storage import storages
from django.core.signals import setting_changed
from django.utils.functional import LazyObject, empty

ALIAS = "private"


class PrivateStorage(LazyObject):
    def _setup(self):
        self._wrapped = storages[ALIAS]


private_storage = PrivateStorage()


def _reset(*, setting, **kwargs) -> None:
    if setting == "STORAGES":
        private_storage._wrapped = empty


setting_changed.connect(_reset, dispatch_uid="portal.storage.reset")
