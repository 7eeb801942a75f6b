"""What the link checker found: one row per broken link still present, and one per run."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class BrokenLink(models.Model):
    """A link on a live page that does not work (or was not checked because it points into a
    private network). Kept while the link stays broken; removed by the first run that no
    longer finds it broken."""

    class Kind(models.TextChoices):
        INTERNAL = "internal", _("站内链接")
        EXTERNAL = "external", _("外部链接")

    class Status(models.TextChoices):
        BROKEN = "broken", _("链接失效")
        REFUSED = "refused", _("内网地址，未检查")
        UNSUPPORTED = "unsupported", _("不支持的链接")

    site = models.ForeignKey(
        "wagtailcore.Site", verbose_name=_("站点"), null=True, on_delete=models.CASCADE, related_name="+"
    )
    page = models.ForeignKey("wagtailcore.Page", verbose_name=_("所在页面"), on_delete=models.CASCADE, related_name="+")
    field = models.CharField(_("位置"), max_length=200)
    url = models.TextField(_("链接"))
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices)
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.BROKEN)
    reason = models.CharField(_("原因"), max_length=255)
    first_seen = models.DateTimeField(_("首次发现"))
    last_checked = models.DateTimeField(_("最近检查"), db_index=True)

    class Meta:
        verbose_name = _("错链")
        verbose_name_plural = _("错链")
        ordering = ["-first_seen", "pk"]
        indexes = [models.Index(fields=["page", "field"])]

    def __str__(self):
        return self.url


class LinkCheckRun(models.Model):
    """One run of ``manage.py check_links``: when, what it covered and what it found."""

    site = models.ForeignKey(
        "wagtailcore.Site",
        verbose_name=_("站点"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("为空表示检查了全部站点。"),
    )
    internal_only = models.BooleanField(_("仅检查站内链接"), default=False)
    started_at = models.DateTimeField(_("开始时间"))
    finished_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    pages_checked = models.PositiveIntegerField(_("检查页面数"), default=0)
    links_checked = models.PositiveIntegerField(_("检查链接数"), default=0)
    external_urls = models.PositiveIntegerField(_("请求的外部地址数"), default=0)
    broken_count = models.PositiveIntegerField(_("发现错链数"), default=0)

    class Meta:
        verbose_name = _("错链检测记录")
        verbose_name_plural = _("错链检测记录")
        ordering = ["-started_at"]

    def __str__(self):
        return f"{self.started_at:%Y-%m-%d %H:%M}"
