"""A report page's tables as rows of cells for the templates (public page, staff panel), the
XLSX and the PDF: labels from ``layout.py``, values from the page's stored figures and fields.
Each cell carries the ``headers`` of its header cells (the tables have two or three levels of
headers, so scope alone does not tell a screen reader which apply) and, for staff, the key of
the records it counts."""

from __future__ import annotations

from decimal import Decimal

from . import layout
from . import website as sheet


def amount(value) -> str:
    """万元 with no trailing zeros: 0, 12.5, 3.0125."""
    value = Decimal(value or 0)
    text = f"{value.normalize():f}"
    return text


def _cell(value, table="", key="", headers="") -> dict:
    return {"value": value, "table": table, "key": key, "headers": headers}


def active(page) -> dict:
    figures = page.figures.get("active", {})
    policy_rows = []
    for kind, label in layout.POLICY_KINDS:
        counts = figures.get(kind, {})
        cells = [
            _cell(counts.get(column, 0), "active", f"{kind}|{column}", f"t2-item t2-{column} t2-{kind}")
            for column, _label in layout.POLICY_COLUMNS
        ]
        policy_rows.append({"id": f"t2-{kind}", "label": label, "cells": cells})
    decisions = []
    for item, caption, rows in layout.DECISION_ITEMS:
        decisions.append(
            {
                "id": f"t2-{item}-table",
                "caption": caption,
                "rows": [
                    {"id": f"t2-{name}", "label": label, "cell": _cell(getattr(page, name), headers=f"t2-{name}")}
                    for name, label in rows
                ],
            }
        )
    return {"policy_rows": policy_rows, "decisions": decisions, "fees": amount(page.fees)}


def requests(page) -> list[dict]:
    counts = page.figures.get("requests", {})
    rows = []
    for spans in layout.header_spans():
        row = spans["row"]
        row_id = f"t3-{row.key.replace(':', '-')}"
        path = ["t3-results"] if row.group else []
        if row.subgroup:
            path.append(f"t3-{row.key.split(':')[0]}")
        path.append(row_id)
        cells = []
        for column, _label in layout.COLUMNS:
            column_headers = ["t3-applicants"]
            if column in dict(layout.ORGANISATION_COLUMNS):
                column_headers.append("t3-organisations")
            column_headers.append(f"t3-{column}")
            value = counts.get(row.key, {}).get(column, 0)
            cells.append(_cell(value, "requests", f"{row.key}|{column}", " ".join(column_headers + path)))
        rows.append({**spans, "id": row_id, "subgroup_id": path[-2] if row.subgroup else "", "cells": cells})
    return rows


def reviews(page) -> list[dict]:
    counts = page.figures.get("reviews", {})
    cells = []
    for kind, _label in layout.REVIEW_KINDS:
        group = [] if kind == "reconsideration" else ["t4-lawsuits"]
        for result, _result_label in layout.REVIEW_RESULTS:
            headers = " ".join([*group, f"t4-{kind}", f"t4-{kind}-{result}"])
            cells.append(_cell(counts.get(kind, {}).get(result, 0), "reviews", f"{kind}|{result}", headers))
    return cells


def build(page) -> dict:
    return {
        "year": page.year,
        "generated_at": page.figures.get("generated_at", ""),
        "active": active(page),
        "requests": requests(page),
        "reviews": reviews(page),
        "layout": layout,
    }


def website(page) -> dict:
    """The 政府网站工作年度报表 as rows with their header cells (the group and subgroup cells span
    their rows, as in the template), each with its displayed value and ``headers``."""
    groups = {row.group: f"ws-g{index}" for index, row in enumerate(sheet.ROWS) if row.group}
    subgroups = {(row.group, row.subgroup): f"ws-s{index}" for index, row in enumerate(sheet.ROWS) if row.subgroup}
    rows = []
    for spans in layout.header_spans(sheet.ROWS):
        row = spans["row"]
        row_id = f"ws-{row.key}"
        path = [groups[row.group]] if row.group else []
        if row.subgroup:
            path.append(subgroups[(row.group, row.subgroup)])
        rows.append(
            {
                **spans,
                "id": row_id,
                "group_id": groups.get(row.group, ""),
                "subgroup_id": subgroups.get((row.group, row.subgroup), ""),
                "headers": " ".join(["ws-value", *path, row_id]),
                "value": sheet.display(row, sheet.value(page, row)),
            }
        )
    signatures = [
        (label, page.filled_on.isoformat() if key == "filled_on" and page.filled_on else getattr(page, key) or "")
        for key, label in sheet.SIGNATURES
    ]
    return {"year": page.year, "rows": rows, "signatures": signatures}
