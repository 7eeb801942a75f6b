"""The disclosure catalogue (政府信息公开目录): one ``CatalogueEntry`` (信息索引) per disclosed
item of a site, its 索引号 drawn from the site's ``IndexSequence`` by the pattern in the
site's ``CatalogueSettings``, and the ``DisclosureCataloguePage`` that lists them.

Entries are written only through ``services.py`` (numbering, first publish, staff edits);
the catalogue page's listing is read through ``queries.py``.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import StreamField
from wagtail.models import Page

from portal.pages import PortalPage

from . import statutory

# {org}: the site's 统一社会信用代码 (its 网站标识码, then "SITE<id>", when it has none);
# {year}: the year of first publication; {serial} or {serial:N}: the number within the year
# (within the site when the pattern has no {year}), zero-padded to N digits.
PATTERN_TOKEN = re.compile(r"\{(org|year|serial)(?::([1-9]))?\}")
DEFAULT_PATTERN = "{org}/{year}-{serial:5}"


def validate_pattern(value: str) -> None:
    tokens = [m.group(1) for m in PATTERN_TOKEN.finditer(value)]
    rest = PATTERN_TOKEN.sub("", value)
    if "{" in rest or "}" in rest:
        raise ValidationError(_("只能使用 {org}、{year}、{serial} 或 {serial:位数} 这几个占位符。"))
    if tokens.count("serial") != 1:
        raise ValidationError(_("编号规则必须包含且只包含一个 {serial}。"))
    if any(tokens.count(name) > 1 for name in ("org", "year")):
        raise ValidationError(_("每个占位符只能出现一次。"))


@register_setting(icon="list-ul")
class CatalogueSettings(BaseSiteSetting):
    """信息公开目录设置: how the site numbers its disclosed items."""

    index_pattern = models.CharField(
        _("索引号规则"),
        max_length=60,
        default=DEFAULT_PATTERN,
        validators=[validate_pattern],
        help_text=_(
            "{org} 为本机关统一社会信用代码（网站标识与页脚中填写），{year} 为首次发布年份，"
            "{serial:5} 为当年流水号（补零到5位）。修改规则只影响以后编号，已有索引号不变。"
        ),
    )

    panels = [FieldPanel("index_pattern")]

    class Meta:
        verbose_name = _("信息公开目录设置")


@register_setting(icon="tasks")
class StatutoryChecklist(BaseSiteSetting):
    """法定主动公开内容: the categories the 条例 requires this site to disclose, each with the
    columns that carry it and how often it must have something new (``statutory.py``)."""

    categories = StreamField(
        [("category", statutory.CategoryBlock())],
        verbose_name=_("法定主动公开类别"),
        default=statutory.default_checklist,
        blank=True,
        use_json_field=True,
        help_text=_(
            "《政府信息公开条例》第十九条、第二十条规定主动公开的类别；可增删、改名，并指定本站发布各类信息的栏目。"
        ),
    )

    panels = [FieldPanel("categories")]

    class Meta:
        verbose_name = _("法定主动公开内容")


class Genre(models.TextChoices):
    """体裁分类: the forms of official documents (党政机关公文处理工作条例) and the site's other texts."""

    DECISION = "decision", _("决定")
    ANNOUNCEMENT = "announcement", _("公告")
    CIRCULAR = "circular", _("通告")
    OPINION = "opinion", _("意见")
    NOTICE = "notice", _("通知")
    BULLETIN = "bulletin", _("通报")
    REPORT = "report", _("报告")
    REPLY = "reply", _("批复")
    LETTER = "letter", _("函")
    MEASURES = "measures", _("办法")
    RULES = "rules", _("规定")
    INTERPRETATION = "interpretation", _("解读")
    PUBLICITY = "publicity", _("公示")
    NEWS = "news", _("工作动态")
    GUIDE = "guide", _("指南")
    OTHER = "other", _("其他")


