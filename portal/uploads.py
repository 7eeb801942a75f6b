"""Uploads from the public are recognised by their bytes, never by their names."""

from pathlib import PurePath

from django.core.exceptions import SuspiciousFileOperation
from django.utils.text import get_valid_filename
from PIL import Image, UnidentifiedImageError

# File type by its first bytes, never by its name.
SIGNATURES = [
    (b"%PDF-", "application/pdf"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
]
# Every type ``sniff`` can answer: nothing else is ever stored or sent back.
CONTENT_TYPES = frozenset(content_type for _signature, content_type in SIGNATURES)
EXTENSIONS = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}


def sniff(upload) -> str | None:
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    for signature, content_type in SIGNATURES:
        if head.startswith(signature):
            if content_type.startswith("image/"):
                try:
                    with Image.open(upload) as image:
                        image.verify()
                except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
                    return None
                finally:
                    upload.seek(0)
            return content_type
    return None


def safe_name(name: str, content_type: str) -> str:
    """The upload's name with the extension of what its bytes are: a PNG called
    ``photo.html`` is stored as ``photo.png``, so no server or browser takes it for a page."""
    stem = PurePath(name or "").stem
    try:
        stem = get_valid_filename(stem)[:80]
    except SuspiciousFileOperation:  # nothing usable left of the name ("", "..")
        stem = ""
    return f"{stem or 'upload'}.{EXTENSIONS[content_type]}"


def private_download(attachment):
    """Staff download of a stored upload (a letter's or an application's attachment, which has
    ``file``, ``original_name`` and ``content_type``): always a download, as the type its bytes
    were recognised as, under a safe name, never rendered in the admin's origin."""
    from django.http import FileResponse

    content_type = attachment.content_type
    known = content_type in CONTENT_TYPES
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        # a safe name also for attachments saved before names were made safe at upload
        filename=safe_name(attachment.original_name, content_type) if known else "attachment.bin",
        content_type=content_type if known else "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
