"""Page types of every site in the cluster: home page, columns (栏目), articles,
standard pages (about, contact, accessibility statement) and the site map.

Querying lives in ``home/queries.py``; models only declare fields, tree rules and
the metadata each page contributes to the national page-metadata tags.
"""

import copy

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from portal import extensions, languages
from portal.blocks import BodyBlock, QuickLinkBlock
from portal.models import TranslatableInline
from portal.navigation import site_root
from portal.pages import PortalPage
from portal.pagination import paginate
from portal.routing import plain_route, route_from
from search.index import LabelledField, segmented

from . import panels, structured_data


class HomePage(PortalPage):
    """One per site: the root of a site's tree."""

    banner_title = models.CharField(_("横幅标题"), max_length=100, blank=True)
    banner_text = models.CharField(_("横幅说明"), max_length=255, blank=True)
    banner_image = models.ForeignKey(
        "portal.PortalImage",
        verbose_name=_("横幅图片"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("装饰性图片，标题与说明文字写在上面两个字段中。"),
    )
    notice_column = models.ForeignKey(
        "home.ColumnPage",
        verbose_name=_("通知公告栏目"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("首页通知区显示该栏目最新的几条。"),
    )
    quick_links = StreamField([("link", QuickLinkBlock())], verbose_name=_("快捷服务"), blank=True, use_json_field=True)

    parent_page_types = ["wagtailcore.Page"]
    # No subpage_types: any page type whose parent_page_types names the home page (see portal/pages.py).

    content_panels = Page.content_panels + [
        MultiFieldPanel(
            [FieldPanel("banner_title"), FieldPanel("banner_text"), FieldPanel("banner_image")],
            heading=_("横幅"),
        ),
        FieldPanel("notice_column"),
        InlinePanel("featured_columns", label=_("首页栏目区"), heading=_("首页栏目区")),
        FieldPanel("quick_links"),
    ]

    class Meta:
        verbose_name = _("首页")
        verbose_name_plural = _("首页")

    @plain_route
    def route(self, request, path_components):
        """Every page below the home page in one query, once the path has been served
        (``portal/routing.py``)."""
        if not path_components:
            # The site data keeps this page for every request (``portal/sitedata.py``): the
            # view gets a copy of its own to set attributes on.
            return super(HomePage, copy.copy(self)).route(request, path_components)
        return route_from(self, request, path_components)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # The notices, quick links and featured columns are rendered once per site data
        # snapshot ({% sitefragment %} in the template): their queries run only then.
        context["notice_column"] = SimpleLazyObject(lambda: self._notice_column())
        context["notices"] = SimpleLazyObject(
            lambda: queries.latest_articles(self._notice_column(), 6, request) if self._notice_column() else []
        )
        context["featured"] = SimpleLazyObject(lambda: self._featured(request))
        context["quick_links"] = SimpleLazyObject(self._quick_links)
        context["panels"] = extensions.panels(panels.HOME_PAGE, self, request)  # 本月征期 …
        return context

    def _notice_column(self):
        if "_notice" not in self.__dict__:
            column = languages.localize_page(self.notice_column if self.notice_column_id else None)
            self._notice = column if column and column.live and column.locale_id == self.locale_id else None
        return self._notice

    def _featured(self, request) -> list:
        featured = list(self.featured_columns.select_related("column"))
        columns = languages.localize_pages([item.column for item in featured])
        return [
            (column, queries.latest_articles(column, item.count, request))
            for item, column in zip(featured, columns, strict=True)
            if column.live and column.locale_id == self.locale_id  # English home: English columns only
        ]

    def _quick_links(self):
        # The quick links' pages in this language, in one query (the block template asks the memo).
        languages.localize_pages([block.value["page"] for block in self.quick_links if block.value["page"]], False)
        return self.quick_links


class HomeFeaturedColumn(Orderable):
    """A column whose latest items the home page shows."""

    page = ParentalKey(HomePage, related_name="featured_columns", on_delete=models.CASCADE)
    column = models.ForeignKey("home.ColumnPage", verbose_name=_("栏目"), on_delete=models.CASCADE, related_name="+")
    count = models.PositiveSmallIntegerField(
        _("显示条数"), default=6, validators=[MinValueValidator(1), MaxValueValidator(20)]
    )

    panels = [FieldRowPanel([FieldPanel("column"), FieldPanel("count")])]


class ColumnPage(PortalPage):
    """A column (栏目): lists the articles below it, newest first."""

    class ColumnType(models.TextChoices):
        NEWS = "news", _("工作动态")
        NOTICE = "notice", _("通知公告")
        DISCLOSURE = "disclosure", _("政府信息公开")
        POLICY = "policy", _("政策文件")
        INTERPRETATION = "interpretation", _("政策解读")
        SERVICE = "service", _("办事服务")
        INTERACTION = "interaction", _("互动交流")
        TOPIC = "topic", _("专题专栏")
        OTHER = "other", _("其他")

    intro = models.TextField(_("栏目简介"), blank=True)
    column_type = models.CharField(_("栏目类型"), max_length=20, choices=ColumnType.choices, default=ColumnType.NEWS)
    department = models.CharField(_("维护部门"), max_length=100, blank=True, help_text=_("负责本栏目内容更新的部门。"))
    update_period_days = models.PositiveSmallIntegerField(
        _("更新周期（天）"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_(
            "超过该天数未发布新内容时，栏目被视为未及时更新。留空按栏目类型取默认值："
            "工作动态14天，通知公告、政策文件、政策解读、政府信息公开180天，其他30天。"
        ),
    )
    responsible_email = models.EmailField(
        _("负责人邮箱"),
        blank=True,
        help_text=_("栏目将要或已经超期未更新时，提醒邮件发往该地址；留空发往本站联系邮箱。"),
    )
    monitored = models.BooleanField(
        _("纳入更新监测"), default=True, help_text=_("不发布新内容的栏目（如只放链接或办事入口）可不纳入监测。")
    )
    per_page = 20
    is_section = True

    parent_page_types = ["home.HomePage", "home.ColumnPage"]
    # No subpage_types: any page type whose parent_page_types names columns (see portal/pages.py).

    content_panels = Page.content_panels + [
        FieldPanel("intro"),
        FieldPanel("column_type"),
        MultiFieldPanel(
            [
                FieldPanel("monitored"),
                FieldRowPanel([FieldPanel("update_period_days"), FieldPanel("department")]),
                FieldPanel("responsible_email"),
            ],
            heading=_("栏目监测"),
        ),
    ]
    search_fields = segmented(Page.search_fields + [index.SearchField("intro")])

    class Meta:
        verbose_name = _("栏目")
        verbose_name_plural = _("栏目")

    def get_page_meta(self) -> dict[str, str]:
        meta = {"ColumnName": self.title, "ColumnType": self.get_column_type_display()}
        meta.update(super().get_page_meta())
        return meta

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["sub_columns"] = queries.child_sections(self, request)
        page_obj = paginate(
            queries.articles_below(self, request),
            request.GET.get("page"),
            self.per_page,
            count=queries.count_articles_below(self, request),
        )
        context["page_obj"] = page_obj
        # The list is rendered once per site data snapshot and page number ({% sitefragment %}
        # in the template): its query runs only then.
        context["articles"] = SimpleLazyObject(
            lambda: queries.label_with_sub_column(page_obj.object_list, self, context["sub_columns"])
        )
        context.update(column_panels(self, request))
        return context


def column_panels(column, request) -> dict:
    """What the installed apps add to a column's pages (its feed …), for the column itself
    and for each article below it."""
    if column is None:
        return {"head_panels": [], "column_panels": []}
    return {
        "head_panels": extensions.panels(panels.COLUMN_HEAD, column, request),
        "column_panels": extensions.panels(panels.COLUMN_LINKS, column, request),
    }


# The editing panels every dated text shares (articles, policies, interpretations).
ARTICLE_CONTENT_PANELS = [
    FieldPanel("summary"),
    FieldPanel("keywords"),
    FieldPanel("body"),
    InlinePanel("attachments", label=_("附件"), heading=_("附件")),
    InlinePanel("related_links", label=_("相关链接"), heading=_("相关链接")),
]


class ArticlePage(PortalPage):
    """News item, notice or any dated text (文章)."""

    is_publication = True
    shares_content = True

    date = models.DateTimeField(_("发布日期"), default=timezone.now, db_index=True)
    source = models.CharField(_("来源"), max_length=100, blank=True)
    author = models.CharField(_("作者"), max_length=100, blank=True)
    editor = models.CharField(_("责任编辑"), max_length=100, blank=True)
    summary = models.TextField(_("摘要"), blank=True, help_text=_("列表与页面描述中使用，一两句话。"))
    keywords = models.CharField(_("关键词"), max_length=255, blank=True, help_text=_("用逗号分隔。"))
    body = StreamField(BodyBlock(), verbose_name=_("正文"), use_json_field=True)

    parent_page_types = ["home.ColumnPage"]
    subpage_types = []

    content_panels = Page.content_panels + [
        FieldRowPanel([FieldPanel("date"), FieldPanel("source")]),
        FieldRowPanel([FieldPanel("author"), FieldPanel("editor")]),
        *ARTICLE_CONTENT_PANELS,
    ]
    search_fields = segmented(
        Page.search_fields
        + [
            index.SearchField("summary", boost=1.5),
            index.SearchField("body"),
            LabelledField("keywords", boost=1.5),
            index.FilterField("date"),
        ]
    )

    class Meta:
        verbose_name = _("文章")
        verbose_name_plural = _("文章")

    def get_meta_description(self) -> str:
        return self.search_description or self.summary

    def get_page_meta(self) -> dict[str, str]:
        meta = {}
        column = queries.parent_column(self)
        if column:
            meta.update({"ColumnName": column.title, "ColumnType": column.get_column_type_display()})
        meta["ArticleTitle"] = self.title
        meta["PubDate"] = timezone.localtime(self.date).strftime("%Y-%m-%d %H:%M")
        if self.source:
            meta["ContentSource"] = self.source
        if self.keywords:
            meta["Keywords"] = self.keywords
        if self.author:
            meta["Author"] = self.author
        meta.update(super().get_page_meta())
        return meta

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["attachment_list"] = self.attachments.select_related("document")
        context["link_list"] = self.related_links.select_related("link_page")
        # Shown only in the shared content (``shares_content``): queried on a miss only.
        context["meta_panels"] = SimpleLazyObject(lambda: extensions.panels(panels.ARTICLE_META, self, request))
        context.update(column_panels(queries.parent_column(self), request))  # the query the metadata uses
        return context

    def get_structured_data(self, request):
        return structured_data.article_data(self, request)


class ArticleAttachment(TranslatableInline):
    page = ParentalKey(ArticlePage, related_name="attachments", on_delete=models.CASCADE)
    document = models.ForeignKey(
        "portal.PortalDocument", verbose_name=_("文档"), on_delete=models.CASCADE, related_name="+"
    )
    title = models.CharField(_("显示名称"), max_length=200, blank=True, help_text=_("留空则用文档标题。"))

    panels = [FieldPanel("document"), FieldPanel("title")]


class ArticleRelatedLink(TranslatableInline):
    page = ParentalKey(ArticlePage, related_name="related_links", on_delete=models.CASCADE)
    title = models.CharField(_("链接文字"), max_length=200)
    link_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("站内页面"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    link_url = models.URLField(_("外部链接"), blank=True)

    panels = [FieldPanel("title"), FieldPanel("link_page"), FieldPanel("link_url")]

    def clean(self):
        if bool(self.link_page_id) == bool(self.link_url):
            raise ValidationError(_("请在站内页面与外部链接中选择且只选择一个。"))


class StandardPage(PortalPage):
    """A plain page: about the site, contact, accessibility statement, privacy."""

    intro = models.TextField(_("导语"), blank=True)
    body = StreamField(BodyBlock(), verbose_name=_("正文"), use_json_field=True, blank=True)
    updated = models.DateField(_("更新日期"), null=True, blank=True)

    parent_page_types = ["home.HomePage", "home.ColumnPage"]
    subpage_types = []

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("body"), FieldPanel("updated")]
    search_fields = segmented(Page.search_fields + [index.SearchField("intro"), index.SearchField("body")])

    class Meta:
        verbose_name = _("普通页面")
        verbose_name_plural = _("普通页面")


class SitemapPage(PortalPage):
    """The human-readable site map (网站地图): every column and page of this site."""

    max_count_per_parent = 1
    parent_page_types = ["home.HomePage"]
    subpage_types = []

    class Meta:
        verbose_name = _("网站地图")
        verbose_name_plural = _("网站地图")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["tree"] = queries.site_tree(site_root(request), request, exclude=(ArticlePage, SitemapPage))
        return context


class PolicyDocumentPage(ArticlePage):
    """政策文件: a published policy document with its identifiers and validity.

    A subclass of ``ArticlePage``: it keeps the date (publish date), source, body,
    attachments and related links, and appears in column listings like any article."""

    serve_related = ("theme",)

    class Validity(models.TextChoices):
        VALID = "valid", _("有效")
        EXPIRED = "expired", _("失效")
        AMENDED = "amended", _("已修改")

    class Kind(models.TextChoices):
        """What the 政府信息公开工作年度报告 counts under 第二十条第（一）项."""

        RULES = "rules", _("规章")
        NORMATIVE = "normative", _("行政规范性文件")
        OTHER = "other", _("其他文件")

    issuing_body = models.CharField(_("发文机关"), max_length=200)
    document_number = models.CharField(_("文号"), max_length=100, blank=True)
    index_number = models.CharField(
        _("原索引号"),
        max_length=100,
        blank=True,
        help_text=_("从原网站迁移的文件填写原索引号，首次发布时沿用；新文件留空，由公开目录按本站规则自动编号。"),
    )
    written_date = models.DateField(_("成文日期"), null=True, blank=True)
    validity = models.CharField(_("有效性"), max_length=10, choices=Validity.choices, default=Validity.VALID)
    kind = models.CharField(
        _("文件类别"),
        max_length=10,
        choices=Kind.choices,
        default=Kind.OTHER,
        help_text=_("规章和行政规范性文件计入政府信息公开工作年度报告的制发、废止和现行有效件数。"),
    )
    repealed_on = models.DateField(
        _("废止或失效日期"), null=True, blank=True, help_text=_("文件废止或失效的，填写废止、失效之日。")
    )
    replaced_by = models.ForeignKey(
        "self",
        verbose_name=_("替代文件"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="replaces",
        help_text=_("失效或已修改时，指向现行文件。"),
    )
    theme = models.ForeignKey(
        "guides.Theme", verbose_name=_("主题分类"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    parent_page_types = ["home.ColumnPage"]
    subpage_types = []

    content_panels = Page.content_panels + [
        MultiFieldPanel(
            [
                FieldPanel("issuing_body"),
                FieldRowPanel([FieldPanel("document_number"), FieldPanel("index_number")]),
                FieldRowPanel([FieldPanel("written_date"), FieldPanel("date")]),
                FieldRowPanel([FieldPanel("kind"), FieldPanel("theme")]),
                FieldRowPanel([FieldPanel("validity"), FieldPanel("repealed_on"), FieldPanel("replaced_by")]),
            ],
            heading=_("文件信息"),
        ),
        FieldRowPanel([FieldPanel("source"), FieldPanel("editor")]),
        *ARTICLE_CONTENT_PANELS,
    ]
    search_fields = segmented(
        ArticlePage.search_fields
        + [
            LabelledField("document_number"),
            LabelledField("issuing_body"),
            index.FilterField("validity"),
        ]
    )

    class Meta:
        verbose_name = _("政策文件")
        verbose_name_plural = _("政策文件")

    @property
    def is_in_force(self) -> bool:
        return self.validity == self.Validity.VALID

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["interpretations"] = SimpleLazyObject(lambda: queries.interpretations_of(self, request))
        context["panels"] = SimpleLazyObject(lambda: extensions.panels(panels.POLICY_PAGE, self, request))  # 相关访谈 …
        if self.replaced_by_id:
            context["replacement"] = SimpleLazyObject(self._replacement)
        return context

    def _replacement(self):
        replacement = languages.localize_page(self.replaced_by)
        return replacement if replacement.live else None

    def get_structured_data(self, request):
        return structured_data.policy_data(self, request)


class PolicyInterpretationPage(ArticlePage):
    """政策解读: explains one or more policy documents, as text, a graphic, a video or an interview."""

    class Kind(models.TextChoices):
        TEXT = "text", _("文字解读")
        GRAPHIC = "graphic", _("图解")
        VIDEO = "video", _("视频解读")
        INTERVIEW = "interview", _("在线访谈")

    kind = models.CharField(_("解读形式"), max_length=20, choices=Kind.choices, default=Kind.TEXT)
    video = models.ForeignKey(
        "portal.PortalDocument",
        verbose_name=_("视频文件"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("视频解读时上传 MP4 文件，并在正文中提供文字稿。"),
    )

    parent_page_types = ["home.ColumnPage"]
    subpage_types = []

    content_panels = Page.content_panels + [
        InlinePanel("policy_links", label=_("解读的政策文件"), heading=_("解读的政策文件"), min_num=1),
        FieldRowPanel([FieldPanel("kind"), FieldPanel("date")]),
        FieldRowPanel([FieldPanel("source"), FieldPanel("author"), FieldPanel("editor")]),
        FieldPanel("video"),
        *ARTICLE_CONTENT_PANELS,
    ]

    class Meta:
        verbose_name = _("政策解读")
        verbose_name_plural = _("政策解读")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["policies"] = self.explained_policies(request)
        context["panels"] = SimpleLazyObject(lambda: extensions.panels(panels.POLICY_PAGE, self, request))
        return context

    def get_structured_data(self, request):
        return structured_data.interpretation_data(self, request, self.explained_policies(request))

    def explained_policies(self, request) -> list:
        """The live policies this page explains; queried once per request, shared by the
        page body and its JSON-LD."""
        if getattr(self, "_explained_policies", None) is None:
            self._explained_policies = queries.policies_explained_by(self, request)
        return self._explained_policies


class InterpretationPolicy(Orderable):
    page = ParentalKey(PolicyInterpretationPage, related_name="policy_links", on_delete=models.CASCADE)
    policy = models.ForeignKey(
        PolicyDocumentPage, verbose_name=_("政策文件"), on_delete=models.CASCADE, related_name="interpretation_links"
    )

    panels = [FieldPanel("policy")]


# Contexts and metadata above call the listing queries, which import the page types above.
from . import queries  # noqa: E402
