"""Service guides (办事指南), their taxonomy (themes, departments) and the form library (表格下载).

A city site of the cluster shows the province's guides as ``LocalGuidePage``s: one item, the
province's guide, with the city's own place, hours, phone and notes.

Querying (filters with counts, listings) lives in ``guides/queries.py``; download counting
in ``guides/downloads.py``.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.http import Http404
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail import blocks
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import StreamField
from wagtail.models import Page, PageViewRestriction, TranslatableMixin
from wagtail.search import index

from portal import extensions
from portal.models import TranslatableInline
from portal.navigation import withheld_ids
from portal.pages import PortalPage, lazy_update
from search.index import LabelledField, segmented

from . import panels, structured_data


class Taxonomy(TranslatableMixin, models.Model):
    """A managed, translatable list entry (theme or department) with a stable slug for URLs."""

    name = models.CharField(_("名称"), max_length=50)
    slug = models.SlugField(_("URL 标识"), max_length=50, help_text=_("用于筛选链接，只用字母、数字和连字符。"))
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("sort_order")]

    class Meta:
        abstract = True
        ordering = ["sort_order", "name"]
        unique_together = [("translation_key", "locale"), ("slug", "locale")]

    def __str__(self) -> str:
        return self.name


class Theme(Taxonomy):
    """办事主题: 发票办理, 申报纳税, 税务登记 ... shared by guides, forms and policies."""

    class Meta(Taxonomy.Meta):
        verbose_name = _("主题")
        verbose_name_plural = _("主题")


class Department(Taxonomy):
    """The department that handles an item or maintains a form (实施/承办部门)."""

    class Meta(Taxonomy.Meta):
        verbose_name = _("部门")
        verbose_name_plural = _("部门")


class FormItem(TranslatableMixin, index.Indexed, models.Model):
    """One form of the library: the blank form (one or two formats) and an optional filled sample."""

    code = models.CharField(_("表格编号"), max_length=40)
    title = models.CharField(_("表格名称"), max_length=200)
    theme = models.ForeignKey(Theme, verbose_name=_("主题"), null=True, blank=True, on_delete=models.SET_NULL)
    department = models.ForeignKey(Department, verbose_name=_("部门"), null=True, blank=True, on_delete=models.SET_NULL)
    document = models.ForeignKey(
        "portal.PortalDocument", verbose_name=_("空白表格"), on_delete=models.PROTECT, related_name="+"
    )
    alt_document = models.ForeignKey(
        "portal.PortalDocument",
        verbose_name=_("空白表格（其他格式）"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("例如同时提供 PDF 与 Word 版本。"),
    )
    sample = models.ForeignKey(
        "portal.PortalDocument",
        verbose_name=_("填写样表"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated = models.DateField(_("更新日期"))
    formats = models.CharField(_("文件格式"), max_length=40, editable=False, blank=True)
    download_count = models.PositiveIntegerField(_("下载次数"), default=0, editable=False)

    panels = [
        FieldRowPanel([FieldPanel("code"), FieldPanel("updated")]),
        FieldPanel("title"),
        FieldRowPanel([FieldPanel("theme"), FieldPanel("department")]),
        FieldPanel("document"),
        FieldPanel("alt_document"),
        FieldPanel("sample"),
    ]
    search_fields = segmented(
        [
            index.SearchField("title"),
            LabelledField("code"),
            index.AutocompleteField("title"),
            index.FilterField("locale"),
        ]
    )

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("表格")
        verbose_name_plural = _("表格")
        ordering = ["code"]
        unique_together = [("translation_key", "locale"), ("code", "locale")]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    def save(self, *args, **kwargs):
        self.formats = ",".join(sorted({doc.file_extension.lower() for doc in self.files() if doc.file_extension}))
        if self.pk and not kwargs.get("force_insert") and kwargs.get("update_fields") is None:
            # Never write download_count back from an edit form: downloads may have been
            # counted (with F()) since this instance was loaded.
            kwargs["update_fields"] = [
                f.name for f in self._meta.concrete_fields if not f.primary_key and f.name != "download_count"
            ]
        super().save(*args, **kwargs)

    def files(self):
        """The blank form in each format offered."""
        return [doc for doc in (self.document, self.alt_document) if doc is not None]


class ServiceGuideIndexPage(PortalPage):
    """办事指南: every guide below it, filtered by audience, theme, department and online handling."""

    intro = models.TextField(_("导语"), blank=True)
    is_section = True
    shares_content = True  # unfiltered: its first page; filters and pages use the query string
    per_page = 15

    parent_page_types = ["home.HomePage", "home.ColumnPage"]
    # A city's index holds its local guides (the province's items) and any guide of its own.
    subpage_types = ["guides.ServiceGuidePage", "guides.LocalGuidePage"]
    content_panels = Page.content_panels + [FieldPanel("intro")]

    class Meta:
        verbose_name = _("办事指南目录")
        verbose_name_plural = _("办事指南目录")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        lazy_update(context, queries.GUIDE_INDEX_KEYS, lambda: queries.guide_index(self, request))
        return context


AUDIENCE_CHOICES = [("individual", _("个人")), ("enterprise", _("法人"))]


class ServiceGuidePage(RoutablePageMixin, PortalPage):
    """One service item: what it is, who may apply, what to bring, where, how long, how much."""

    is_publication = True
    shares_content = True
    serve_related = ("theme", "department")

    class Visits(models.IntegerChoices):
        ZERO = 0, _("0次（全程网办）")
        ONE = 1, _("1次")
        TWO = 2, _("2次")

    item_code = models.CharField(_("事项编码"), max_length=40, blank=True)
    department = models.ForeignKey(
        Department, verbose_name=_("实施部门"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    theme = models.ForeignKey(
        Theme, verbose_name=_("主题"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    for_individuals = models.BooleanField(_("服务对象：个人"), default=False)
    for_enterprises = models.BooleanField(_("服务对象：法人"), default=False)
    summary = models.TextField(_("事项简介"), blank=True)
    conditions = StreamField(
        [("condition", blocks.CharBlock(label=_("条件"), max_length=300))],
        verbose_name=_("办理条件"),
        blank=True,
        use_json_field=True,
    )
    steps = StreamField(
        [
            (
                "step",
                blocks.StructBlock(
                    [
                        ("title", blocks.CharBlock(label=_("步骤名称"), max_length=60)),
                        ("description", blocks.TextBlock(label=_("说明"), required=False)),
                    ],
                    label=_("步骤"),
                ),
            )
        ],
        verbose_name=_("办理流程"),
        blank=True,
        use_json_field=True,
    )
    statutory_days = models.PositiveSmallIntegerField(_("法定办结时限（工作日）"), null=True, blank=True)
    promised_days = models.PositiveSmallIntegerField(
        _("承诺办结时限（工作日）"), null=True, blank=True, help_text=_("0 表示即时办结。")
    )
    fees = models.CharField(_("收费标准"), max_length=200, default="不收费")
    place = models.TextField(_("办理地点"), blank=True)
    hours = models.CharField(_("办理时间"), max_length=200, blank=True)
    phone = models.CharField(_("咨询电话"), max_length=100, blank=True)
    visits = models.PositiveSmallIntegerField(_("到办事现场次数"), choices=Visits.choices, default=Visits.ONE)
    online_url = models.URLField(_("网上办理地址"), blank=True)
    faq = StreamField(
        [
            (
                "faq",
                blocks.StructBlock(
                    [
                        ("question", blocks.CharBlock(label=_("问题"), max_length=200)),
                        ("answer", blocks.TextBlock(label=_("回答"))),
                    ],
                    label=_("常见问题"),
                ),
            )
        ],
        verbose_name=_("常见问题"),
        blank=True,
        use_json_field=True,
    )

    parent_page_types = ["guides.ServiceGuideIndexPage"]
    subpage_types = []

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("item_code"), FieldPanel("theme"), FieldPanel("department")]),
                FieldRowPanel([FieldPanel("for_individuals"), FieldPanel("for_enterprises")]),
            ],
            heading=_("基本信息"),
        ),
        InlinePanel("legal_basis", label=_("设定依据"), heading=_("设定依据")),
        FieldPanel("conditions"),
        InlinePanel("materials", label=_("申请材料"), heading=_("申请材料")),
        FieldPanel("steps"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("statutory_days"), FieldPanel("promised_days")]),
                FieldRowPanel([FieldPanel("visits"), FieldPanel("fees")]),
                FieldPanel("online_url"),
                FieldPanel("place"),
                FieldRowPanel([FieldPanel("hours"), FieldPanel("phone")]),
            ],
            heading=_("时限、地点与费用"),
        ),
        FieldPanel("faq"),
    ]
    search_fields = segmented(
        Page.search_fields
        + [
            index.SearchField("summary", boost=1.5),
            LabelledField("item_code"),
            index.RelatedFields("theme", [index.SearchField("name")]),
            index.SearchField("conditions"),
            index.RelatedFields("materials", [index.SearchField("name")]),
            index.SearchField("steps"),
            index.SearchField("faq"),
            index.FilterField("visits"),
        ]
    )

    class Meta:
        verbose_name = _("办事指南")
        verbose_name_plural = _("办事指南")

    def clean(self):
        super().clean()
        if not (self.for_individuals or self.for_enterprises):
            raise ValidationError(_("请至少选择一类服务对象（个人或法人）。"))

    @property
    def audience_labels(self) -> list[str]:
        labels = []
        if self.for_individuals:
            labels.append(str(_("个人")))
        if self.for_enterprises:
            labels.append(str(_("法人")))
        return labels

    @property
    def fully_online(self) -> bool:
        return self.visits == 0

    def get_meta_description(self) -> str:
        return self.search_description or self.summary

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # Shown only in the shared content (``shares_content``): queried on a miss only.
        context["materials"] = SimpleLazyObject(
            lambda: list(self.materials.select_related("form__document", "form__alt_document", "form__sample"))
        )
        context["legal_basis_items"] = SimpleLazyObject(lambda: list(self.legal_basis.select_related("policy")))
        # the 12366 knowledge base
        context["faq_panels"] = SimpleLazyObject(lambda: extensions.panels(panels.GUIDE_FAQ, self, request))
        # the cities that handle the item
        context["local_versions"] = SimpleLazyObject(lambda: queries.local_versions(self, request))
        return context

    @path("checklist/")
    def checklist(self, request):
        """A printable materials checklist (申请材料清单) with tick boxes."""
        return self.render(
            request,
            template="guides/service_guide_checklist.html",
            context_overrides={"materials": list(self.materials.select_related("form"))},
        )

    def get_structured_data(self, request):
        return structured_data.guide_data(self, request)


class GuideLegalBasis(TranslatableInline):
    page = ParentalKey(ServiceGuidePage, related_name="legal_basis", on_delete=models.CASCADE)
    policy = models.ForeignKey(
        "home.PolicyDocumentPage",
        verbose_name=_("政策文件"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    text = models.CharField(_("依据说明"), max_length=300, blank=True, help_text=_("法律法规名称及条款。"))

    panels = [FieldPanel("policy"), FieldPanel("text")]

    def clean(self):
        if not self.policy_id and not self.text.strip():
            raise ValidationError(_("请选择政策文件或填写依据说明。"))


class GuideMaterial(TranslatableInline):
    class Kind(models.TextChoices):
        ORIGINAL = "original", _("原件")
        COPY = "copy", _("复印件")
        BOTH = "original_and_copy", _("原件及复印件")
        ELECTRONIC = "electronic", _("电子材料")

    class Requirement(models.TextChoices):
        REQUIRED = "required", _("必要")
        CONDITIONAL = "conditional", _("视情形提供")

    page = ParentalKey(ServiceGuidePage, related_name="materials", on_delete=models.CASCADE)
    name = models.CharField(_("材料名称"), max_length=200)
    kind = models.CharField(_("材料形式"), max_length=20, choices=Kind.choices, default=Kind.ORIGINAL)
    count = models.PositiveSmallIntegerField(_("份数"), default=1)
    requirement = models.CharField(
        _("必要性"), max_length=20, choices=Requirement.choices, default=Requirement.REQUIRED
    )
    form = models.ForeignKey(
        FormItem,
        verbose_name=_("表格"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="guide_materials",
        help_text=_("表格库中的空白表格与样表。"),
    )
    notes = models.CharField(_("备注"), max_length=300, blank=True)

    panels = [
        FieldPanel("name"),
        FieldRowPanel([FieldPanel("kind"), FieldPanel("count"), FieldPanel("requirement")]),
        FieldPanel("form"),
        FieldPanel("notes"),
    ]


class _FromProvinceGuide:
    """What a local guide page shows of the province's guide: the attribute of the same name
    (``None`` when the page has no guide). A local page reads like the guide it shows, so the
    guide's template, checklist and structured data serve both."""

    def __set_name__(self, owner, name):
        self.name = name

    def __get__(self, page, owner=None):
        if page is None:
            return self
        guide = page.province_guide
        return getattr(guide, self.name) if guide is not None else None


