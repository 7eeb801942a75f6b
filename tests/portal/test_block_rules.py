"""Accessibility rules enforced by the shared body blocks when an editor saves a page."""

import pytest
from django.core.exceptions import ValidationError
from wagtail.blocks import StreamBlockValidationError, StructBlockValidationError

from home.models import ArticlePage, StandardPage
from portal.blocks import AccessibleRichTextBlock, AccessibleTableBlock, BodyBlock, FigureBlock
from portal.models import PortalImage


def body(*items):
    """A BodyBlock value from ``("heading", "h2")`` / ``("paragraph", "<p>…</p>")`` pairs."""
    data = []
    for block_type, value in items:
        if block_type == "heading":
            value = {"text": f"标题 {value}", "level": value}
        data.append({"type": block_type, "value": value})
    return BodyBlock().to_python(data)


def clean_body(*items):
    return BodyBlock().clean(body(*items))


def block_messages(error: StreamBlockValidationError) -> dict[int, list[str]]:
    return {index: list(e.messages) for index, e in error.block_errors.items()}


def headings(*levels):
    return [("heading", level) for level in levels]


# --- headings must not skip levels -------------------------------------------------------


def test_heading_that_skips_a_level_is_rejected():
    with pytest.raises(StreamBlockValidationError) as caught:
        clean_body(*headings("h2"), ("paragraph", "<p>正文</p>"), *headings("h4"))
    messages = block_messages(caught.value)
    assert list(messages) == [2]  # only the h4, not the h2 or the paragraph
    assert messages[2] == ["标题级别不能跳级：上一个标题是 h2，这里最多用到 h3（现在是 h4）。"]


def test_first_heading_must_be_h2():
    with pytest.raises(StreamBlockValidationError) as caught:
        clean_body(("paragraph", "<p>导语</p>"), *headings("h3", "h4"))
    messages = block_messages(caught.value)
    # the h3 is the offender; the h4 under it is one level deeper, which is fine
    assert list(messages) == [1]
    assert "第一个标题应为 h2" in messages[1][0]
    assert "h3" in messages[1][0]


def test_each_skip_is_reported_at_its_own_index():
    with pytest.raises(StreamBlockValidationError) as caught:
        clean_body(*headings("h2", "h3", "h2", "h4", "h3", "h2", "h4"))
    messages = block_messages(caught.value)
    assert sorted(messages) == [3, 6]


def test_error_after_h3_lists_every_allowed_level():
    with pytest.raises(StreamBlockValidationError) as caught:
        # h2 h3 h4 is fine; then back to h2 and straight to h4 is a skip
        clean_body(*headings("h2", "h3", "h4", "h3", "h2", "h4"))
    assert block_messages(caught.value) == {5: ["标题级别不能跳级：上一个标题是 h2，这里最多用到 h3（现在是 h4）。"]}


@pytest.mark.parametrize(
    "levels",
    [
        ("h2", "h3", "h3", "h2", "h3", "h4"),
        ("h2", "h3", "h4", "h2"),
        ("h2", "h3", "h4", "h4", "h3", "h4", "h2", "h2"),
        ("h2",),
        (),
    ],
)
def test_headings_that_go_down_one_level_at_a_time_are_accepted(levels):
    items = [("paragraph", "<p>导语</p>")]
    for level in levels:
        items += [("heading", level), ("paragraph", "<p>内容</p>")]
    cleaned = clean_body(*items)
    assert [child.block_type for child in cleaned] == [block_type for block_type, _ in items]


def test_heading_errors_are_reported_alongside_other_block_errors():
    with pytest.raises(StreamBlockValidationError) as caught:
        clean_body(*headings("h2", "h4"), ("paragraph", '<p>申请表请<a href="/form/">点击这里</a>。</p>'))
    messages = block_messages(caught.value)
    assert sorted(messages) == [1, 2]
    assert "标题级别不能跳级" in messages[1][0]
    assert "点击这里" in messages[2][0]


# --- link text must describe the target --------------------------------------------------


def clean_paragraph(html):
    block = BodyBlock().child_blocks["paragraph"]
    return block.clean(block.to_python(html))


VAGUE = [
    "点击这里",
    "点击此处",
    "这里",
    "此处",
    "点此",
    "详情",
    "更多",
    "链接",
    "click here",
    "here",
    "more",
    "read more",
    "link",
]


@pytest.mark.parametrize("text", VAGUE)
def test_vague_link_text_is_rejected(text):
    with pytest.raises(ValidationError) as caught:
        clean_paragraph(f'<p>办事指南请见<a href="/guides/">{text}</a>。</p>')
    assert caught.value.messages == [f"链接文字“{text}”无法说明链接去向，请改为描述目标的文字（如“下载申请表”）。"]


@pytest.mark.parametrize(
    "text",
    ["更多>>", "【详情】", "Click Here!", " READ   MORE… ", "这里。", "更多 »", "<b>点击</b>这里", "……", ">>"],
)
def test_vague_link_text_is_rejected_regardless_of_case_spacing_and_punctuation(text):
    with pytest.raises(ValidationError) as caught:
        clean_paragraph(f'<p><a linktype="page" id="3">{text}</a></p>')
    assert "无法说明链接去向" in caught.value.messages[0]


