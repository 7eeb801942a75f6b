"""The one StreamField block set shared by every page body."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.contrib.table_block.blocks import TableBlock
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageBlock

RICH_TEXT_FEATURES = ["bold", "italic", "ol", "ul", "link", "document-link", "superscript", "subscript"]


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

    class Meta:
        icon = "table"
        label = _("表格")
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
    paragraph = blocks.RichTextBlock(
        label=_("段落"), features=RICH_TEXT_FEATURES, template="blocks/paragraph_block.html"
    )
    image = FigureBlock()
    table = AccessibleTableBlock()
    document = DocumentLinkBlock()

    class Meta:
        block_counts = {}


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
