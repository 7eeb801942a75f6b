"""E-mail alerts: one row per confirmed address and column, nothing else about the person.

A request to subscribe is not stored: until the owner of the address follows the signed
link in the confirmation mail, the address and the column travel only inside that link
(``tokens.py``). An address somebody typed and nobody confirmed is therefore never kept,
and every row is a confirmed subscription. Unsubscribing deletes the address's rows."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Subscription(models.Model):
    email = models.EmailField(_("电子邮箱"))
    column = models.ForeignKey("home.ColumnPage", verbose_name=_("栏目"), on_delete=models.CASCADE, related_name="+")
    confirmed_at = models.DateTimeField(_("确认时间"), default=timezone.now)
    # Articles first published up to this time have been sent (or came before the subscription):
    # the next alert lists only those published after it, so a run sends nothing twice.
    alerted_until = models.DateTimeField(_("已提醒至"), default=timezone.now)

    class Meta:
        verbose_name = _("栏目订阅")
        verbose_name_plural = _("栏目订阅")
        constraints = [models.UniqueConstraint(fields=["email", "column"], name="subscription_email_column")]

    def __str__(self) -> str:
        return f"#{self.pk}"
