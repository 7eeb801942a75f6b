"""The figures of a 政府信息公开工作年度报告, computed from the portal's own records for one site
and one calendar year, as a JSON-ready snapshot (stored on the report page: later edits to
applications or policies do not change a report once generated).

``compute(site, year)`` returns::

    {"year", "generated_at",
     "active": {"rules": {"issued", "repealed", "in_force"}, "normative": {...}},
     "requests": {row key: {column key: count}},                   # table 三, totals included
     "reviews": {kind: {result: count}},                           # table 四, totals included
     "members": {"active": {"rules:issued": [page ids]}, "requests": {"row|column": [application ids]},
                 "reviews": {"kind|result": [application ids]}}}   # what each figure counts (staff links)

Counting rules (the format's, as the 国办 answers to common questions read them):
- 本年新收: received in the year. 上年结转: received before the year and not answered before it.
- 办理结果: answered in the year, by outcome and reason. 结转下年度: received by 31 December and
  not answered by then. So 一 + 二 = 三(七) + 四 always holds.
- 规章/行政规范性文件 (live policy pages of the site, by ``kind``): 制发 = 成文日期 (else publication)
  in the year; 废止 = ``repealed_on`` in the year; 现行有效 = issued by 31 December and not repealed
  by then (a 失效 document with no date counts as repealed before the year).
- 复议/诉讼: filed in the year; the result as it stood on 31 December (尚未审结 if concluded later).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from django.db.models import Q
from django.utils import timezone

from home.models import PolicyDocumentPage
from inforequests.models import Application, Review

from . import layout


def _key(*parts) -> str:
    return "|".join(str(part) for part in parts)


def policies(site, year: int) -> tuple[dict, dict]:
    start, end = date(year, 1, 1), date(year, 12, 31)
    counts = {kind: dict.fromkeys(("issued", "repealed", "in_force"), 0) for kind, _label in layout.POLICY_KINDS}
    members = defaultdict(list)
    pages = (
        PolicyDocumentPage.objects.live()
        .descendant_of(site.root_page)
        .filter(kind__in=counts)
        .values_list("pk", "kind", "written_date", "date", "repealed_on", "validity")
    )
    for pk, kind, written, published, repealed, validity in pages:
        issued = written or timezone.localdate(published)
        gone_by_end = (repealed is not None and repealed <= end) or (
            repealed is None and validity == PolicyDocumentPage.Validity.EXPIRED
        )
        facts = {
            "issued": start <= issued <= end,
            "repealed": repealed is not None and start <= repealed <= end,
            "in_force": issued <= end and not gone_by_end,
        }
        for column, counted in facts.items():
            if counted:
                counts[kind][column] += 1
                members[_key(kind, column)].append(pk)
    return counts, dict(members)


def requests(site, year: int) -> tuple[dict, dict]:
    start, end = date(year, 1, 1), date(year, 12, 31)
    columns = [key for key, _label in layout.APPLICANT_COLUMNS]
    members = {row: {column: [] for column in columns} for row in layout.REQUEST_ROW_KEYS}
    rows = Application.objects.filter(site=site, received_on__lte=end).filter(
        Q(decided_on__isnull=True) | Q(decided_on__gte=start)
    )
    for pk, column, received, decided, outcome, reason in rows.order_by("received_on", "pk").values_list(
        "pk", "applicant_type", "received_on", "decided_on", "outcome", "reason"
    ):
        cells = ["new" if received >= start else "carried"]
        if decided is not None and decided <= end:
            cells += [layout.result_key(outcome, reason), "decided"]
        else:
            cells.append("open")
        for row in cells:
            members[row][column].append(pk)
    counts = {}
    for row, by_column in members.items():
        counts[row] = {column: len(ids) for column, ids in by_column.items()}
        counts[row][layout.TOTAL] = sum(counts[row].values())
    flat = {_key(row, column): ids for row, by_column in members.items() for column, ids in by_column.items() if ids}
    return counts, flat


def reviews(site, year: int) -> tuple[dict, dict]:
    start, end = date(year, 1, 1), date(year, 12, 31)
    results = [key for key, _label in layout.REVIEW_RESULTS if key != layout.TOTAL]
    counts = {kind: dict.fromkeys(results + [layout.TOTAL], 0) for kind, _label in layout.REVIEW_KINDS}
    members = defaultdict(list)
    found = Review.objects.filter(application__site=site, filed_on__range=(start, end)).order_by("filed_on", "pk")
    for application_id, kind, result, concluded in found.values_list(
        "application_id", "kind", "result", "concluded_on"
    ):
        if concluded is not None and concluded > end:
            result = Review.Result.PENDING
        for column in (result, layout.TOTAL):
            counts[kind][column] += 1
            members[_key(kind, column)].append(application_id)
    return counts, dict(members)


def compute(site, year: int) -> dict:
    """The report's computed figures for ``site`` in ``year``. What staff enter where the portal
    holds no data (行政许可/处罚/强制 decisions, the 收费 amount) are fields of the page."""
    active, active_members = policies(site, year)
    counts, request_members = requests(site, year)
    review_counts, review_members = reviews(site, year)
    return {
        "year": year,
        "generated_at": timezone.now().isoformat(timespec="seconds"),
        "active": active,
        "requests": counts,
        "reviews": review_counts,
        "members": {"active": active_members, "requests": request_members, "reviews": review_members},
    }


def members_of(figures: dict, table: str, key: str) -> list[int]:
    """The record ids one figure counts; a total is the union of its row's cells."""
    members = figures.get("members", {}).get(table, {})
    row, _sep, column = key.partition("|")
    if table == "requests" and column == layout.TOTAL:
        return sorted({pk for name, _label in layout.APPLICANT_COLUMNS for pk in members.get(_key(row, name), [])})
    return list(members.get(key, []))
