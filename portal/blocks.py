"""The one StreamField block set shared by every page body.

What a block gives the search index (``get_searchable_content``) is also what a result's
snippet is cut from (``search.index.searchable_text``), so each block gives only the text a
visitor reads (or hears from a screen reader) on the page: a paragraph's text, a heading's
text (not its level), a figure's alt text and caption, a table's caption and cells, a
download's link text. Never a block's name, a choice's value or label, an image's id.
"""

import copy
import unicodedata

from bs4 import BeautifulSoup
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail import blocks
from wagtail.contrib.table_block.blocks import TableBlock
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageBlock
from wagtail_localize.segments import StringSegmentValue
from wagtail_localize.strings import StringValue

RICH_TEXT_FEATURES = ["bold", "italic", "ol", "ul", "link", "document-link", "superscript", "subscript"]


# Link texts that say nothing about where the link goes ("click here", "more" ...). They are
# compared after removing whitespace, punctuation and symbols, case-insensitively.
VAGUE_LINK_TEXTS = [
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


def _normalise_link_text(text: str) -> str:
    """Drop whitespace, punctuation and symbols (ASCII and full-width alike) and case-fold."""
    return "".join(ch for ch in text if unicodedata.category(ch)[0] not in "PSZC").casefold()


_VAGUE_LINK_KEYS = frozenset(_normalise_link_text(text) for text in VAGUE_LINK_TEXTS)


def vague_link_texts(html: str) -> list[str]:
    """The visible texts of the links in ``html`` that do not describe their target ("" for an empty link)."""
    found = []
    for link in BeautifulSoup(html or "", "html.parser").find_all("a"):
        text = " ".join(link.get_text(" ").split())
        key = _normalise_link_text(text)
        if not key or key in _VAGUE_LINK_KEYS:
            found.append(text)
    return found


def _text(value) -> list[str]:
    """A block's text for ``get_searchable_content``: a list of one, or none when empty."""
    text = str(value or "").strip()
    return [text] if text else []


class AccessibleRichTextBlock(blocks.RichTextBlock):
    """Rich text whose links must say where they go: "点击这里", "更多", "click here" or empty links are rejected."""

    def clean(self, value):
        value = super().clean(value)
        messages = []
        for text in vague_link_texts(getattr(value, "source", value)):
            if text:
                messages.append(
                    _("链接文字“%(text)s”无法说明链接去向，请改为描述目标的文字（如“下载申请表”）。") % {"text": text}
                )
            else:
                messages.append(_("有一个链接没有文字，读屏软件无法朗读它的去向，请填写描述目标的链接文字。"))
        if messages:
            raise ValidationError(messages)
        return value

    def deconstruct(self):
        # Migrations only need the stored shape, which is a plain RichTextBlock's; keeping that path means
        # existing migrations stay valid and no migration references this class.
        path, args, kwargs = super().deconstruct()
        return "wagtail.blocks.RichTextBlock", args, kwargs


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("标题文字"), max_length=120)
    level = blocks.ChoiceBlock(
        label=_("标题级别"),
        choices=[("h2", _("二级标题 h2")), ("h3", _("三级标题 h3")), ("h4", _("四级标题 h4"))],
        default="h2",
        help_text=_("页面标题已是 h1。读屏软件用户按标题级别浏览页面，请按层级使用，不要跳级（h2 之下用 h3）。"),
    )

    class Meta:
        icon = "title"
        label = _("小标题")
        template = "blocks/heading_block.html"

    def get_searchable_content(self, value):
        # The text only: Wagtail's ChoiceBlock would add the level's label ("二级标题 h2") to every heading.
        return _text(value.get("text"))


class FigureBlock(blocks.StructBlock):
    """An image with required alt text (or explicitly decorative) and an optional caption."""

    image = ImageBlock(label=_("图片"))
    caption = blocks.CharBlock(label=_("图片说明"), required=False, max_length=200)

    class Meta:
        icon = "image"
        label = _("图片")
        template = "blocks/figure_block.html"


