"""Site-wide models: the user, image and document models (custom from the first
migration, so later fields need no swap), and each site's identity setting."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, PageChooserPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.documents.models import AbstractDocument, Document
from wagtail.images.models import AbstractImage, AbstractRendition, Image
from wagtail.models import Orderable, TranslatableMixin


class User(AbstractUser):
    """Staff account (editors, reviewers, interview guests). The public never logs in."""

    department = models.CharField(_("所属部门"), max_length=100, blank=True)

    class Meta(AbstractUser.Meta):
        verbose_name = _("用户")
        verbose_name_plural = _("用户")


class PortalImage(AbstractImage):
    """Image with the standard fields; ``description`` is the default alt text."""

    admin_form_fields = Image.admin_form_fields

    class Meta(AbstractImage.Meta):
        verbose_name = _("图片")
        verbose_name_plural = _("图片")
        permissions = [("choose_image", "Can choose image")]


class PortalRendition(AbstractRendition):
    image = models.ForeignKey(PortalImage, related_name="renditions", on_delete=models.CASCADE)

    class Meta:
        unique_together = (("image", "filter_spec", "focal_point_key"),)


class PortalDocument(AbstractDocument):
    """Attachment or form file. ``file_size`` and the extension are shown next to links."""

    admin_form_fields = Document.admin_form_fields

    class Meta(AbstractDocument.Meta):
        verbose_name = _("文档")
        verbose_name_plural = _("文档")
        permissions = [("choose_document", "Can choose document")]

    @property
    def format_label(self) -> str:
        return (self.file_extension or "").upper()


class TranslatableInline(TranslatableMixin, Orderable):
    """An InlinePanel row with text of its own (a material's name, an attachment's label):
    wagtail-localize translates it together with its page instead of copying it as is."""

    class Meta(TranslatableMixin.Meta, Orderable.Meta):
        abstract = True


def optional_page_link(verbose_name, help_text=""):
    """A footer link to a page of the site; cleared (not cascaded) when the page is deleted."""
    return models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=verbose_name,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=help_text,
    )


class SiteText(TranslatableMixin, models.Model):
    """What a site says about itself (name, sponsor, address, metadata): a snippet linked
    from ``SiteIdentity``, so that wagtail-localize can translate it like any snippet
    (Wagtail settings themselves cannot be translated)."""

    site_name = models.CharField(
        _("网站名称"), max_length=100, help_text=_("完整名称，例如“国家税务总局示例省税务局”。")
    )
    logo_text = models.CharField(
        _("标志文字"), max_length=40, blank=True, help_text=_("页眉中显示的简称，留空则用网站名称。")
    )
    sponsor = models.CharField(_("主办单位"), max_length=100, blank=True)
    organiser = models.CharField(_("承办单位"), max_length=100, blank=True)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    description = models.CharField(
        _("网站描述"), max_length=255, blank=True, help_text=_("用于 Description 元数据与搜索引擎摘要。")
    )
    keywords = models.CharField(_("网站关键词"), max_length=255, blank=True)
    gov_mark_alt = models.CharField(
        _("党政机关网站标识替代文本"), max_length=100, blank=True, default="党政机关网站标识"
    )

    panels = [
        FieldPanel("site_name"),
        FieldPanel("logo_text"),
        FieldPanel("sponsor"),
        FieldPanel("organiser"),
        FieldPanel("address"),
        FieldPanel("description"),
        FieldPanel("keywords"),
        FieldPanel("gov_mark_alt"),
    ]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("网站名称与页脚文字")
        verbose_name_plural = _("网站名称与页脚文字")

    def __str__(self) -> str:
        return self.site_name


@register_setting(icon="site")
class SiteIdentity(BaseSiteSetting):
    """Who runs this site: shown in every page footer and in the page metadata
    required by the national web page design norms (SiteName, SiteIDCode ...)."""

    text = models.ForeignKey(
        "portal.SiteText",
        verbose_name=_("名称与页脚文字"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("网站名称、主办单位、地址等文字（片段“网站名称与页脚文字”，可翻译为英文）。"),
    )
    english_name = models.CharField(
        _("英文名称"), max_length=150, blank=True, help_text=_("中文页面页眉中显示在网站名称下方。")
    )
    english_edition = models.BooleanField(
        _("开通英文版"),
        default=False,
        help_text=_("开通后页面显示语言切换，英文页面在 /en/ 下提供。只在英文内容有人维护时开通。"),
    )
    site_code = models.CharField(
        _("网站标识码"), max_length=20, blank=True, help_text=_("全国政府网站信息报送系统分配的10位标识码。")
    )
    icp_number = models.CharField(_("ICP备案号"), max_length=60, blank=True)
    police_number = models.CharField(_("公安机关备案号"), max_length=60, blank=True)
    postcode = models.CharField(_("邮政编码"), max_length=10, blank=True)
    phone = models.CharField(_("联系电话"), max_length=60, blank=True)
    email = models.EmailField(_("电子邮箱"), blank=True)

    gov_mark = models.ForeignKey(
        "portal.PortalImage",
        verbose_name=_("党政机关网站标识"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    gov_mark_url = models.URLField(_("标识链接（机构编制部门核发页面）"), blank=True)

    # Where the site stands in the cluster: the province's site has no parent, a city's
    # parent is the province's, a county's its city's (``portal.cluster``).
    parent_site = models.ForeignKey(
        "wagtailcore.Site",
        verbose_name=_("上级网站"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="child_identities",
        help_text=_("上级税务局的网站；省局网站留空。决定本站在网站群导航中的位置。"),
    )
    organisation_code = models.CharField(
        _("机构代码"),
        max_length=30,
        blank=True,
        help_text=_("主办单位的统一社会信用代码或组织机构代码；网站群内不可重复。"),
    )
    closed = models.BooleanField(
        _("已关停"),
        default=False,
        help_text=_("关停后本站所有页面只显示关停公告，内容与记录保留，可随时恢复。"),
    )
    closed_notice = models.TextField(
        _("关停公告"), blank=True, help_text=_("关停后访问者看到的说明，例如网站整合去向。")
    )

    sitemap_page = optional_page_link(_("网站地图页"))
    accessibility_page = optional_page_link(_("无障碍声明页"))
    contact_page = optional_page_link(_("联系我们页"))
    privacy_page = optional_page_link(_("隐私声明页"))
    error_report_page = optional_page_link(
        _("网站找错页"), help_text=_("本站的“网站找错”信箱；留空则链接到全国政府网站找错平台。")
    )

    select_related = [
        "text__locale",
        "gov_mark",
        "sitemap_page",
        "accessibility_page",
        "contact_page",
        "privacy_page",
        "error_report_page",
    ]

    panels = [
        MultiFieldPanel(
            [FieldPanel("text"), FieldPanel("english_name"), FieldPanel("english_edition")],
            heading=_("网站名称"),
        ),
        MultiFieldPanel(
            [FieldPanel("site_code"), FieldPanel("icp_number"), FieldPanel("police_number")],
            heading=_("备案"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("parent_site"),
                FieldPanel("organisation_code"),
                FieldPanel("closed"),
                FieldPanel("closed_notice"),
            ],
            heading=_("网站群"),
        ),
        MultiFieldPanel(
            [FieldPanel("postcode"), FieldPanel("phone"), FieldPanel("email")],
            heading=_("联系方式"),
        ),
        MultiFieldPanel(
            [FieldPanel("gov_mark"), FieldPanel("gov_mark_url")],
            heading=_("党政机关网站标识"),
        ),
        MultiFieldPanel(
            [
                PageChooserPanel("sitemap_page"),
                PageChooserPanel("accessibility_page"),
                PageChooserPanel("contact_page"),
                PageChooserPanel("privacy_page"),
                PageChooserPanel("error_report_page"),
            ],
            heading=_("页脚链接"),
        ),
    ]

    class Meta:
        verbose_name = _("网站标识与页脚")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation_code"],
                condition=~models.Q(organisation_code=""),
                name="portal_siteidentity_unique_organisation_code",
            ),
            models.UniqueConstraint(
                fields=["site_code"], condition=~models.Q(site_code=""), name="portal_siteidentity_unique_site_code"
            ),
        ]

    def __str__(self) -> str:
        return self.site_name or str(self.site)

    @cached_property
    def wording(self) -> SiteText:
        """The site's texts in the active language: the English translation on English
        pages when there is one, else the Chinese (one query, on English pages only)."""
        text = self.text or SiteText()
        if self.text is None or text.locale.language_code == get_language():
            return text
        return (
            SiteText.objects.filter(translation_key=text.translation_key, locale__language_code=get_language()).first()
            or text
        )

    site_name = property(lambda self: self.wording.site_name)
    logo_text = property(lambda self: self.wording.logo_text)
    sponsor = property(lambda self: self.wording.sponsor)
    organiser = property(lambda self: self.wording.organiser)
    address = property(lambda self: self.wording.address)
    description = property(lambda self: self.wording.description)
    keywords = property(lambda self: self.wording.keywords)
    gov_mark_alt = property(lambda self: self.wording.gov_mark_alt)

    @property
    def short_name(self) -> str:
        return self.logo_text or self.site_name

    @property
    def national_error_report_url(self) -> str:
        """The national 我为政府网站找错 platform, used when no own error-report page is set."""
        base = "https://zfwzzc.www.gov.cn/check_web/errorInfo_querySiteInfo.action"
        return f"{base}?sitecode={self.site_code}" if self.site_code else base


class WorkdayOverride(models.Model):
    """A date whose working-day status differs from the calendar package (a year it does
    not cover yet, or a local change)."""

    date = models.DateField(_("日期"), unique=True)
    is_workday = models.BooleanField(_("是工作日"), help_text=_("勾选表示调休上班；不勾选表示放假。"))
    note = models.CharField(_("说明"), max_length=100, blank=True)

    panels = [FieldPanel("date"), FieldPanel("is_workday"), FieldPanel("note")]

    class Meta:
        verbose_name = _("节假日调整")
        verbose_name_plural = _("节假日调整")
        ordering = ["-date"]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {'上班' if self.is_workday else '放假'}"
