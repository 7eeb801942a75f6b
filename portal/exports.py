"""Spreadsheet exports of staff reports: rows → CSV bytes (UTF-8 with a BOM, so Excel reads
the Chinese text) or XLSX bytes (every cell text). Every cell is neutralised: text a
spreadsheet could read as a formula (starting with = + - @, a tab or a carriage return)
gets a leading apostrophe, so an exported title like ``=HYPERLINK(...)`` stays text."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from django.http import HttpResponse
from openpyxl import Workbook

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def neutralise(value) -> str:
    """A spreadsheet cell that cannot be read as a formula: text starting with = + - @, a
    tab or a carriage return gets a leading apostrophe."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_bytes(rows: Iterable[Iterable]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in rows:
        writer.writerow([neutralise(cell) for cell in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")  # the BOM lets Excel read it as UTF-8


def xlsx_bytes(rows: Iterable[Iterable], sheet_title: str = "Sheet1") -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = str(sheet_title)[:31]
    for row in rows:
        sheet.append([neutralise(cell) for cell in row])
        for cell in sheet[sheet.max_row]:
            cell.data_type = "s"  # text, never a formula
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def spreadsheet_response(rows: Iterable[Iterable], export_format: str, filename: str, sheet_title: str = "Sheet1"):
    """A download of ``rows`` as ``csv`` or ``xlsx`` (``filename`` without extension)."""
    if export_format == "csv":
        response = HttpResponse(csv_bytes(rows), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(xlsx_bytes(rows, sheet_title), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}.{export_format}"'
    return response