class AccessibleTableBlock(TableBlock):
    """Tables must have a caption and a header row so screen readers can announce them."""

    def __init__(self, **kwargs):
        kwargs.setdefault("table_options", {"startRows": 3, "startCols": 3, "contextMenu": True})
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        if value and not (value.get("table_caption") or "").strip():
            raise ValidationError(_("请填写表格标题（caption），读屏软件会朗读它。"))
        if value and not value.get("first_row_is_table_header"):
            raise ValidationError(_("请勾选“首行为表头”，以便读屏软件关联表头与单元格。"))
        return value

    def get_searchable_content(self, value):
        """The caption (Wagtail's table block leaves it out), then the cells."""
        return _text((value or {}).get("table_caption")) + super().get_searchable_content(value)

    # wagtail-localize: the caption and every cell are strings to translate
    def get_translatable_segments(self, value):
        if not value:
            return []
        cells = [("caption", value.get("table_caption") or "")] + [
            (f"{row}.{column}", cell or "")
            for row, cells in enumerate(value.get("data") or [])
            for column, cell in enumerate(cells)
        ]
        return [
            StringSegmentValue(path, StringValue.from_plaintext(str(text))) for path, text in cells if str(text).strip()
        ]

    def restore_translated_segments(self, value, segments):
        value = copy.deepcopy(value)
        for segment in segments:
            text = segment.render_text()
            if segment.path == "caption":
                value["table_caption"] = text
            else:
                row, column = (int(part) for part in segment.path.split("."))
                value["data"][row][column] = text
        return value

    class Meta:
        icon = "table"
        label = pgettext_lazy("StreamField block", "表格")
        template = "blocks/table_block.html"


class DocumentLinkBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("文档"))
    title = blocks.CharBlock(label=_("链接文字"), required=False, help_text=_("留空则用文档标题。"))

    class Meta:
        icon = "doc-full"
        label = _("文档下载")
        template = "blocks/document_block.html"


class BodyBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = AccessibleRichTextBlock(
        label=_("段落"), features=RICH_TEXT_FEATURES, template="blocks/paragraph_block.html"
    )
    image = FigureBlock()
    table = AccessibleTableBlock()
    document = DocumentLinkBlock()

    class Meta:
        block_counts = {}

    def clean(self, value):
        """Besides each block's own rules, headings must not skip levels (the page title is h1)."""
        heading_errors = self.heading_level_errors(value)
        try:
            cleaned = super().clean(value)
        except blocks.StreamBlockValidationError as e:
            if not heading_errors:
                raise
            # Report the heading problems together with the other blocks' errors.
            block_errors = {**heading_errors, **e.block_errors}
            raise blocks.StreamBlockValidationError(
                block_errors=block_errors, non_block_errors=e.non_block_errors
            ) from e
        if heading_errors:
            raise blocks.StreamBlockValidationError(block_errors=heading_errors)
        return cleaned

    @staticmethod
    def heading_level_errors(value) -> dict[int, ValidationError]:
        """``{index: error}`` for each heading deeper than one level below the previous heading."""
        errors = {}
        previous = 1  # the page title
        for index, child in enumerate(value or []):
            if child.block_type != "heading" or not child.value:
                continue
            level_name = child.value.get("level") or ""
            if not (len(level_name) == 2 and level_name[0] == "h" and level_name[1].isdigit()):
                continue  # an invalid choice is reported by the heading block itself
            level = int(level_name[1])
            if level > previous + 1:
                if previous == 1:
                    message = _("标题级别不能跳级：页面标题是 h1，正文的第一个标题应为 h2，这里是 h%(level)d。") % {
                        "level": level
                    }
                else:
                    message = _(
                        "标题级别不能跳级：上一个标题是 h%(previous)d，这里最多用到 h%(highest)d（现在是 h%(level)d）。"
                    ) % {"previous": previous, "highest": previous + 1, "level": level}
                errors[index] = ValidationError(message)
            previous = level
        return errors


class QuickLinkBlock(blocks.StructBlock):
    """A service shortcut on the home page: an internal page or an external address."""

    title = blocks.CharBlock(label=_("名称"), max_length=40)
    description = blocks.CharBlock(label=_("简短说明"), max_length=80, required=False)
    page = blocks.PageChooserBlock(label=_("站内页面"), required=False)
    url = blocks.URLBlock(label=_("外部链接"), required=False)

    class Meta:
        icon = "link"
        label = _("快捷服务")
        template = "blocks/quick_link_block.html"

    def clean(self, value):
        value = super().clean(value)
        if bool(value.get("page")) == bool(value.get("url")):
            raise blocks.StructBlockValidationError(
                block_errors={"url": ValidationError(_("请在站内页面与外部链接中选择且只选择一个。"))}
            )
        return value
