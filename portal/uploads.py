"""Uploads from the public are recognised by their bytes, never by their names."""

from PIL import Image, UnidentifiedImageError

# File type by its first bytes, never by its name.
SIGNATURES = [
    (b"%PDF-", "application/pdf"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
]


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
