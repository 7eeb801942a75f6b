"""Generate real demo files (PDF, DOCX, PNG) as bytes for the demo-content loader.

Everything here is a pure function of its arguments: no timestamps, no unseeded randomness.
Loading the demo content twice therefore produces byte-identical files (same Python/library
versions and the same fonts installed), so re-running ``load_demo`` does not churn documents
or images.

* :func:`make_pdf`: A4 PDF in a simplified 公文 layout (GB/T 9704 margins, 三号 body text,
  two-character first-line indent, issuer and date right-aligned). Chinese text uses
  reportlab's built-in CID font ``STSong-Light``, so no font file is needed; the font is not
  embedded and PDF readers substitute their own 宋体/Song face.
* :func:`make_docx`: Word document via python-docx with 宋体 as East Asian font, fixed core
  properties and normalised zip entry timestamps.
* :func:`make_image`: flat-design PNG illustration (gradient + shapes seeded from
  ``seed``/``label``) with ``label`` drawn large in the centre.
* :func:`make_logo`: small transparent PNG site mark (emblem + site name).

Fonts for the PNG functions: drawing Chinese text with Pillow needs a CJK font file.
:func:`find_cjk_font` looks in well-known locations (Debian packages ``fonts-noto-cjk``,
``fonts-wqy-microhei``, ``fonts-wqy-zenhei``; common macOS/Windows fonts), then asks
``fc-list :lang=zh``, and then takes the subset of WenQuanYi Micro Hei shipped in
``demo/fonts/`` (Apache-2.0; every character the demo draws, made by
``demo/fonts/make-subset``), so a fresh machine draws the labels too. Only if that file is
gone are the images drawn without any text (``load_demo`` says so: :data:`NO_CJK_FONT`); they
are decorative and the alt text in the CMS carries the meaning. The output bytes of the PNG
functions therefore depend on which font is installed.
"""

from __future__ import annotations

import functools
import hashlib
import io
import math
import re
import shutil
import subprocess
import zipfile
from collections.abc import Sequence
from datetime import UTC, datetime
from itertools import combinations, pairwise
from pathlib import Path
from typing import NamedTuple

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from PIL import Image, ImageDraw, ImageFilter, ImageFont
from PIL.PngImagePlugin import PngInfo
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate, Spacer

__all__ = [
    "BUNDLED_CJK_FONT",
    "DEFAULT_ISSUER",
    "NO_CJK_FONT",
    "PALETTES",
    "FontSpec",
    "find_cjk_font",
    "make_docx",
    "make_image",
    "make_logo",
    "make_pdf",
]

DEFAULT_ISSUER = "国家税务总局示例省税务局"

#: Fixed timestamp written into document metadata / zip entries (reproducible output).
FIXED_DATETIME = datetime(2026, 1, 1, 0, 0, 0, tzinfo=UTC)
_ZIP_DATE_TIME = (2026, 1, 1, 0, 0, 0)

_PDF_FONT = "STSong-Light"
_DOCX_EAST_ASIA_FONT = "宋体"
_DOCX_LATIN_FONT = "Times New Roman"

RGB = tuple[int, int, int]


def _hex(value: str) -> RGB:
    value = value.lstrip("#")
    return (int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16))


#: Colour palettes: ``dark``/``mid`` for the background gradient, ``light`` for soft shapes,
#: ``accent`` for highlights, ``ink`` for logo text on a light background.
PALETTES: dict[str, dict[str, RGB]] = {
    "blue": {
        "dark": _hex("#0b3b82"),
        "mid": _hex("#1f6fd1"),
        "light": _hex("#9cc9ff"),
        "accent": _hex("#ffd166"),
        "ink": _hex("#0b3b82"),
    },
    "red": {
        "dark": _hex("#8a1419"),
        "mid": _hex("#c8202f"),
        "light": _hex("#ff9e94"),
        "accent": _hex("#ffd27a"),
        "ink": _hex("#a3161f"),
    },
    "green": {
        "dark": _hex("#0d5234"),
        "mid": _hex("#2b8a57"),
        "light": _hex("#a3e4bb"),
        "accent": _hex("#f6e58d"),
        "ink": _hex("#0d5234"),
    },
    "orange": {
        "dark": _hex("#9a3d06"),
        "mid": _hex("#e07b1f"),
        "light": _hex("#ffca91"),
        "accent": _hex("#fff0c2"),
        "ink": _hex("#8f3905"),
    },
    "grey": {
        "dark": _hex("#2c333d"),
        "mid": _hex("#5b6675"),
        "light": _hex("#c6cdd7"),
        "accent": _hex("#eef2f7"),
        "ink": _hex("#2c333d"),
    },
}


