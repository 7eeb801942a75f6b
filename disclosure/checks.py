"""The check behind *报告 → 法定主动公开*: for each category of each site's checklist
(``StatutoryChecklist``), whether it has a column, anything published below its columns,
and something published within its period.

The whole cluster is checked in a fixed number of queries: the checklists in one, the
mapped columns in one, and the pages below them grouped by column in one query per column
depth (columns sit at two or three depths)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Max
from django.db.models.functions import Substr
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page

from home.models import ColumnPage

from .models import StatutoryChecklist
from .statutory import default_checklist


@dataclass
class CategoryStatus:
    site: object
    name: str
    basis: str
    period_days: int | None
    columns: list = field(default_factory=list)
    published: int = 0
    last_published: date | None = None
    state: str = "ok"

    STATES = {
        "no_column": _("未指定发布栏目"),
        "empty": _("没有已发布的内容"),
        "overdue": _("超过更新周期未发布"),
        "ok": _("正常"),
    }

    @property
    def state_label(self):
        return self.STATES[self.state]

    @property
    def deadline(self) -> date | None:
        if self.period_days is None or self.last_published is None:
            return None
        return self.last_published + timedelta(days=self.period_days)


def column_ids(category: dict) -> list[int]:
    """The column ids of a category as stored: a ListBlock keeps ``{"type": "item", "value":
    pk, "id": …}`` per item (bare pks in data older than Wagtail 2.16)."""
    items = category.get("columns") or []
    return [pk for pk in (item["value"] if isinstance(item, dict) else item for item in items) if pk]


def statuses(sites, today: date | None = None) -> list[CategoryStatus]:
    """Every category of every site's checklist, with what its columns hold."""
    today = today or timezone.localdate()
    checklists = {c.site_id: c for c in StatutoryChecklist.objects.filter(site__in=sites)}
    rows: list[CategoryStatus] = []
    wanted = set()
    for site in sites:
        checklist = checklists.get(site.pk)
        items = checklist.categories if checklist else None
        raw = items.raw_data if items is not None else [{"value": v} for _, v in default_checklist()]
        for item in raw:
            value = item["value"]
            ids = column_ids(value)
            wanted.update(ids)
            rows.append(
                CategoryStatus(site, value.get("name", ""), value.get("basis", ""), value.get("period_days"), ids)
            )
    columns = {c.pk: c for c in ColumnPage.objects.filter(pk__in=wanted).only("title", "path", "depth", "live")}
    figures = _figures(list(columns.values()))
    for row in rows:
        row.columns = [columns[pk] for pk in row.columns if pk in columns]
        for column in row.columns:
            count, last = figures.get(column.path, (0, None))
            row.published += count
            if last and (row.last_published is None or last > row.last_published):
                row.last_published = last
        if not row.columns:
            row.state = "no_column"
        elif not row.published:
            row.state = "empty"
        elif row.deadline is not None and row.deadline < today:
            row.state = "overdue"
    return rows


def _figures(columns: list) -> dict[str, tuple[int, date | None]]:
    """``{column path: (live pages below it, the latest first publication's date)}``, columns
    excluded, in one grouped query per depth."""
    if not columns:
        return {}
    column_type = ContentType.objects.get_for_model(ColumnPage)
    figures = {}
    by_depth: dict[int, list[str]] = {}
    for column in columns:
        by_depth.setdefault(column.depth, []).append(column.path)
    for depth, paths in by_depth.items():
        length = Page.steplen * depth
        grouped = (
            Page.objects.live()
            .filter(depth__gt=depth)
            .exclude(content_type=column_type)
            .annotate(prefix=Substr("path", 1, length))
            .filter(prefix__in=paths)
            .order_by()  # group by the prefix alone, not the tree's default order (path)
            .values("prefix")
            .annotate(n=Count("pk"), last=Max("first_published_at"))
        )
        for row in grouped:
            figures[row["prefix"]] = (row["n"], row["last"] and timezone.localdate(row["last"]))
    return figures
