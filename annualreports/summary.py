"""年度报告汇总: each site's annual reports of one year side by side, with their key figures
read from the snapshot stored on each page (``page.figures``), for *报告 → 年度报告汇总*.

The report kinds are data (``KINDS``): a kind names its page model, its label, the figure
columns as (label, function of the snapshot) and its downloads: the 政府信息公开工作年度报告 and
the 政府网站工作年度报表. Each kind costs one query for every site together.

A draft's figures are those of its page row: Wagtail saves the form to the row of a page that
is not live, so the row holds the latest draft; a live page's row holds the published version.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .models import DisclosureReportPage, WebsiteReportPage

PUBLISHED, DRAFT, MISSING = "live", "draft", "missing"
STATES = {PUBLISHED: _("已发布"), DRAFT: _("草稿"), MISSING: _("未创建")}


@dataclass(frozen=True)
class Figure:
    label: str
    value: Callable[[dict], int]


@dataclass(frozen=True)
class ReportKind:
    key: str
    model: type
    label: str
    figures: tuple[Figure, ...]
    downloads: tuple[tuple[str, str], ...] = ()  # (label, route below the live page's URL)
    year_field: str = "year"


def _requests(row: str) -> Callable[[dict], int]:
    return lambda figures: int(figures.get("requests", {}).get(row, {}).get("total", 0))


def _normative(column: str) -> Callable[[dict], int]:
    return lambda figures: int(figures.get("active", {}).get("normative", {}).get(column, 0))


def _reviews(figures: dict) -> int:
    return sum(int(kind.get("total", 0)) for kind in figures.get("reviews", {}).values())


DISCLOSURE = ReportKind(
    key="disclosure",
    model=DisclosureReportPage,
    label=_("政府信息公开工作年度报告"),
    figures=(
        Figure(_("本年新收"), _requests("new")),
        Figure(_("上年结转"), _requests("carried")),
        Figure(_("办结"), _requests("decided")),
        Figure(_("结转下年度"), _requests("open")),
        Figure(_("复议、诉讼"), _reviews),
        Figure(_("行政规范性文件本年制发"), _normative("issued")),
        Figure(_("行政规范性文件现行有效"), _normative("in_force")),
    ),
    downloads=(("XLSX", "xlsx/"), ("PDF", "pdf/")),
)


def _figure(key: str) -> Callable[[dict], int]:
    return lambda figures: int(figures.get(key) or 0)


WEBSITE = ReportKind(
    key="website",
    model=WebsiteReportPage,
    label=_("政府网站工作年度报表"),
    figures=(
        Figure(_("网站总访问量（单位：次）"), _figure("views")),
        Figure(_("独立用户访问总量（单位：个）"), _figure("visitors")),
        Figure(_("信息发布"), _figure("published")),
        Figure(_("收到留言数量（单位：条）"), _figure("letters_received")),
        Figure(_("办结留言数量（单位：条）"), _figure("letters_answered")),
    ),
    downloads=(("XLSX", "xlsx/"),),
)

KINDS: tuple[ReportKind, ...] = (DISCLOSURE, WEBSITE)


@dataclass
class Link:
    label: str
    url: str


@dataclass
class Entry:
    """One site's report of one kind: its state, links and figures (``values`` is ``None``
    when the report is missing: no figures, not zeros)."""

    kind: ReportKind
    page: object | None = None
    state: str = MISSING
    view_url: str = ""  # the live page (relative on the admin's own site)
    full_url: str = ""  # the live page with its host, for the export
    edit_url: str = ""  # for those who may edit it
    downloads: list[Link] = field(default_factory=list)
    values: list[int] | None = None

    @property
    def state_label(self) -> str:
        return str(STATES[self.state])


@dataclass
class Row:
    site: object
    name: str
    entries: list[Entry]


@dataclass
class Total:
    kind: ReportKind
    reports: int  # how many sites have this kind's report
    values: list[int | None]  # None when no site has one


def _pages(kind: ReportKind, sites, year: int) -> dict[int, object]:
    """The kind's report of ``year`` in each site's tree, by site id (one query): the live one
    when a site has several, else the newest."""
    if not sites:
        return {}
    roots = [(site.root_page.path, site.pk) for site in sites]
    within = Q()
    for path, _site in roots:
        within |= Q(path__startswith=path)
    pages = kind.model.objects.filter(within, **{kind.year_field: year}).order_by("-live", "-pk")
    found: dict[int, object] = {}
    for page in pages:
        site_id = next((pk for path, pk in roots if page.path.startswith(path)), None)
        if site_id is not None:
            found.setdefault(site_id, page)
    return found


def _entry(kind: ReportKind, page, request, editable: Callable[[object], bool]) -> Entry:
    if page is None:
        return Entry(kind)
    entry = Entry(kind, page, PUBLISHED if page.live else DRAFT)
    if page.live:
        entry.view_url = page.get_url(request) or ""
        entry.full_url = page.get_full_url(request) or ""
        if entry.view_url:
            entry.downloads = [Link(label, entry.view_url + route) for label, route in kind.downloads]
    if editable(page):
        entry.edit_url = reverse("wagtailadmin_pages:edit", args=[page.pk])
    entry.values = [figure.value(page.figures or {}) for figure in kind.figures]
    return entry


def build(sites, names: dict[int, str], year: int, request, editable: Callable[[object], bool]):
    """The rows (one per site, in the order given) and a total per kind over the sites that
    have that kind's report."""
    found = {kind.key: _pages(kind, sites, year) for kind in KINDS}
    rows = [
        Row(site, names[site.pk], [_entry(kind, found[kind.key].get(site.pk), request, editable) for kind in KINDS])
        for site in sites
    ]
    totals = []
    for index, kind in enumerate(KINDS):
        present = [row.entries[index].values for row in rows if row.entries[index].values is not None]
        sums = [sum(column) for column in zip(*present, strict=True)] if present else [None] * len(kind.figures)
        totals.append(Total(kind, len(present), sums))
    return rows, totals
