"""Column update monitoring (栏目更新监测): when each monitored page was last updated, its
period, and whether it is on time, due within ``DUE_WITHIN_DAYS`` days, or stale.

Definitions (the national inspection rules for government websites):

* A column's *last update* is the newest ``first_published_at`` among the live pages below
  it (at any depth) that are not columns themselves: new content counts, an edit of an old
  page does not, and neither does adding an empty sub-column.
* Pages first published after ``today`` are ignored (so a past ``today`` sees the past).
* A site's *home page* is monitored at ``HOME_PERIOD_DAYS`` (14) days; its last update is the
  newest first publication among the pages it shows: those below its 通知公告 column and
  below its featured columns (首页栏目区).
* A column's period is its 更新周期 field, or when that is empty the default for its type
  (``DEFAULT_PERIODS``): 工作动态 14 days, 通知公告 / 政策文件 / 政策解读 / 政府信息公开
  180 days (six months), others 30 days. Columns whose 纳入更新监测 is off are skipped.
* The *deadline* is the last update's date plus the period. A page is **stale** when today
  is past the deadline, or when it has no content at all (an empty column is stale); it is
  **due** when the deadline is today or within the next ``DUE_WITHIN_DAYS`` days.

Every function takes ``today`` explicitly, so tests and the reminder command's ``--today``
need no clock tricks. All last updates come from one grouped query, whatever the number of
sites."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.contrib.contenttypes.models import ContentType
from django.db.models import Max, Q
from django.db.models.functions import Length, Substr
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page, Site

from home.models import ColumnPage, HomePage
from portal.models import SiteIdentity
from portal.permissions import (  # noqa: F401 - visible_sites, ordered_sites: the hooks, views and statistics
    editable_roots,
    is_provincial,
    ordered_sites,
    visible_sites,
)

HOME_PERIOD_DAYS = 14
DUE_WITHIN_DAYS = 3
OTHER_PERIOD_DAYS = 30
DEFAULT_PERIODS = {
    ColumnPage.ColumnType.NEWS: 14,
    ColumnPage.ColumnType.NOTICE: 180,
    ColumnPage.ColumnType.POLICY: 180,
    ColumnPage.ColumnType.INTERPRETATION: 180,
    ColumnPage.ColumnType.DISCLOSURE: 180,
}

STALE = "stale"
DUE = "due"
ON_TIME = "ok"
STATE_LABELS = {STALE: _("已超期"), DUE: _("即将到期"), ON_TIME: _("按时更新")}


def period_for(column: ColumnPage) -> int:
    return column.update_period_days or DEFAULT_PERIODS.get(column.column_type, OTHER_PERIOD_DAYS)


@dataclass
class PageStatus:
    """One monitored page (a column or a home page) on ``today``."""

    page: Page
    site: Site
    site_name: str
    period_days: int
    last_update: datetime | None
    today: date
    department: str = ""
    responsible_email: str = ""
    site_email: str = ""
    is_home: bool = False

    @property
    def title(self) -> str:
        return self.page.title

    @property
    def kind_label(self) -> str:
        return _("首页") if self.is_home else self.page.get_column_type_display()

    @property
    def last_update_date(self) -> date | None:
        return timezone.localdate(self.last_update) if self.last_update else None

    @property
    def deadline(self) -> date | None:
        return self.last_update_date + timedelta(days=self.period_days) if self.last_update else None

    @property
    def state(self) -> str:
        if self.deadline is None or self.today > self.deadline:
            return STALE
        if (self.deadline - self.today).days <= DUE_WITHIN_DAYS:
            return DUE
        return ON_TIME

    @property
    def state_label(self) -> str:
        if self.last_update is None:
            return _("空栏目")
        return STATE_LABELS[self.state]

    @property
    def days_overdue(self) -> int | None:
        """Days past the deadline (negative: days left); ``None`` for an empty column."""
        return (self.today - self.deadline).days if self.deadline else None

    @property
    def days_left(self) -> int | None:
        return -self.days_overdue if self.days_overdue is not None else None

    @property
    def recipient(self) -> str:
        """Who is reminded: the column's 负责人邮箱, else the site's contact address."""
        return self.responsible_email or self.site_email

    @property
    def edit_url(self) -> str:
        return reverse("wagtailadmin_pages:edit", args=[self.page.pk])


# ---- scope -------------------------------------------------------------------------------
def _scope_roots(user) -> set[str] | None:
    """``None`` when the user sees whole sites, else the paths of the trees they may edit."""
    return None if is_provincial(user) else editable_roots(user)


# ---- statuses ----------------------------------------------------------------------------
def _content_pages(today: date):
    """Live pages that are content, not columns, first published by the end of ``today``."""
    tomorrow = timezone.make_aware(datetime.combine(today + timedelta(days=1), time.min))
    return Page.objects.filter(live=True, first_published_at__lt=tomorrow).exclude(
        content_type=ContentType.objects.get_for_model(ColumnPage)
    )


def _newest_below(paths: set[str], content) -> dict[str, datetime]:
    """The newest ``first_published_at`` of the ``content`` pages below each of ``paths``:
    one grouped query by parent (a subquery per column read each column's pages again, 2 s
    for the 4,200 columns of a province at 200,000 pages), each parent's newest then carried
    up to every listed path it lies under."""
    steplen = Page.steplen
    by_parent = (
        content.order_by()
        .annotate(parent=Substr("path", 1, Length("path") - steplen))
        .values("parent")
        .annotate(newest=Max("first_published_at"))
        .values_list("parent", "newest")
    )
    newest: dict[str, datetime] = {}
    for parent, published in by_parent:
        for end in range(steplen, len(parent) + 1, steplen):
            prefix = parent[:end]
            if prefix in paths and (prefix not in newest or published > newest[prefix]):
                newest[prefix] = published
    return newest


def column_statuses(site: Site, today: date, user=None) -> list[PageStatus]:
    """Every monitored page of ``site`` (the home page, then the columns in tree order),
    restricted to the pages ``user`` may edit when a user is given."""
    return sites_statuses([site], today, user)[site.pk]


def sites_statuses(sites, today: date, user=None) -> dict[int, list[PageStatus]]:
    """``column_statuses`` of each of ``sites``, by site id, in four queries whatever their
    number (the report of a province's 140 sites made six per site)."""
    sites = list(sites)
    if not sites:
        return {}
    roots = {page.pk: page for page in Page.objects.filter(pk__in=[site.root_page_id for site in sites])}
    homes = {home.pk: home for home in HomePage.objects.filter(pk__in=list(roots)).prefetch_related("featured_columns")}
    identities = {
        identity.site_id: identity
        for identity in SiteIdentity.objects.select_related("text__locale").filter(site__in=sites)
    }
    in_sites = Q(pk__in=[])
    for root in roots.values():
        in_sites |= Q(path__startswith=root.path, locale_id=root.locale_id)
    # Every column, monitored or not, live or not: a home page's last update is the newest
    # content below its notice and featured columns, whatever they are.
    columns = list(ColumnPage.objects.filter(in_sites).order_by("path"))
    newest = _newest_below({column.path for column in columns}, _content_pages(today).filter(in_sites))
    for column in columns:
        column.last_update = newest.get(column.path)
    scope = _scope_roots(user) if user is not None else None
    # Each column under the home pages above it, found by its path's prefixes (a loop over
    # every site for every column took 140 × 4,200 comparisons at a province's size).
    sites_of_root: dict[str, list[int]] = {}  # several hostnames may share a home page
    for site in sites:
        if site.root_page_id in roots:
            sites_of_root.setdefault(roots[site.root_page_id].path, []).append(site.pk)
    by_site: dict[int, list] = {site.pk: [] for site in sites}
    for column in columns:
        for end in range(column.steplen, len(column.path) + 1, column.steplen):
            for site_id in sites_of_root.get(column.path[:end], ()):
                by_site[site_id].append(column)

    def in_scope(page) -> bool:
        return scope is None or any(page.path.startswith(path) for path in scope)

    result = {}
    for site in sites:
        identity = identities.get(site.pk)
        site_email = identity.email if identity else ""
        site_name = (identity.site_name if identity else "") or site.site_name or site.hostname
        own = by_site[site.pk]
        statuses = []
        home = homes.get(site.root_page_id)
        if home is not None and in_scope(home):
            shown = {home.notice_column_id, *(featured.column_id for featured in home.featured_columns.all())}
            updates = [column.last_update for column in own if column.pk in shown and column.last_update]
            statuses.append(
                PageStatus(
                    page=home,
                    site=site,
                    site_name=site_name,
                    period_days=HOME_PERIOD_DAYS,
                    last_update=max(updates) if updates else None,
                    today=today,
                    site_email=site_email,
                    is_home=True,
                )
            )
        for column in own:
            if column.live and column.monitored and in_scope(column):
                statuses.append(
                    PageStatus(
                        page=column,
                        site=site,
                        site_name=site_name,
                        period_days=period_for(column),
                        last_update=column.last_update,
                        today=today,
                        department=column.department,
                        responsible_email=column.responsible_email,
                        site_email=site_email,
                    )
                )
        result[site.pk] = statuses
    return result


def attention_needed(statuses: list[PageStatus]) -> list[PageStatus]:
    """The stale and due pages, most overdue first (empty columns first of all)."""
    flagged = [status for status in statuses if status.state in (STALE, DUE)]
    return sorted(
        flagged,
        key=lambda s: (s.site.pk, s.days_overdue is not None, -(s.days_overdue or 0), s.page.path),
    )


def flagged_statuses(today: date, sites=None, user=None) -> list[PageStatus]:
    """Stale and due pages of ``sites`` (default: every site)."""
    sites = list(sites if sites is not None else ordered_sites())
    statuses = sites_statuses(sites, today, user)
    return [status for site in sites for status in attention_needed(statuses[site.pk])]
