"""PDF documents in Chinese with reportlab: the CJK font every PDF the portal writes uses
(reportlab's built-in CID font STSong-Light, which PDF readers supply, so nothing is embedded)
and an A4 document built from a story. Used by the 告知书 of 依申请公开 and the annual reports."""

from __future__ import annotations

import io

FONT = "STSong-Light"


def cjk_font() -> str:
    """The font's name, registered with reportlab once per process."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    return FONT


def a4(story: list, *, title: str, author: str = "", margins_mm: tuple = (20, 20, 20, 20)) -> bytes:
    """``story`` laid out on A4 pages (margins: top, right, bottom, left in mm), in Chinese, with
    the same bytes for the same story (no timestamp or random id in the file)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.platypus import SimpleDocTemplate

    top, right, bottom, left = (value * mm for value in margins_mm)
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=left,
        rightMargin=right,
        topMargin=top,
        bottomMargin=bottom,
        title=title,
        author=author,
        lang="zh-CN",
        invariant=1,
    )
    document.build(story)
    return buffer.getvalue()