def _palette(name: str) -> dict[str, RGB]:
    try:
        return PALETTES[name]
    except KeyError:
        choices = ", ".join(PALETTES)
        raise ValueError(f"unknown palette {name!r}; choose one of: {choices}") from None


def _format_date(date: str) -> str:
    """Turn ``2026-11-18`` (optionally followed by a time) into ``2026年11月18日``.

    Anything else is returned unchanged (stripped), so callers may pass a ready-made
    Chinese date.
    """
    date = date.strip()
    match = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T].*)?", date)
    if match:
        year, month, day = match.groups()
        return f"{year}年{int(month)}月{int(day)}日"
    return date


# --------------------------------------------------------------------------------------
# Line breaking shared by the PDF and image code
# --------------------------------------------------------------------------------------

# 避头尾 (kinsoku): characters that must not start / end a line.
_NO_LINE_START = frozenset("，。、；：？！）》」』】〕〉］｝’”…—·％,.;:?!)]}%")  # noqa: RUF001
_NO_LINE_END = frozenset("（《「『【〔〈［｛‘“([{")  # noqa: RUF001


def _tokens(text: str) -> list[str]:
    """Split into breakable units: single CJK characters, Latin words/numbers, spaces."""
    return re.findall(r"[A-Za-z0-9][A-Za-z0-9.\-_/%]*|\s+|.", text)


def _break_lines(text: str, widths: Sequence[float], measure) -> list[str]:
    """Greedy line breaking for Chinese text with 避头尾 rules.

    ``widths`` gives the available width of the first lines (the last value repeats);
    ``measure`` returns the width of a string. Latin words and numbers are not split unless
    a single one is wider than a line.
    """
    narrowest = min(widths)
    tokens: list[str] = []
    for token in _tokens(text):
        tokens.extend(list(token) if measure(token) > narrowest else [token])
    sizes = [measure(token) for token in tokens]

    lines: list[str] = []
    start = 0
    while start < len(tokens):
        while start < len(tokens) and tokens[start].isspace():
            start += 1
        if start >= len(tokens):
            break
        limit = widths[min(len(lines), len(widths) - 1)]
        end, used = start, 0.0
        while end < len(tokens) and (end == start or used + sizes[end] <= limit + 0.01):
            used += sizes[end]
            end += 1
        if end < len(tokens):
            # Move the break back so that no line starts with closing punctuation and
            # no line ends with opening punctuation (always keep >= 1 token per line).
            while end > start + 1 and (tokens[end][0] in _NO_LINE_START or tokens[end - 1][-1] in _NO_LINE_END):
                end -= 1
        line = "".join(tokens[start:end]).strip()
        if line:
            lines.append(line)
        start = end
    return lines


# --------------------------------------------------------------------------------------
# PDF
# --------------------------------------------------------------------------------------


@functools.cache
def _register_pdf_font() -> str:
    pdfmetrics.registerFont(UnicodeCIDFont(_PDF_FONT))
    return _PDF_FONT


class _Line(NamedTuple):
    text: str
    x: float  # offset from the left edge of the frame
    char_space: float  # extra space between characters (justification)


