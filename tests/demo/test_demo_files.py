"""Tests for demo/files.py: generated demo PDFs, DOCX files and PNG images.

Plain functions, no database. PDF text extraction uses pypdf (a dev requirement).
"""

from __future__ import annotations

import io
import re
import time
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PIL import Image

from demo import files
from demo.fonts.labels import drawn_characters
from demo.sites import GOV_MARK as DEMO_GOV_MARK
from tests.helpers import cmap_characters

TITLE = "关于2026年元旦假期办税服务安排的通知"
PARAGRAPHS = [
    "为进一步优化纳税服务，方便纳税人、缴费人合理安排办税时间，现将2026年元旦假期期间办税服务有关事项通知如下。",
    "一、2026年1月1日至1月3日放假调休，共3天。假期期间，全省各级税务机关办税服务厅暂停"
    "对外办公，1月4日（星期日）正常上班。",
    "二、假期期间，电子税务局、自然人电子税务局（Web端及个人所得税App）等线上渠道正常运行，"
    "纳税人可通过上述渠道办理发票开具、申报缴税等业务。",
    "三、如有疑问，可拨打12366纳税缴费服务热线咨询。特此通知。",
]
ISSUER = "国家税务总局示例省税务局"
DATE = "2026-11-18"
DATE_CN = "2026年11月18日"


def _squash(text: str) -> str:
    """Remove all whitespace (PDF extraction inserts line breaks inside paragraphs)."""
    return re.sub(r"\s+", "", text)


def _later_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    """Move the wall clock one day ahead, so any leaked timestamp changes the output."""
    real_time = time.time
    monkeypatch.setattr(time, "time", lambda: real_time() + 86400)


# --- PDF ---------------------------------------------------------------------------------


def test_pdf_is_a_pdf_with_the_cid_font() -> None:
    data = files.make_pdf(TITLE, PARAGRAPHS, date=DATE)
    assert data.startswith(b"%PDF-")
    assert data.rstrip().endswith(b"%%EOF")
    assert b"STSong-Light" in data
    assert b"Helvetica" not in data  # no unused Latin font dragged in


def test_pdf_is_reproducible(monkeypatch: pytest.MonkeyPatch) -> None:
    first = files.make_pdf(TITLE, PARAGRAPHS, date=DATE)
    _later_clock(monkeypatch)
    assert files.make_pdf(TITLE, PARAGRAPHS, date=DATE) == first
    assert files.make_pdf(TITLE + "（修订）", PARAGRAPHS, date=DATE) != first


def test_pdf_text_and_metadata() -> None:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(files.make_pdf(TITLE, PARAGRAPHS, date=DATE)))
    assert len(reader.pages) == 1
    text = reader.pages[0].extract_text()
    flat = _squash(text)
    assert TITLE in flat
    for paragraph in PARAGRAPHS:
        assert _squash(paragraph) in flat
    assert ISSUER in flat
    assert DATE_CN in flat
    assert reader.metadata.title == TITLE
    assert reader.metadata.author == ISSUER
    assert reader.trailer["/Root"]["/Lang"] == "zh-CN"
    # 避头尾: no line may start with closing punctuation such as "，" or "。".
    for line in text.splitlines():
        line = line.strip()
        if line:
            assert line[0] not in "，。、；：？！）》", f"line starts with punctuation: {line!r}"


def test_pdf_long_document_spans_pages_without_losing_text() -> None:
    from pypdf import PdfReader

    paragraphs = [f"第{i}条　{PARAGRAPHS[1]}" for i in range(1, 41)]
    reader = PdfReader(io.BytesIO(files.make_pdf(TITLE, paragraphs, issuer="", date="")))
    assert len(reader.pages) > 1
    pages = [page.extract_text() for page in reader.pages]
    # Page numbers are drawn last on each page; drop them before joining the pages.
    flat = re.sub(r"—\d+—", "", _squash("".join(pages)))
    for paragraph in paragraphs:
        assert _squash(paragraph) in flat
    assert pages[1].strip().endswith("— 2 —")


