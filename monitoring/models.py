"""What the reminder command has sent, so that running it twice sends nothing new."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ColumnReminder(models.Model):
    """One reminder about one monitored page (a column or a site's home page) in one state
    (将到期 or 已超期), sent to one address on one day."""

    class Kind(models.TextChoices):
        DUE = "due", _("即将到期")
        STALE = "stale", _("已超期")

    page = models.ForeignKey("wagtailcore.Page", verbose_name=_("栏目"), on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("提醒类型"), max_length=10, choices=Kind.choices)
    recipient = models.EmailField(_("收件人"))
    sent_on = models.DateField(_("发送日期"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("栏目更新提醒")
        verbose_name_plural = _("栏目更新提醒")
        indexes = [models.Index(fields=["page", "kind", "sent_on"])]

    def __str__(self) -> str:
        return f"{self.page_id} {self.kind} {self.sent_on}"