class _TextBlock(Flowable):
    """A paragraph of Chinese text in a CID font, with 公文-style layout.

    reportlab's own ``Paragraph(wordWrap="CJK")`` only knows Japanese 禁則 characters (it
    lets a line start with a full-width comma) and does not justify CJK lines, so this
    small flowable does its own line breaking, justification (via character spacing) and
    page splitting.
    """

    def __init__(
        self,
        text: str,
        *,
        font: str,
        size: float,
        leading: float,
        align: str = "justify",
        first_indent: float = 0.0,
        right_indent: float = 0.0,
        bold: bool = False,
        space_after: float = 0.0,
        lines: list[_Line] | None = None,
    ) -> None:
        super().__init__()
        self.text = text
        self.font = font
        self.size = size
        self.leading = leading
        self.align = align
        self.first_indent = first_indent
        self.right_indent = right_indent
        self.bold = bold
        self.spaceAfter = space_after
        self._fixed_lines = lines
        self._lines: list[_Line] = lines or []

    def _measure(self, text: str) -> float:
        return pdfmetrics.stringWidth(text, self.font, self.size)

    def _layout(self, width: float) -> list[_Line]:
        usable = width - self.right_indent
        widths = [usable - self.first_indent, usable] if self.align == "justify" else [usable]
        texts = []
        for part in self.text.splitlines() or [""]:
            broken = _break_lines(part, widths, self._measure)
            if self.align == "center" and len(broken) > 1:
                broken = self._balance(part, len(broken), usable)
            texts.extend((line, False) for line in broken)
            if texts:
                texts[-1] = (texts[-1][0], True)  # last line of a hard line: not justified
        result = []
        for index, (text, last) in enumerate(texts):
            line_width = self._measure(text)
            if self.align == "center":
                result.append(_Line(text, (usable - line_width) / 2, 0.0))
            elif self.align == "right":
                result.append(_Line(text, usable - line_width, 0.0))
            else:
                indent = self.first_indent if index == 0 else 0.0
                gaps = len(text) - 1
                extra = usable - indent - line_width
                char_space = 0.0
                if not last and gaps > 0 and 0 < extra < self.size * gaps * 0.5:
                    char_space = extra / gaps
                result.append(_Line(text, indent, char_space))
        return result

    def _balance(self, text: str, count: int, usable: float) -> list[str]:
        """Narrowest line width that still gives ``count`` lines (centred titles look
        better as a block of similar lines than with a short last line)."""
        low, high = self._measure(text) / count, usable
        for _ in range(20):
            middle = (low + high) / 2
            if len(_break_lines(text, [middle], self._measure)) <= count:
                high = middle
            else:
                low = middle
        return _break_lines(text, [high], self._measure)

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        if self._fixed_lines is None:
            self._lines = self._layout(availWidth)
        self.width = availWidth
        self.height = self.leading * len(self._lines)
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:  # noqa: N803
        self.wrap(availWidth, availHeight)
        fits = int((availHeight + 0.01) // self.leading)
        if fits <= 0:
            return []
        if fits >= len(self._lines):
            return [self]
        return [self._clone(self._lines[:fits], 0.0), self._clone(self._lines[fits:])]

    def _clone(self, lines: list[_Line], space_after: float | None = None) -> _TextBlock:
        return _TextBlock(
            self.text,
            font=self.font,
            size=self.size,
            leading=self.leading,
            align=self.align,
            bold=self.bold,
            space_after=self.spaceAfter if space_after is None else space_after,
            lines=lines,
        )

    def draw(self) -> None:
        canv = self.canv
        canv.saveState()
        text = canv.beginText()
        text.setFont(self.font, self.size)
        if self.bold:
            # STSong-Light has no bold face: fill + stroke the outline ("fake bold").
            canv.setStrokeColor(colors.black)
            canv.setLineWidth(self.size * 0.035)
            text.setTextRenderMode(2)
        # Put the glyph body (roughly -0.12em … 0.88em) in the middle of each line box.
        baseline = self.height - self.leading / 2 - self.size * 0.38
        for index, line in enumerate(self._lines):
            text.setTextOrigin(line.x, baseline - index * self.leading)
            text.setCharSpace(line.char_space)
            text.textOut(line.text)
        canv.drawText(text)
        canv.restoreState()


def make_pdf(
    title: str,
    paragraphs: Sequence[str],
    *,
    issuer: str = DEFAULT_ISSUER,
    date: str = "",
) -> bytes:
    """Render an A4 PDF notice and return its bytes.

    Layout follows 公文 conventions loosely: GB/T 9704 page margins; title centred in 二号
    (22 pt) with a simulated bold face; paragraphs in 三号 (16 pt), 28 pt line pitch,
    justified, first-line indent of two characters, 避头尾 line breaking; issuer and date
    right-aligned after the body; page numbers "— n —" centred in the footer.
    ``date`` may be ``YYYY-MM-DD`` (converted to ``YYYY年M月D日``) or any ready string;
    empty means no date line. Text is set in the non-embedded CID font ``STSong-Light``.
    Metadata: title, subject (= title), author (= issuer), document language ``zh-CN``.
    Built with ``invariant=1`` (fixed dates and file ID), so equal input gives equal bytes.
    """
    font = _register_pdf_font()
    body_size, title_size, leading = 16.0, 22.0, 28.0

    story: list[Flowable] = [
        _TextBlock(
            title.strip(),
            font=font,
            size=title_size,
            leading=title_size * 1.5,
            align="center",
            bold=True,
            space_after=leading,
        ),
    ]
    story += [
        _TextBlock(p.strip(), font=font, size=body_size, leading=leading, first_indent=body_size * 2)
        for p in paragraphs
        if p.strip()
    ]
    sign_lines = [line for line in (issuer.strip(), _format_date(date)) if line]
    if sign_lines:
        story.append(Spacer(1, leading))
        story += [
            _TextBlock(
                line,
                font=font,
                size=body_size,
                leading=leading,
                align="right",
                right_indent=body_size * 2,
            )
            for line in sign_lines
        ]

    def _page_number(canv, doc) -> None:
        canv.saveState()
        canv.setFont(font, 14)
        canv.drawCentredString(A4[0] / 2, 20 * mm, f"— {doc.page} —")
        canv.restoreState()

    buffer = io.BytesIO()
    doc = BaseDocTemplate(
        buffer,
        pagesize=A4,
        topMargin=37 * mm,
        bottomMargin=35 * mm,
        leftMargin=28 * mm,
        rightMargin=26 * mm,
        title=title.strip(),
        author=issuer,
        subject=title.strip(),
        creator="示例省税务局门户演示数据",
        invariant=1,
        lang="zh-CN",
        initialFontName=font,
        initialFontSize=body_size,
    )
    frame = Frame(
        doc.leftMargin,
        doc.bottomMargin,
        doc.width,
        doc.height,
        id="body",
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
    )
    # Page number drawn at the end of each page, so text extraction reads it last.
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame], onPageEnd=_page_number)])
    doc.build(story)
    return buffer.getvalue()


