"""Every write to the registers: reading a spreadsheet into a preview (every row with its
values or the reason it is refused), importing a preview (all rows in one transaction, or
none when any row is refused), discarding it, and taking one entry back (撤销).

A spreadsheet (XLSX or CSV, UTF-8 or GB18030) has the register's column names in its first
row (``template_rows``: the template staff download), in any order; other columns are
ignored; empty rows are skipped. A row is refused when a required cell is empty, a cell
cannot be read (date, amount, year, 纳税人识别号 length or check character, 居民身份证 check
digit), the 公布截止日期 is before the 公布日期, or it repeats a row above it or an entry
already in the register (``Spec.key``)."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from portal.pagecache import purge_page

from .kinds import CellError, Spec, read_cell
from .models import ImportBatch, RegisterEntry, RegisterPage

MAX_ROWS = 5000
MAX_BYTES = 5 * 1024 * 1024


class Refused(Exception):
    """A file or request that cannot be carried out; the message says why, for staff."""


@dataclass
class Row:
    number: int  # the spreadsheet's row number (the header is row 1)
    values: dict
    errors: list[str]


def template_rows(spec: Spec) -> list[list[str]]:
    """The header row staff fill in below (the template's only row)."""
    return [[str(column.label) for column in spec.columns]]


def read_table(upload) -> list[list]:
    """The cells of an uploaded XLSX or CSV file, row by row."""
    name = (upload.name or "").lower()
    if upload.size > MAX_BYTES:
        raise Refused(_("文件超过 5 MB，请分批导入。"))
    data = upload.read()
    if name.endswith(".csv"):
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                text = data.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise Refused(_("无法识别 CSV 文件的编码，请另存为 UTF-8。"))
        return list(csv.reader(io.StringIO(text)))
    if name.endswith(".xlsx"):
        try:
            workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception:  # openpyxl raises many kinds of errors on a damaged file
            raise Refused(_("无法读取这个 XLSX 文件，请检查文件是否损坏。")) from None
        sheet = workbook.worksheets[0]
        rows = [list(row) for row in sheet.iter_rows(values_only=True)]
        workbook.close()
        return rows
    raise Refused(_("请上传 XLSX 或 CSV 文件（可先下载模板）。"))


def parse(page: RegisterPage, table: list[list]) -> list[Row]:
    """Every non-empty row of ``table`` read for ``page``'s register, with its errors."""
    spec = page.spec
    if not table:
        raise Refused(_("文件是空的。"))
    header = [" ".join(str(cell or "").split()) for cell in table[0]]
    positions = {}
    for column in spec.columns:
        if str(column.label) in header:
            positions[column.field] = header.index(str(column.label))
    missing = [str(c.label) for c in spec.columns if c.field not in positions and c.required]
    if missing:
        raise Refused(_("第 1 行缺少这些列：%(columns)s。请使用本名录的模板。") % {"columns": "、".join(missing)})
    body = table[1:]
    if sum(1 for row in body if any(_filled(cell) for cell in row)) > MAX_ROWS:
        raise Refused(_("一次最多导入 %(n)s 行，请分批导入。") % {"n": MAX_ROWS})
    existing = _existing_keys(page, spec)
    seen: dict[tuple, int] = {}
    rows = []
    for offset, cells in enumerate(body, start=2):
        if not any(_filled(cell) for cell in cells):
            continue
        values, errors = {}, []
        for column in spec.columns:
            position = positions.get(column.field)
            raw = cells[position] if position is not None and position < len(cells) else None
            try:
                values[column.field] = read_cell(column, raw)
            except CellError as error:
                values[column.field] = None if raw is None else str(raw)
                errors.append(str(error))
        if not errors:
            errors += _row_errors(spec, values)
        if not errors:
            key = tuple(_key_part(values.get(name)) for name in spec.key)
            if key in seen:
                errors.append(_("与第 %(row)s 行重复") % {"row": seen[key]})
            elif key in existing:
                errors.append(_("名录中已有这一条"))
            else:
                seen[key] = offset
        rows.append(Row(offset, values, errors))
    if not rows:
        raise Refused(_("文件中除表头外没有数据。"))
    return rows


def _filled(cell) -> bool:
    return cell is not None and str(cell).strip() != ""


def _row_errors(spec: Spec, values: dict) -> list[str]:
    errors = []
    start, end = values.get("published_on"), values.get("ends_on")
    if start and end and end < start:
        label = spec.column("ends_on").label
        errors.append(_("“%(end)s”早于“%(start)s”") % {"end": label, "start": spec.column("published_on").label})
    if start and start > timezone.localdate():
        errors.append(_("“%(column)s”不能晚于今天") % {"column": spec.column("published_on").label})
    return errors


def _key_part(value) -> str:
    return value.isoformat() if isinstance(value, date) else str(value)


def _existing_keys(page: RegisterPage, spec: Spec) -> set[tuple]:
    found = RegisterEntry.objects.filter(page=page, withdrawn_at__isnull=True).values_list(*spec.key)
    return {tuple(_key_part(value) for value in row) for row in found}


def _stored(values: dict) -> dict:
    """JSON-safe values for the preview batch."""
    return {
        k: (v.isoformat() if isinstance(v, date) else str(v) if isinstance(v, Decimal) else v)
        for k, v in values.items()
    }


def preview(page: RegisterPage, upload, user, issue: str = "") -> tuple[ImportBatch, list[Row]]:
    """Read ``upload`` for ``page`` and keep it as a batch awaiting confirmation."""
    rows = parse(page, read_table(upload))
    batch = ImportBatch.objects.create(
        page=page,
        issue=issue.strip()[:60],
        file_name=(upload.name or "")[:200],
        rows=[{"number": row.number, "values": _stored(row.values), "errors": row.errors} for row in rows],
        row_count=len(rows),
        created_by=user,
    )
    return batch, rows


def batch_rows(batch: ImportBatch) -> list[Row]:
    return [Row(item["number"], item["values"], item["errors"]) for item in batch.rows]


def bad_rows(batch: ImportBatch) -> list[Row]:
    return [row for row in batch_rows(batch) if row.errors]


def confirm(batch: ImportBatch, user) -> int:
    """Import every row of ``batch``: in one transaction, checked again against the register
    as it is now (someone may have imported the same rows meanwhile). Any refused row:
    nothing is saved and :class:`Refused` says how many."""
    with transaction.atomic():
        batch = ImportBatch.objects.select_for_update().select_related("page").get(pk=batch.pk)
        if batch.status != ImportBatch.Status.PREVIEW:
            raise Refused(_("这个文件已经处理过了。"))
        page = batch.page.specific
        spec = page.spec
        # Read again from the stored cells: the same checks as the preview, against today's register.
        table = [[str(c.label) for c in spec.columns]] + [
            ["" if row.values.get(c.field) is None else str(row.values[c.field]) for c in spec.columns]
            for row in batch_rows(batch)
        ]
        rows = parse(page, table)
        refused = [row for row in rows if row.errors]
        if refused:
            raise Refused(_("有 %(n)s 行不能导入，全部未导入。请修改后重新上传。") % {"n": len(refused)})
        today = timezone.localdate()
        entries = []
        for row in rows:
            values = {k: v for k, v in row.values.items() if v is not None}
            published = values.get("published_on") or today
            values.setdefault("published_on", published)
            values.setdefault("year", published.year)
            entries.append(RegisterEntry(page=page, batch=batch, issue=batch.issue, **values))
        RegisterEntry.objects.bulk_create(entries, batch_size=500)
        batch.status = ImportBatch.Status.IMPORTED
        batch.imported_at = timezone.now()
        batch.rows = []  # the entries hold the data now (identity numbers are not kept twice)
        batch.row_count = len(entries)
        batch.created_by = batch.created_by or user
        batch.save(update_fields=["status", "imported_at", "rows", "row_count", "created_by"])
        transaction.on_commit(lambda: purge_page(page))
    return len(entries)


def discard(batch: ImportBatch) -> None:
    if batch.status == ImportBatch.Status.PREVIEW:
        batch.status = ImportBatch.Status.DISCARDED
        batch.rows = []
        batch.save(update_fields=["status", "rows"])


def discard_stale_previews(hours: int = 24, now=None) -> int:
    """Discard the previews left unconfirmed for more than ``hours``: their parsed rows hold
    identity numbers that should not stay in the database once nobody is going to import them
    (``manage.py discard_import_previews``, daily). Returns how many were discarded."""
    cutoff = (now or timezone.now()) - timedelta(hours=hours)
    stale = ImportBatch.objects.filter(status=ImportBatch.Status.PREVIEW, created_at__lt=cutoff)
    return stale.update(status=ImportBatch.Status.DISCARDED, rows=[])


def withdraw(entry: RegisterEntry, user, reason: str) -> None:
    """撤销: the entry leaves the public list at once; it stays for the record."""
    reason = " ".join(reason.split())[:200]
    if not reason:
        raise Refused(_("请填写撤销原因。"))
    with transaction.atomic():
        entry = RegisterEntry.objects.select_for_update().get(pk=entry.pk)
        if entry.withdrawn_at is not None:
            raise Refused(_("这一条已经撤销。"))
        entry.withdrawn_at = timezone.now()
        entry.withdrawn_by = user
        entry.withdraw_reason = reason
        entry.save(update_fields=["withdrawn_at", "withdrawn_by", "withdraw_reason"])
        page = entry.page
        transaction.on_commit(lambda: purge_page(page))


def import_rows(page: RegisterPage, table: list[list], user=None, issue: str = "") -> int:
    """Preview and confirm in one step (the demo, tests): ``Refused`` when any row is bad."""
    rows = parse(page, table)
    if any(row.errors for row in rows):
        raise Refused("; ".join(f"{row.number}: {', '.join(row.errors)}" for row in rows if row.errors))
    batch = ImportBatch.objects.create(
        page=page,
        issue=issue,
        file_name="",
        rows=[{"number": row.number, "values": _stored(row.values), "errors": []} for row in rows],
        row_count=len(rows),
        created_by=user,
    )
    return confirm(batch, user)