class LocalGuidePageForm(WagtailAdminPageForm):
    """The chosen guide must be another site's (the province's list), and a guide index shows
    each item once."""

    def clean(self):
        cleaned_data = super().clean()
        guide = cleaned_data.get("guide")
        parent = self.parent_page if self.instance.pk is None else self.instance.get_parent()
        if guide is None or parent is None:
            return cleaned_data
        site_root_path = parent.path[: 2 * Page.steplen]
        if guide.path.startswith(site_root_path):
            self.add_error("guide", _("请选择省局网站的办事指南；本站自己的事项请新建“办事指南”页面。"))
            return cleaned_data
        twin = LocalGuidePage.objects.child_of(parent).filter(guide=guide).exclude(pk=self.instance.pk).first()
        if twin is not None:
            self.add_error("guide", _("本栏目已有该事项的本地办事指南：%(title)s") % {"title": twin.title})
        return cleaned_data


class LocalGuidePage(RoutablePageMixin, PortalPage):
    """One of the province's service items as a city site handles it (网站群的办事指南).

    The item itself (conditions, materials, legal basis, steps, time limits, fees, FAQ) is the
    province's ``ServiceGuidePage``, shown here as it is, never copied; this page adds what
    differs in the city: where to go (受理地点), hours, phone and notes. It lives under the
    city's guide index, so the city's editors edit it (page permissions follow the tree) and
    the province's editors keep the guide.

    A local page whose guide is not live (a draft, unpublished, deleted) or not public is
    withheld: it answers 404 and no listing, search or sitemap shows it, until the guide is
    live again (``withheld_ids``; ``portal.navigation.public_only``)."""

    guide = models.ForeignKey(
        ServiceGuidePage,
        verbose_name=_("省局办事指南"),
        null=True,  # the province deleted its guide: the page stays, withheld, for the city to remove
        on_delete=models.SET_NULL,
        related_name="local_guides",
        help_text=_("省局网站上的办事指南：办理条件、申请材料、设定依据、时限和收费均以它为准。"),
    )
    local_place = models.TextField(
        _("受理地点"), help_text=_("本市受理本事项的办税服务厅及地址，每行一处，名称与办税地图中的服务厅一致。")
    )
    local_hours = models.CharField(
        _("办理时间"), max_length=200, blank=True, help_text=_("留空则显示省局指南的办理时间。")
    )
    local_phone = models.CharField(
        _("咨询电话"), max_length=100, blank=True, help_text=_("留空则显示省局指南的咨询电话。")
    )
    local_notes = models.TextField(
        _("本地补充说明"), blank=True, help_text=_("本市办理的特别安排，例如预约方式、延时服务。")
    )

    parent_page_types = ["guides.ServiceGuideIndexPage"]
    subpage_types = []
    base_form_class = LocalGuidePageForm
    template = "guides/local_guide_page.html"

    content_panels = Page.content_panels + [
        FieldPanel("guide"),
        MultiFieldPanel(
            [
                FieldPanel("local_place"),
                FieldRowPanel([FieldPanel("local_hours"), FieldPanel("local_phone")]),
                FieldPanel("local_notes"),
            ],
            heading=_("本地办理信息"),
        ),
    ]
    search_fields = segmented(
        Page.search_fields
        + [
            index.SearchField("guide_text"),  # the province's item, found on the city's site
            LabelledField("guide_item_code", label=_("事项编码")),
            index.SearchField("local_place"),
            index.SearchField("local_notes"),
            index.FilterField("guide"),
        ]
    )

    class Meta:
        verbose_name = _("本地办事指南")
        verbose_name_plural = _("本地办事指南")

    # Search results cut their snippet from ``guide_text`` (search/engine.py): read in bulk.
    search_result_prefetch = ("guide__materials",)

    # The province's item, read through this page (see _FromProvinceGuide).
    summary = _FromProvinceGuide()
    item_code = _FromProvinceGuide()
    department = _FromProvinceGuide()
    department_id = _FromProvinceGuide()
    theme = _FromProvinceGuide()
    theme_id = _FromProvinceGuide()
    for_individuals = _FromProvinceGuide()
    for_enterprises = _FromProvinceGuide()
    audience_labels = _FromProvinceGuide()
    fully_online = _FromProvinceGuide()
    visits = _FromProvinceGuide()
    statutory_days = _FromProvinceGuide()
    promised_days = _FromProvinceGuide()
    fees = _FromProvinceGuide()
    online_url = _FromProvinceGuide()
    conditions = _FromProvinceGuide()
    steps = _FromProvinceGuide()
    faq = _FromProvinceGuide()

    @property
    def province_guide(self) -> ServiceGuidePage | None:
        """The guide this page shows: the one ``serve`` or a listing resolved (live, public, in
        the page's language), else the one chosen."""
        shown = self.__dict__.get("_province_guide")
        if shown is not None:
            return shown
        return self.guide if self.guide_id else None

    def show(self, guide: ServiceGuidePage) -> LocalGuidePage:
        """Show ``guide`` (the chosen one, resolved by a query) without loading it again."""
        self.__dict__["_province_guide"] = guide
        return self

    # The local details: the city's own where given, else the province's.
    @property
    def place(self) -> str:
        return self.local_place

    @property
    def hours(self) -> str:
        guide = self.province_guide
        return self.local_hours or (guide.hours if guide else "")

    @property
    def phone(self) -> str:
        guide = self.province_guide
        return self.local_phone or (guide.phone if guide else "")

    # Search: the province's item is indexed with the page, so the city's search finds it.
    def guide_text(self) -> str:
        guide = self.province_guide
        if guide is None:
            return ""
        parts = [guide.summary]
        parts += [block.value for block in guide.conditions]
        parts += [material.name for material in guide.materials.all()]
        parts += [f"{block.value['title']} {block.value['description']}" for block in guide.steps]
        parts += [f"{block.value['question']} {block.value['answer']}" for block in guide.faq]
        return "\n".join(part for part in parts if part)

    def guide_item_code(self) -> str:
        guide = self.province_guide
        return guide.item_code if guide else ""

    @classmethod
    def withheld_ids(cls) -> list[int]:
        """Live local pages whose guide is not live or not public (two queries)."""
        hidden = Q(guide=None) | Q(guide__live=False)
        for restricted in PageViewRestriction.objects.values_list("page__path", flat=True):
            hidden |= Q(guide__path__startswith=restricted)
        return list(cls.objects.live().filter(hidden).values_list("pk", flat=True))

    def get_meta_description(self) -> str:
        return self.search_description or self.summary or ""

    def serve(self, request, *args, **kwargs):
        guide = queries.province_guide(self, request)
        if guide is None:
            raise Http404("The province's guide is not live.")
        self.show(guide)
        return super().serve(request, *args, **kwargs)

    def serve_preview(self, request, mode_name):
        """The editor's preview shows the chosen guide whatever its state."""
        guide = queries.province_guide(self, request, preview=True)
        if guide is None:
            raise Http404("No guide chosen.")
        self.show(guide)
        return super().serve_preview(request, mode_name)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        guide = self.province_guide
        context["local_guide"] = self
        context["materials"] = list(
            guide.materials.select_related("form__document", "form__alt_document", "form__sample")
        )
        context["legal_basis_items"] = list(guide.legal_basis.select_related("policy"))
        context["faq_panels"] = extensions.panels(panels.GUIDE_FAQ, self, request)
        context["local_panels"] = extensions.panels(panels.LOCAL_GUIDE_PLACE, self, request)  # e.g. the halls named
        return context

    @path("checklist/")
    def checklist(self, request):
        """The province's materials checklist, printed from the city's page."""
        return self.render(
            request,
            template="guides/service_guide_checklist.html",
            context_overrides={"materials": list(self.province_guide.materials.select_related("form"))},
        )

    def get_sitemap_urls(self, request=None):
        if self.guide_id is None or self.pk in withheld_ids(request):
            return []
        return super().get_sitemap_urls(request)

    def get_structured_data(self, request):
        return structured_data.guide_data(self, request)


class FormLibraryPage(PortalPage):
    """表格下载: every form of the library, filtered by theme, department and format."""

    intro = models.TextField(_("导语"), blank=True)
    is_section = True
    shares_content = True  # unfiltered: its first page; filters and pages use the query string
    per_page = 20

    parent_page_types = ["home.HomePage", "home.ColumnPage"]
    subpage_types = []
    content_panels = Page.content_panels + [FieldPanel("intro")]

    class Meta:
        verbose_name = _("表格下载")
        verbose_name_plural = _("表格下载")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        lazy_update(context, queries.FORM_LIBRARY_KEYS, lambda: queries.form_library(self, request))
        return context


# Contexts above call the listing queries, which import the models above.
from . import queries  # noqa: E402
