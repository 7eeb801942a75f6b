"""Letter attachments are stored through ``STORAGES["private"]`` (portal/storage.py), so object
storage can replace the shared directory by configuration alone (README, "Private files on
object storage")."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, InMemoryStorage, storages
from django.test import override_settings

from correspondence.models import Letter, LetterAttachment

ROOT = Path(__file__).resolve().parents[2]


def attach(letter, content: bytes = b"%PDF-1.4 private") -> LetterAttachment:
    attachment = LetterAttachment(letter=letter, original_name="a.pdf", content_type="application/pdf")
    attachment.size = len(content)
    attachment.file.save(f"{letter.code}-{secrets.token_hex(8)}", ContentFile(content), save=False)
    attachment.save()
    return attachment


def test_the_private_alias_is_a_directory_outside_media_root_by_default():
    private = settings.STORAGES["private"]
    assert private["BACKEND"] == "django.core.files.storage.FileSystemStorage"
    assert Path(private["OPTIONS"]["location"]) == settings.PRIVATE_MEDIA_ROOT
    storage = storages["private"]
    assert isinstance(storage, FileSystemStorage)
    assert Path(storage.location) == settings.PRIVATE_MEDIA_ROOT
    assert not Path(storage.location).is_relative_to(settings.MEDIA_ROOT)


def test_the_attachment_field_stores_through_the_private_alias(db):
    field = LetterAttachment._meta.get_field("file")
    # Migrations name the callable, never a path or a backend: changing STORAGES needs none.
    assert field.deconstruct()[3]["storage"].__qualname__ == "private_storage"
    attachment = attach(Letter.objects.order_by("pk").first())
    assert attachment.file.storage._wrapped is storages["private"]
    path = Path(attachment.file.path)
    assert path.is_relative_to(settings.PRIVATE_MEDIA_ROOT) and path.read_bytes() == b"%PDF-1.4 private"


def test_overriding_the_alias_moves_new_attachments_to_another_directory(db, tmp_path):
    letter = Letter.objects.order_by("pk").first()
    other = tmp_path / "elsewhere"
    with override_settings(
        STORAGES={
            **settings.STORAGES,
            "private": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": other}},
        }
    ):
        attachment = attach(letter, b"%PDF-1.4 moved")
        assert Path(attachment.file.path).is_relative_to(other)
        assert (other / attachment.file.name).read_bytes() == b"%PDF-1.4 moved"
        assert not (settings.PRIVATE_MEDIA_ROOT / attachment.file.name).exists()
    # Back to the configured directory once the override ends.
    assert attach(letter).file.path.startswith(str(settings.PRIVATE_MEDIA_ROOT))


def test_a_storage_without_a_filesystem_serves_the_staff_download(db, admin_client):
    """Object storage stand-in: InMemoryStorage writes no file; the admin's download reads
    through the storage."""
    letter = Letter.objects.order_by("pk").first()
    with override_settings(
        STORAGES={**settings.STORAGES, "private": {"BACKEND": "django.core.files.storage.InMemoryStorage"}}
    ):
        attachment = attach(letter, b"%PDF-1.4 in memory")
        assert isinstance(storages["private"], InMemoryStorage)
        assert not (settings.PRIVATE_MEDIA_ROOT / attachment.file.name).exists()
        response = admin_client.get(f"/admin/letters/{letter.pk}/attachments/{attachment.pk}/")
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == b"%PDF-1.4 in memory"


# Settings only: django.setup() would build the S3 storage, and django-storages is not installed here.
PROBE = """
import json
from django.conf import settings
print(json.dumps({
    name: {"BACKEND": value["BACKEND"], "OPTIONS": {k: str(v) for k, v in value.get("OPTIONS", {}).items()}}
    for name, value in settings.STORAGES.items()
}))
"""


def storages_of(module: str, **env) -> dict:
    clean = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "PRIVATE_STORAGE"}}
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": module, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_production_keeps_the_private_alias_and_object_storage_is_configuration_alone(tmp_path):
    production = {"SECRET_KEY": "abcdefghijklmnopqrstuvwxyz0123456789" * 2, "ALLOWED_HOSTS": "tax.example.gov.cn"}
    found = storages_of("portal.settings.production", PRIVATE_MEDIA_ROOT=str(tmp_path / "private"), **production)
    assert found["private"] == {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(tmp_path / "private")},
    }
    assert found["staticfiles"]["BACKEND"] == "whitenoise.storage.CompressedManifestStaticFilesStorage"
    s3 = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {"bucket_name": "portal-private", "endpoint_url": "https://oss.internal", "default_acl": "private"},
    }
    found = storages_of("portal.settings.production", PRIVATE_STORAGE=json.dumps(s3), **production)
    assert found["private"] == s3
