"""Files the demo letters came with: a payment screenshot, a screenshot of a broken page, a
receipt scanned to PDF. Drawn with Pillow (no font beyond its own, so the text is Latin) and
stored like a writer's upload, through the private storage (``STORAGES["private"]``)."""

from __future__ import annotations

import io
import secrets

from django.core.files.base import ContentFile
from PIL import Image, ImageDraw

from ..models import LetterAttachment


def payment_record() -> Image.Image:
    image = Image.new("RGB", (360, 640), "#f4f5f7")
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, 360, 56), fill="#1677ff")
    draw.text((20, 20), "Payment details", fill="white")
    draw.text((20, 110), "- 1,286.00", fill="#111111")
    for row, (label, value) in enumerate(
        [("Merchant", "Lao Jiefang private kitchen"), ("Paid at", "20:41"), ("Method", "Balance"), ("Status", "Paid")]
    ):
        draw.text((20, 190 + row * 36), label, fill="#888888")
        draw.text((130, 190 + row * 36), value, fill="#111111")
    return image


def not_found_page() -> Image.Image:
    image = Image.new("RGB", (800, 450), "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, 800, 36), fill="#dfe1e5")
    draw.rectangle((90, 8, 700, 28), fill="white")
    draw.text((100, 12), "https://tax.example.gov.cn/forms/download/...", fill="#333333")
    draw.text((340, 200), "404 Not Found", fill="#b3261e")
    return image


def receipt() -> Image.Image:
    image = Image.new("RGB", (595, 420), "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle((20, 20, 575, 400), outline="#c62828", width=2)
    draw.text((40, 40), "Social insurance contribution receipt", fill="#c62828")
    for row in range(6):
        draw.line((40, 100 + row * 40, 555, 100 + row * 40), fill="#c62828")
    draw.text((60, 115), "Pension, supplementary payment", fill="#222222")
    return image


DRAWINGS = {
    "payment_record": (payment_record, "PNG", "image/png"),
    "not_found_page": (not_found_page, "PNG", "image/png"),
    "receipt": (receipt, "PDF", "application/pdf"),
}


def attach(letter, attachments: list[tuple[str, str]]) -> None:
    """``attachments``: (the name the writer gave it, a key of ``DRAWINGS``)."""
    for original_name, drawing in attachments:
        draw, file_format, content_type = DRAWINGS[drawing]
        buffer = io.BytesIO()
        draw().save(buffer, file_format)
        content = buffer.getvalue()
        attachment = LetterAttachment(
            letter=letter, original_name=original_name, content_type=content_type, size=len(content)
        )
        attachment.file.save(f"{letter.code}-{secrets.token_hex(8)}", ContentFile(content), save=False)
        attachment.save()