@pytest.mark.parametrize("inner", ["", "   ", "<b></b>"])
def test_empty_link_is_rejected(inner):
    with pytest.raises(ValidationError) as caught:
        clean_paragraph(f'<p>附件：<a href="/files/form.pdf">{inner}</a></p>')
    assert caught.value.messages == ["有一个链接没有文字，读屏软件无法朗读它的去向，请填写描述目标的链接文字。"]


def test_every_vague_link_in_a_paragraph_is_named():
    with pytest.raises(ValidationError) as caught:
        clean_paragraph('<p><a href="/a/">下载申请表</a>，<a href="/b/">更多</a>，<a href="/c/">here</a></p>')
    assert len(caught.value.messages) == 2
    assert "“更多”" in caught.value.messages[0]
    assert "“here”" in caught.value.messages[1]


@pytest.mark.parametrize(
    "html",
    [
        '<p>请<a href="/forms/apply.pdf">下载申请表</a>后填写。</p>',
        '<p>详见<a linktype="page" id="3">更多办事指南</a>。</p>',  # contains a vague word, but says more
        '<p><a href="https://www.gov.cn/">中国政府网</a>，<a href="mailto:a@b.example">a@b.example</a></p>',
        "<p>这里没有链接，点击这里也不是链接。</p>",
        '<p><a linktype="document" id="1">2024 年部门预算（PDF）</a></p>',
    ],
)
def test_descriptive_links_are_accepted(html):
    assert clean_paragraph(html).source == html


def test_paragraph_block_keeps_its_name_features_and_migration_path():
    paragraph = BodyBlock().child_blocks["paragraph"]
    assert isinstance(paragraph, AccessibleRichTextBlock)
    assert paragraph.name == "paragraph"
    assert paragraph.features == ["bold", "italic", "ol", "ul", "link", "document-link", "superscript", "subscript"]
    assert paragraph.meta.template == "blocks/paragraph_block.html"
    path, _args, kwargs = paragraph.deconstruct()
    assert path == "wagtail.blocks.RichTextBlock"  # existing migrations stay valid
    assert kwargs["label"] == "段落"


# --- tables need a caption and a header row ----------------------------------------------


def table(caption="2024 年办件统计", header_choice="row"):
    # Wagtail's TableBlock derives first_row_is_table_header / first_col_is_header from table_header_choice
    return {
        "data": [["事项", "办件量"], ["户籍", "120"], ["社保", "98"]],
        "first_row_is_table_header": header_choice in ("row", "both"),
        "first_col_is_header": header_choice in ("column", "both"),
        "table_header_choice": header_choice,
        "table_caption": caption,
    }


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (table(caption=""), "请填写表格标题（caption），读屏软件会朗读它。"),
        (table(caption="   "), "请填写表格标题（caption），读屏软件会朗读它。"),
        (table(header_choice="column"), "请勾选“首行为表头”，以便读屏软件关联表头与单元格。"),
        (table(header_choice="neither"), "请勾选“首行为表头”，以便读屏软件关联表头与单元格。"),
    ],
)
def test_table_without_caption_or_header_row_is_rejected(value, message):
    with pytest.raises(ValidationError) as caught:
        AccessibleTableBlock().clean(value)
    assert caught.value.messages == [message]


@pytest.mark.parametrize("header_choice", ["row", "both"])
def test_table_with_caption_and_header_row_is_accepted(header_choice):
    cleaned = AccessibleTableBlock().clean(table(header_choice=header_choice))
    assert cleaned["table_caption"] == "2024 年办件统计"
    assert cleaned["first_row_is_table_header"] is True


def test_table_error_is_reported_at_its_index_in_the_body():
    with pytest.raises(StreamBlockValidationError) as caught:
        clean_body(*headings("h2"), ("table", table(caption="")))
    assert list(block_messages(caught.value)) == [1]


# --- images need alt text unless decorative ----------------------------------------------


def figure(image, alt_text="", decorative=False):
    return FigureBlock().to_python(
        {"image": {"image": image.pk, "alt_text": alt_text, "decorative": decorative}, "caption": ""}
    )


@pytest.fixture
def image(db):
    image = PortalImage.objects.first()
    assert image is not None, "demo content has no images"
    return image


def test_image_without_alt_text_and_not_decorative_is_rejected(image):
    with pytest.raises(StructBlockValidationError) as caught:
        FigureBlock().clean(figure(image))
    image_error = caught.value.block_errors["image"]
    assert isinstance(image_error, StructBlockValidationError)
    assert list(image_error.block_errors) == ["alt_text"]


@pytest.mark.parametrize(("alt_text", "decorative"), [("办事大厅窗口", False), ("", True)])
def test_image_with_alt_text_or_marked_decorative_is_accepted(image, alt_text, decorative):
    cleaned = FigureBlock().clean(figure(image, alt_text, decorative))
    assert cleaned["image"].pk == image.pk
    assert cleaned["image"].contextual_alt_text == ("" if decorative else alt_text)


# --- the demo content follows the rules --------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("model", [ArticlePage, StandardPage])
def test_demo_page_bodies_pass_the_body_rules(model):
    pages = list(model.objects.live().order_by("path"))
    assert pages, f"demo content has no {model.__name__}"
    block = BodyBlock()
    problems = []
    for page in pages:
        try:
            block.clean(page.body)
        except ValidationError as e:
            details = block_messages(e) if isinstance(e, StreamBlockValidationError) else e.messages
            problems.append(f"{page.title} ({page.url_path}): {details}")
    assert not problems, "\n".join(problems)