# --- DOCX --------------------------------------------------------------------------------


def test_docx_reopens_with_content_and_properties() -> None:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn

    data = files.make_docx(TITLE, PARAGRAPHS, date=DATE)
    assert zipfile.is_zipfile(io.BytesIO(data))
    document = Document(io.BytesIO(data))
    texts = [p.text for p in document.paragraphs if p.text]
    assert texts[0] == TITLE
    assert document.paragraphs[0].style.name == "Title"
    assert texts[1:5] == PARAGRAPHS
    assert texts[5:] == [ISSUER, DATE_CN]
    signature = [p for p in document.paragraphs if p.text in (ISSUER, DATE_CN)]
    assert all(p.alignment == WD_ALIGN_PARAGRAPH.RIGHT for p in signature)

    props = document.core_properties
    assert props.title == TITLE
    assert props.author == ISSUER
    assert props.language == "zh-CN"
    assert props.created == props.modified == datetime(2026, 1, 1, tzinfo=UTC)

    rfonts = document.styles["Normal"].element.rPr.find(qn("w:rFonts"))
    assert rfonts.get(qn("w:eastAsia")) == "宋体"


def test_docx_is_reproducible(monkeypatch: pytest.MonkeyPatch) -> None:
    first = files.make_docx(TITLE, PARAGRAPHS, date=DATE)
    _later_clock(monkeypatch)
    second = files.make_docx(TITLE, PARAGRAPHS, date=DATE)
    assert second == first
    with zipfile.ZipFile(io.BytesIO(second)) as archive:
        assert {info.date_time for info in archive.infolist()} == {(2026, 1, 1, 0, 0, 0)}


# --- PNG ---------------------------------------------------------------------------------


def _open_png(data: bytes) -> Image.Image:
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    image = Image.open(io.BytesIO(data))
    image.load()
    assert image.format == "PNG"
    return image


def _mean_rgb(image: Image.Image) -> tuple[float, float, float]:
    small = image.convert("RGB").resize((32, 18))
    pixels = [small.getpixel((x, y)) for y in range(small.height) for x in range(small.width)]
    return tuple(sum(p[i] for p in pixels) / len(pixels) for i in range(3))  # type: ignore[return-value]


