"""The durable record of visits: one row per site and day (``services.flush`` writes it from
the counters in the cache; nothing on the request path touches the database)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DailyVisits(models.Model):
    """Page views and the estimated number of distinct visitors of one site on one day.

    No address, cookie or visitor identifier is kept here or anywhere else: ``visitors`` is a
    count estimated from hashes made with a salt that is thrown away after the day."""

    site = models.ForeignKey("wagtailcore.Site", verbose_name=_("站点"), on_delete=models.CASCADE, related_name="+")
    day = models.DateField(_("日期"))
    views = models.PositiveBigIntegerField(_("访问量"), default=0)
    visitors = models.PositiveIntegerField(_("独立访客"), default=0)

    class Meta:
        verbose_name = _("每日访问量")
        verbose_name_plural = _("每日访问量")
        constraints = [models.UniqueConstraint(fields=["site", "day"], name="visits_one_row_per_site_and_day")]

    def __str__(self) -> str:
        return f"{self.site_id} {self.day}: {self.views}/{self.visitors}"