# --------------------------------------------------------------------------------------
# DOCX
# --------------------------------------------------------------------------------------


def _set_run_fonts(rpr, *, east_asia: str, latin: str) -> None:
    """Set explicit ``w:rFonts`` (dropping theme fonts, which would override them)."""

    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.insert(0, rfonts)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        rfonts.attrib.pop(qn(attr), None)
    rfonts.set(qn("w:ascii"), latin)
    rfonts.set(qn("w:hAnsi"), latin)
    rfonts.set(qn("w:cs"), latin)
    rfonts.set(qn("w:eastAsia"), east_asia)


def _set_lang(rpr) -> None:

    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = rpr.makeelement(qn("w:lang"), {})
        rpr.append(lang)
    lang.set(qn("w:val"), "zh-CN")
    lang.set(qn("w:eastAsia"), "zh-CN")


def _normalise_zip(data: bytes) -> bytes:
    """Rewrite a zip archive with fixed entry timestamps/attributes (same order, deflated)."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for item in src.infolist():
            info = zipfile.ZipInfo(item.filename, date_time=_ZIP_DATE_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 0
            info.external_attr = 0
            dst.writestr(info, src.read(item.filename))
    return out.getvalue()


def make_docx(
    title: str,
    paragraphs: Sequence[str],
    *,
    issuer: str = DEFAULT_ISSUER,
    date: str = "",
) -> bytes:
    """Render an A4 Word document (.docx) and return its bytes.

    The title uses the built-in ``Title`` style (restyled: 宋体, 22 pt, bold, centred, black,
    no border); body paragraphs use ``Normal`` (宋体 16 pt, fixed 28 pt line spacing, justified,
    first-line indent of two characters via ``w:firstLineChars``); issuer and date are
    right-aligned. ``date`` is handled as in :func:`make_pdf`. Core properties (title,
    author, language ``zh-CN``, created/modified 2026-01-01) and zip entry timestamps are
    fixed so identical input gives identical bytes.
    """

    document = Document()

    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)

    # Document defaults: language (affects proofing / line breaking in Word).
    rpr_default = document.styles.element.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}")
    if rpr_default is not None:
        defaults_rpr = rpr_default.find(qn("w:rPr"))
        if defaults_rpr is None:
            defaults_rpr = rpr_default.makeelement(qn("w:rPr"), {})
            rpr_default.append(defaults_rpr)
        _set_lang(defaults_rpr)

    normal = document.styles["Normal"]
    normal.font.size = Pt(16)
    normal.font.color.rgb = RGBColor(0, 0, 0)
    _set_run_fonts(normal.element.get_or_add_rPr(), east_asia=_DOCX_EAST_ASIA_FONT, latin=_DOCX_LATIN_FONT)
    _set_lang(normal.element.get_or_add_rPr())
    normal_pf = normal.paragraph_format
    normal_pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    normal_pf.line_spacing = Pt(28)
    normal_pf.space_before = Pt(0)
    normal_pf.space_after = Pt(0)

    title_style = document.styles["Title"]
    title_style.font.size = Pt(22)
    title_style.font.bold = True
    title_style.font.color.rgb = RGBColor(0, 0, 0)
    size_cs = title_style.element.get_or_add_rPr().find(qn("w:szCs"))
    if size_cs is not None:
        size_cs.set(qn("w:val"), "44")
    _set_run_fonts(title_style.element.get_or_add_rPr(), east_asia=_DOCX_EAST_ASIA_FONT, latin=_DOCX_LATIN_FONT)
    title_ppr = title_style.element.get_or_add_pPr()
    border = title_ppr.find(qn("w:pBdr"))
    if border is not None:
        title_ppr.remove(border)
    title_pf = title_style.paragraph_format
    title_pf.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title_pf.line_spacing_rule = WD_LINE_SPACING.ONE_POINT_FIVE
    title_pf.space_before = Pt(0)
    title_pf.space_after = Pt(24)

    document.add_paragraph(title.strip(), style="Title")

    for text in paragraphs:
        if not text.strip():
            continue
        paragraph = document.add_paragraph(text.strip())
        paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        paragraph.paragraph_format.first_line_indent = Pt(32)
        # Word's native "首行缩进 2 字符": firstLineChars is in 1/100 character.
        ind = paragraph._p.get_or_add_pPr().find(qn("w:ind"))
        if ind is not None:
            ind.set(qn("w:firstLineChars"), "200")

    sign_lines = [line for line in (issuer.strip(), _format_date(date)) if line]
    if sign_lines:
        document.add_paragraph()
        for line in sign_lines:
            paragraph = document.add_paragraph(line)
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            paragraph.paragraph_format.right_indent = Pt(32)

    props = document.core_properties
    props.title = title.strip()
    props.subject = title.strip()
    props.author = issuer
    props.last_modified_by = issuer
    props.language = "zh-CN"
    props.comments = ""
    props.keywords = ""
    props.category = ""
    props.revision = 1
    props.created = FIXED_DATETIME
    props.modified = FIXED_DATETIME
    props.last_printed = FIXED_DATETIME

    buffer = io.BytesIO()
    document.save(buffer)
    return _normalise_zip(buffer.getvalue())


# --------------------------------------------------------------------------------------
# Fonts for Pillow
# --------------------------------------------------------------------------------------


class FontSpec(NamedTuple):
    """A font file plus the face index inside it (TrueType collections hold several)."""

    path: str
    index: int = 0


_CJK_FONT_CANDIDATES: tuple[str, ...] = (
    # Debian/Ubuntu: fonts-noto-cjk
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Medium.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    # fonts-wqy-microhei / fonts-wqy-zenhei
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    # Fedora / Arch layouts
    "/usr/share/fonts/google-noto-cjk/NotoSansCJK-Bold.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Bold.ttc",
    "/usr/share/fonts/wqy-microhei/wqy-microhei.ttc",
    # macOS
    "/System/Library/Fonts/PingFang.ttc",
    "/System/Library/Fonts/STHeiti Medium.ttc",
    "/Library/Fonts/Arial Unicode.ttf",
    # Windows
    "C:/Windows/Fonts/msyhbd.ttc",
    "C:/Windows/Fonts/msyh.ttc",
    "C:/Windows/Fonts/simhei.ttf",
)

#: The demo's own font, used when the machine has none (see ``demo/fonts/make-subset``).
BUNDLED_CJK_FONT = Path(__file__).resolve().parent / "fonts" / "WenQuanYiMicroHei-DemoSubset.ttf"

#: What ``load_demo`` says when :func:`find_cjk_font` finds nothing.
NO_CJK_FONT = (
    "No CJK font found (no system font, and demo/fonts/WenQuanYiMicroHei-DemoSubset.ttf is missing): "
    "the demo's images are drawn without their Chinese labels. Restore that file "
    "(git checkout demo/fonts) or install one: apt-get install fonts-wqy-microhei."
)

# Face names that mark the Simplified Chinese member of a collection (Noto CJK "… SC").
_SIMPLIFIED_MARKERS = re.compile(r"\b(SC|CN|GB|Hans)\b|简|WenQuanYi|PingFang SC|Microsoft YaHei")


def _pick_face(path: str) -> FontSpec | None:
    """Load ``path`` and pick the Simplified-Chinese face of a collection (else face 0)."""
    names: list[str] = []
    for index in range(32):
        try:
            face = ImageFont.truetype(path, 12, index=index)
        except OSError:
            break
        family = face.getname()[0] or ""
        names.append(family)
        if _SIMPLIFIED_MARKERS.search(family):
            return FontSpec(path, index)
        if not path.lower().endswith((".ttc", ".otc")):
            break
    return FontSpec(path, 0) if names else None


def _fc_list_fonts() -> list[str]:
    if shutil.which("fc-list") is None:
        return []
    try:
        result = subprocess.run(
            ["fc-list", ":lang=zh", "file"],
            capture_output=True,
            text=True,
            timeout=20,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return []
    paths = {line.split(":")[0].strip() for line in result.stdout.splitlines()}
    # Deterministic order; prefer sans/bold faces, which read better on pictures.
    return sorted(
        (p for p in paths if p),
        key=lambda p: (
            "sans" not in p.lower() and "hei" not in p.lower(),
            "bold" not in p.lower(),
            p,
        ),
    )


@functools.cache
def find_cjk_font() -> FontSpec | None:
    """Return a font able to draw Chinese for Pillow, or ``None`` if there is none.

    An installed system font comes first: known locations (so the choice is stable across
    machines with the same packages), then ``fc-list :lang=zh`` (on Debian ``fonts-noto-cjk``
    or ``fonts-wqy-microhei``). Without one, the subset bundled in ``demo/fonts/``, which has
    every character the demo draws (and nothing more). The result is cached for the process.
    """
    for path in (*_CJK_FONT_CANDIDATES, *_fc_list_fonts(), str(BUNDLED_CJK_FONT)):
        if Path(path).is_file():
            spec = _pick_face(path)
            if spec is not None:
                return spec
    return None


def _load_font(spec: FontSpec, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(spec.path, max(1, int(size)), index=spec.index)


# --------------------------------------------------------------------------------------
# Deterministic pseudo-randomness and text layout helpers
# --------------------------------------------------------------------------------------


class _Rng:
    """Tiny SHA-256 counter-mode generator: stable across Python versions and platforms."""

    def __init__(self, seed: str) -> None:
        self._seed = seed.encode("utf-8")
        self._counter = 0

    def random(self) -> float:
        digest = hashlib.sha256(self._seed + self._counter.to_bytes(8, "big")).digest()
        self._counter += 1
        return int.from_bytes(digest[:8], "big") / 2**64

    def uniform(self, low: float, high: float) -> float:
        return low + (high - low) * self.random()

    def randint(self, low: int, high: int) -> int:
        """Integer in ``[low, high]`` inclusive."""
        return low + min(high - low, int(self.random() * (high - low + 1)))

    def choice(self, items: Sequence):
        return items[self.randint(0, len(items) - 1)]


def _wrap(text: str, lines: int, measure) -> list[str]:
    """Break ``text`` into ``lines`` lines minimising the widest line."""
    tokens = _tokens(text)
    if lines <= 1 or len(tokens) < lines:
        return [text]
    candidates = [
        i for i in range(1, len(tokens)) if tokens[i][0] not in _NO_LINE_START and tokens[i - 1][-1] not in _NO_LINE_END
    ]
    has_spaces = any(token.isspace() for token in tokens)
    best: list[str] | None = None
    best_score = math.inf
    for cuts in combinations(candidates, lines - 1):
        bounds = (0, *cuts, len(tokens))
        parts = ["".join(tokens[a:b]).strip() for a, b in pairwise(bounds)]
        if any(not part for part in parts):
            continue
        score = max(measure(part) for part in parts)
        if has_spaces:
            # Text with spaces (mixed Chinese/Latin): prefer breaking at the spaces.
            for cut in cuts:
                if not (tokens[cut].isspace() or tokens[cut - 1].isspace()):
                    score *= 1.3
        if score < best_score:
            best, best_score = parts, score
    return best or [text]


def _fit_text(
    text: str,
    spec: FontSpec,
    *,
    max_width: float,
    max_height: float,
    max_size: float,
    max_lines: int = 3,
) -> tuple[ImageFont.FreeTypeFont, list[str], float]:
    """Choose font size and line breaks so ``text`` fits the box; returns (font, lines, lh)."""
    reference = 100
    ref_font = _load_font(spec, reference)

    def measure(part: str) -> float:
        return ref_font.getlength(part)

    line_factor = 1.3
    options: list[tuple[float, list[str]]] = []
    for count in range(1, max_lines + 1):
        lines = _wrap(text, count, measure)
        widest = max(measure(line) for line in lines) or 1.0
        size = min(
            max_size,
            max_width * reference / widest,
            max_height / (len(lines) * line_factor),
        )
        options.append((size, lines))
        if len(lines) < count:
            break
    best_size = max(size for size, _ in options)
    # Prefer fewer lines unless more lines allow a clearly larger size.
    size, lines = next(opt for opt in options if opt[0] >= best_size * 0.8)
    font = _load_font(spec, int(size))
    return font, lines, int(size) * line_factor


def _png_bytes(image: Image.Image, title: str) -> bytes:
    info = PngInfo()
    if title:
        info.add_itxt("Title", title, lang="zh-CN")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", pnginfo=info, compress_level=6)
    return buffer.getvalue()


def _with_alpha(colour: RGB, alpha: float) -> tuple[int, int, int, int]:
    return (*colour, max(0, min(255, int(alpha))))


# --------------------------------------------------------------------------------------
# Images
# --------------------------------------------------------------------------------------


def _gradient(size: tuple[int, int], start: RGB, end: RGB, angle: float) -> Image.Image:
    """Linear gradient from ``start`` to ``end`` along ``angle`` degrees.

    Computed at a quarter of the resolution and scaled up: a linear gradient loses nothing.
    """
    full_size = size
    width, height = max(1, size[0] // 4), max(1, size[1] // 4)
    size = (width, height)
    diagonal = int(math.hypot(width, height)) + 2
    mask = Image.linear_gradient("L").resize((diagonal, diagonal), Image.Resampling.BICUBIC)
    mask = mask.rotate(angle, resample=Image.Resampling.BICUBIC)
    left, top = (diagonal - width) // 2, (diagonal - height) // 2
    mask = mask.crop((left, top, left + width, top + height))
    small = Image.composite(Image.new("RGB", size, end), Image.new("RGB", size, start), mask)
    return small.resize(full_size, Image.Resampling.BICUBIC)


def make_image(
    label: str,
    *,
    palette: str = "blue",
    width: int = 1200,
    height: int = 675,
    seed: str = "",
) -> bytes:
    """Draw a flat-design PNG illustration with ``label`` in the centre; return PNG bytes.

    The composition (gradient direction, soft circles, rings, waves, dot grid) is derived
    deterministically from ``seed`` (or ``label`` when ``seed`` is empty); colours come from
    ``palette`` (one of :data:`PALETTES`: blue, red, green, orange, grey).

    The label is drawn with the CJK font found by :func:`find_cjk_font` (a system font, else
    the subset bundled in ``demo/fonts/``). Should there be none, the picture is drawn without
    any text instead of failing; it is decorative and the CMS alt text carries the meaning.
    The label is also stored as PNG ``iTXt`` "Title" metadata.
    """
    if width <= 0 or height <= 0:
        raise ValueError("width and height must be positive")
    colours = _palette(palette)
    label = label.strip()
    rng = _Rng(f"demo-image:{seed or label}")

    scale = 2  # supersampling for smooth edges
    w, h = width * scale, height * scale
    unit = min(w, h)

    image = _gradient((w, h), colours["dark"], colours["mid"], rng.uniform(-70, -20))
    image = image.convert("RGBA")

    # Soft large circles.
    soft = Image.new("RGBA", (w, h), (0, 0, 0, 0))
    draw = ImageDraw.Draw(soft)
    for _ in range(rng.randint(4, 6)):
        cx, cy = rng.uniform(-0.1, 1.1) * w, rng.uniform(-0.2, 1.0) * h
        radius = rng.uniform(0.18, 0.55) * unit
        colour = rng.choice((colours["light"], colours["mid"], colours["light"]))
        draw.ellipse(
            (cx - radius, cy - radius, cx + radius, cy + radius),
            fill=_with_alpha(colour, rng.uniform(28, 62)),
        )
    soft = soft.filter(ImageFilter.GaussianBlur(unit * 0.004))
    image = Image.alpha_composite(image, soft)

    # Thin accent rings.
    rings = Image.new("RGBA", (w, h), (0, 0, 0, 0))
    draw = ImageDraw.Draw(rings)
    for _ in range(2):
        cx, cy = rng.uniform(0.05, 0.95) * w, rng.uniform(0.0, 0.6) * h
        radius = rng.uniform(0.12, 0.3) * unit
        draw.ellipse(
            (cx - radius, cy - radius, cx + radius, cy + radius),
            outline=_with_alpha(colours["light"], rng.uniform(110, 160)),
            width=max(2, int(unit * 0.006)),
        )
    image = Image.alpha_composite(image, rings)

    # Layered waves along the bottom edge.
    waves = Image.new("RGBA", (w, h), (0, 0, 0, 0))
    draw = ImageDraw.Draw(waves)
    for layer in range(3):
        base = h * (0.70 + 0.08 * layer + rng.uniform(-0.03, 0.03))
        amplitude = h * rng.uniform(0.025, 0.07)
        frequency = rng.uniform(0.8, 1.8) * 2 * math.pi / w
        phase = rng.uniform(0, 2 * math.pi)
        steps = 96
        points = [
            (w * i / steps, base + amplitude * math.sin(frequency * w * i / steps + phase)) for i in range(steps + 1)
        ]
        points += [(w, h), (0, h)]
        colour = colours["light"] if layer < 2 else colours["dark"]
        draw.polygon(points, fill=_with_alpha(colour, 40 + 22 * layer))
    image = Image.alpha_composite(image, waves)

    # Dot grid in one corner.
    dots = Image.new("RGBA", (w, h), (0, 0, 0, 0))
    draw = ImageDraw.Draw(dots)
    corner_x, corner_y = rng.choice((0, 1)), rng.choice((0, 1))
    step = unit * 0.035
    dot = unit * 0.006
    cols, rows = 7, 4
    x0 = unit * 0.06 if corner_x == 0 else w - unit * 0.06 - step * (cols - 1)
    y0 = unit * 0.07 if corner_y == 0 else h - unit * 0.07 - step * (rows - 1)
    for row in range(rows):
        for col in range(cols):
            x, y = x0 + col * step, y0 + row * step
            draw.ellipse((x - dot, y - dot, x + dot, y + dot), fill=_with_alpha(colours["accent"], 210))
    image = Image.alpha_composite(image, dots)

    font_spec = find_cjk_font()
    if label and font_spec is not None:
        font, lines, line_height = _fit_text(
            label,
            font_spec,
            max_width=w * 0.82,
            max_height=h * 0.5,
            max_size=h * 0.17,
        )
        block = line_height * len(lines)
        top = (h - block) / 2 - line_height * 0.1
        centres = [top + line_height * (i + 0.5) for i in range(len(lines))]

        shadow = Image.new("RGBA", (w, h), (0, 0, 0, 0))
        draw = ImageDraw.Draw(shadow)
        offset = unit * 0.006
        for line, cy in zip(lines, centres, strict=True):
            draw.text(
                (w / 2, cy + offset),
                line,
                font=font,
                anchor="mm",
                fill=_with_alpha(colours["dark"], 190),
            )
        shadow = shadow.filter(ImageFilter.GaussianBlur(unit * 0.012))
        image = Image.alpha_composite(image, shadow)

        draw = ImageDraw.Draw(image)
        for line, cy in zip(lines, centres, strict=True):
            draw.text((w / 2, cy), line, font=font, anchor="mm", fill=(255, 255, 255, 255))

        # Short accent bar under the text.
        bar_w, bar_h = unit * 0.12, max(4, unit * 0.012)
        bar_y = top + block + line_height * 0.12
        draw.rounded_rectangle(
            (w / 2 - bar_w / 2, bar_y, w / 2 + bar_w / 2, bar_y + bar_h),
            radius=bar_h / 2,
            fill=_with_alpha(colours["accent"], 255),
        )

    result = image.resize((width, height), Image.Resampling.LANCZOS).convert("RGB")
    return _png_bytes(result, label)


def make_logo(text: str, *, width: int = 480, height: int = 96, palette: str = "blue") -> bytes:
    """Draw a site mark: round emblem (stylised government building) plus ``text``.

    Transparent RGBA PNG meant for a light header background. Same fonts as
    :func:`make_image`: without any CJK font only the emblem is drawn.
    """
    if width <= 0 or height <= 0:
        raise ValueError("width and height must be positive")
    colours = _palette(palette)
    text = text.strip()

    scale = 4
    w, h = width * scale, height * scale
    image = Image.new("RGBA", (w, h), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)

    # Emblem: filled circle with an accent ring and a white building pictogram.
    diameter = h * 0.86
    margin = (h - diameter) / 2
    ex0, ey0 = margin, margin
    cx, cy = ex0 + diameter / 2, ey0 + diameter / 2
    draw.ellipse((ex0, ey0, ex0 + diameter, ey0 + diameter), fill=_with_alpha(colours["mid"], 255))
    ring = diameter * 0.06
    draw.ellipse(
        (ex0 + ring, ey0 + ring, ex0 + diameter - ring, ey0 + diameter - ring),
        outline=_with_alpha(colours["accent"], 255),
        width=max(1, int(diameter * 0.025)),
    )
    white = (255, 255, 255, 255)
    bw = diameter * 0.46  # building width
    left, right = cx - bw / 2, cx + bw / 2
    roof_top, roof_base = cy - diameter * 0.24, cy - diameter * 0.09
    draw.polygon([(cx, roof_top), (right + bw * 0.06, roof_base), (left - bw * 0.06, roof_base)], fill=white)
    column_top, column_bottom = roof_base + diameter * 0.035, cy + diameter * 0.15
    column_w = bw * 0.12
    for i in range(4):
        x = left + bw * 0.06 + i * (bw * 0.88 - column_w) / 3
        draw.rectangle((x, column_top, x + column_w, column_bottom), fill=white)
    draw.rectangle(
        (
            left - bw * 0.06,
            column_bottom + diameter * 0.025,
            right + bw * 0.06,
            column_bottom + diameter * 0.075,
        ),
        fill=white,
    )

    font_spec = find_cjk_font()
    if text and font_spec is not None:
        text_left = ex0 + diameter + h * 0.2
        available = w - text_left - h * 0.1
        if available > h * 0.5:
            font, lines, line_height = _fit_text(
                text,
                font_spec,
                max_width=available,
                max_height=h * 0.8,
                max_size=h * 0.42,
                max_lines=2,
            )
            top = (h - line_height * len(lines)) / 2
            for i, line in enumerate(lines):
                draw.text(
                    (text_left, top + line_height * (i + 0.5)),
                    line,
                    font=font,
                    anchor="lm",
                    fill=_with_alpha(colours["ink"], 255),
                )

    result = image.resize((width, height), Image.Resampling.LANCZOS)
    return _png_bytes(result, text)