def _white_pixels_in_centre(image: Image.Image) -> int:
    """Near-white pixels in the middle third of the picture (where the label goes)."""
    w, h = image.size
    centre = image.convert("L").crop((w // 3, h // 3, 2 * w // 3, 2 * h // 3))
    return sum(1 for y in range(centre.height) for x in range(centre.width) if centre.getpixel((x, y)) > 235)


def test_image_size_and_reproducible() -> None:
    data = files.make_image("办税服务厅", palette="blue")
    image = _open_png(data)
    assert image.size == (1200, 675)
    assert image.mode == "RGB"
    assert image.text.get("Title") == "办税服务厅"
    assert files.make_image("办税服务厅", palette="blue") == data

    custom = _open_png(files.make_image("纳税信用", palette="green", width=480, height=320))
    assert custom.size == (480, 320)


def test_image_depends_on_seed_and_palette() -> None:
    base = files.make_image("政务公开", width=320, height=180, seed="a")
    assert files.make_image("政务公开", width=320, height=180, seed="b") != base
    red, _, blue = _mean_rgb(_open_png(files.make_image("x", palette="red", width=320, height=180)))
    assert red > blue + 60
    red, _, blue = _mean_rgb(_open_png(files.make_image("x", palette="blue", width=320, height=180)))
    assert blue > red + 60
    with pytest.raises(ValueError, match="palette"):
        files.make_image("x", palette="purple")


def test_image_without_cjk_font_still_renders(monkeypatch: pytest.MonkeyPatch) -> None:
    font = files.find_cjk_font()
    with_font = files.make_image("办税服务厅", width=320, height=180)
    monkeypatch.setattr(files, "find_cjk_font", lambda: None)
    without_font = files.make_image("办税服务厅", width=320, height=180)
    assert _open_png(without_font).size == (320, 180)
    assert _open_png(files.make_logo("示例省税务局")).size == (480, 96)
    assert _white_pixels_in_centre(_open_png(without_font)) == 0
    if font is not None:
        # With a CJK font installed the label is really drawn (white, in the centre).
        assert _white_pixels_in_centre(_open_png(with_font)) > 300


def test_logo() -> None:
    data = files.make_logo("国家税务总局示例省税务局")
    image = _open_png(data)
    assert image.size == (480, 96)
    assert image.mode == "RGBA"
    assert image.getpixel((0, 0))[3] == 0  # transparent background
    assert files.make_logo("国家税务总局示例省税务局") == data


# ---- the bundled CJK font -------------------------------------------------------------------
@pytest.fixture
def no_system_font(monkeypatch: pytest.MonkeyPatch):
    """A fresh machine: no CJK font in the known places and none that fc-list knows."""
    monkeypatch.setattr(files, "_CJK_FONT_CANDIDATES", ())
    monkeypatch.setattr(files, "_fc_list_fonts", lambda: [])
    files.find_cjk_font.cache_clear()
    yield
    files.find_cjk_font.cache_clear()


def _drawn_pixels(image: Image.Image, box: tuple[int, int, int, int]) -> int:
    alpha = image.getchannel("A").crop(box)
    return sum(1 for y in range(alpha.height) for x in range(alpha.width) if alpha.getpixel((x, y)) > 64)


def test_without_a_system_font_the_bundled_subset_draws_the_labels(no_system_font) -> None:
    spec = files.find_cjk_font()
    assert spec is not None and Path(spec.path) == files.BUNDLED_CJK_FONT
    # the 党政机关网站标识 as the demo draws it: the emblem on the left, the label right of it
    logo = _open_png(files.make_logo(DEMO_GOV_MARK["label"], width=160, height=64, palette="red"))
    assert _drawn_pixels(logo, (80, 0, 160, 64)) > 300
    assert _white_pixels_in_centre(_open_png(files.make_image("办税服务厅", width=320, height=180))) > 300


def test_an_installed_system_font_comes_before_the_bundled_one(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(files, "_CJK_FONT_CANDIDATES", (str(files.BUNDLED_CJK_FONT.with_name("System.ttf")),))
    monkeypatch.setattr(files, "_fc_list_fonts", lambda: [str(files.BUNDLED_CJK_FONT)])
    monkeypatch.setattr(files.Path, "is_file", lambda path: True)
    monkeypatch.setattr(files, "_pick_face", lambda path: files.FontSpec(path))
    files.find_cjk_font.cache_clear()
    try:
        assert files.find_cjk_font() == files.FontSpec(str(files.BUNDLED_CJK_FONT.with_name("System.ttf")))
    finally:
        files.find_cjk_font.cache_clear()


def test_the_bundled_font_covers_every_character_the_demo_draws() -> None:
    characters = drawn_characters()
    assert {"党", "政", "机", "关", "税", "周"} <= characters  # the mark, the covers, a guest's name
    missing = sorted(characters - cmap_characters(files.BUNDLED_CJK_FONT))
    assert not missing, f"run demo/fonts/make-subset again: {''.join(missing)}"
    assert files.BUNDLED_CJK_FONT.stat().st_size < 1_000_000
    assert (files.BUNDLED_CJK_FONT.parent / "LICENSE-Apache-2.0.txt").is_file()


def test_the_bundled_font_has_no_characters_the_demo_does_not_draw() -> None:
    """The subset is made from the labels: a stale one (left from old labels) is noticed too."""
    assert cmap_characters(files.BUNDLED_CJK_FONT) - drawn_characters() <= set(" \u00a0")