class Mode(models.TextChoices):
    ACTIVE = "active", _("主动公开")
    ON_REQUEST = "on_request", _("依申请公开")


class TimeLimit(models.TextChoices):
    LONG_TERM = "long_term", _("长期公开")
    LIMITED = "limited", _("限期公开")


class Validity(models.TextChoices):
    NONE = "", _("不适用")
    VALID = "valid", _("有效")
    EXPIRED = "expired", _("失效")
    AMENDED = "amended", _("已修改")


class IndexSequence(models.Model):
    """The last serial given out on a site in a year (year 0: a pattern without {year}).
    Only ever goes up, so a number is never given twice, not even after its page is deleted."""

    site = models.ForeignKey("wagtailcore.Site", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["site", "year"], name="disclosure_sequence_site_year")]

    def __str__(self) -> str:
        return f"{self.site_id}/{self.year}: {self.last}"


class CatalogueEntry(models.Model):
    """信息索引 of one disclosed item, shared by the page and its translations (same
    ``translation_key``). The 索引号 is set once, on first publication, and never changes;
    the entry outlives its page (``page`` set to null) so that the number stays taken."""

    site = models.ForeignKey("wagtailcore.Site", verbose_name=_("站点"), on_delete=models.CASCADE, related_name="+")
    page = models.ForeignKey(
        "wagtailcore.Page", verbose_name=_("页面"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    translation_key = models.UUIDField()
    index_number = models.CharField(_("索引号"), max_length=100)
    year = models.PositiveSmallIntegerField(_("年份"))
    theme = models.ForeignKey(
        "guides.Theme", verbose_name=_("主题分类"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    genre = models.CharField(_("体裁分类"), max_length=20, choices=Genre.choices, default=Genre.OTHER)
    organisation = models.CharField(_("发布机构"), max_length=200)
    document_number = models.CharField(_("文号"), max_length=100, blank=True)
    written_date = models.DateField(_("成文日期"), null=True, blank=True)
    published_date = models.DateField(_("发布日期"))
    mode = models.CharField(_("公开方式"), max_length=12, choices=Mode.choices, default=Mode.ACTIVE)
    time_limit = models.CharField(_("公开时限"), max_length=12, choices=TimeLimit.choices, default=TimeLimit.LONG_TERM)
    validity = models.CharField(_("有效性"), max_length=10, choices=Validity.choices, blank=True, default="")
    added_by_staff = models.BooleanField(
        _("由编辑纳入"), default=False, help_text=_("不在政府信息公开栏目、由编辑手动纳入目录的页面。")
    )
    withdrawn = models.BooleanField(
        _("已移出目录"), default=False, help_text=_("由编辑移出目录的页面：不再列出，索引号保留，重新纳入时沿用。")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("信息索引")
        verbose_name_plural = _("信息索引")
        ordering = ["-published_date", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["site", "index_number"], name="disclosure_entry_unique_number"),
            models.UniqueConstraint(fields=["site", "translation_key"], name="disclosure_entry_unique_item"),
        ]
        indexes = [models.Index(fields=["site", "-published_date"], name="disclosure_entry_listing")]

    def __str__(self) -> str:
        return self.index_number


class DisclosureCataloguePage(PortalPage):
    """政府信息公开目录: every disclosed item of the site with its 信息索引, filtered by 主题分类,
    体裁分类, 发布机构 and year, searchable by title, 索引号 and 文号."""

    intro = models.TextField(_("导语"), blank=True)
    is_section = True
    per_page = 20
    max_count_per_parent = 1

    parent_page_types = ["home.HomePage", "home.ColumnPage"]
    subpage_types = []
    content_panels = Page.content_panels + [FieldPanel("intro")]

    class Meta:
        verbose_name = _("政府信息公开目录")
        verbose_name_plural = _("政府信息公开目录")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(queries.catalogue(self, request))
        return context


from . import queries  # noqa: E402
