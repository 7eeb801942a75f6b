"""信息报送: one row per city article submitted to a column of the provincial (main) site.

The submitted text itself is a Wagtail page: a draft copy of the city article in the target
column, reviewed in the main site's workflow and published by it (``services.py``). The row
records who submitted what where, the reviewers' note, the original's full URL (shown as
"查看原文" on the published copy) and a status that follows the copy's workflow."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Submission(models.Model):
    class Status(models.TextChoices):
        IN_REVIEW = "in_review", _("审核中")
        ACCEPTED = "accepted", _("已采用")
        RETURNED = "returned", _("已退回")
        RE_REVIEW = "re_review", _("待重审")

    source_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("原文"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="submissions",
    )
    copy = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("省局网站稿件"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="submitted_from",
    )
    target_column = models.ForeignKey(
        "home.ColumnPage",
        verbose_name=_("目标栏目"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    source_site = models.ForeignKey(
        "wagtailcore.Site", verbose_name=_("来源网站"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    source_site_name = models.CharField(_("来源网站名称"), max_length=255)
    source_url = models.URLField(_("原文地址"), max_length=500, blank=True)
    title = models.CharField(_("标题"), max_length=255)
    note = models.TextField(_("报送说明"), blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("报送人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.IN_REVIEW)
    workflow_name = models.CharField(
        _("审批流程"), max_length=255, blank=True, help_text=_("为空表示省局网站未设置审批流程，由其编辑直接发布。")
    )
    submitted_at = models.DateTimeField(_("报送时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    accepted_at = models.DateTimeField(_("采用时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("信息报送")
        verbose_name_plural = _("信息报送")
        ordering = ["-submitted_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["source_page", "target_column"], name="submission_once_per_column")
        ]

    def __str__(self):
        return self.title
