"""The report as XLSX and PDF in the national layout: the same tables as the page (``tables.py``),
laid out as grids with merged cells, and the editor text of sections 一, 五 and 六.

``grids(page)`` gives every table as (caption, cells) where a cell is (row, column, text,
rowspan, colspan, header); the XLSX merges those spans, the PDF's tables SPAN them."""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from bs4 import BeautifulSoup
from django.http import HttpResponse
from django.utils.encoding import escape_uri_path
from django.utils.translation import gettext
from wagtail.rich_text import expand_db_html

from portal.pdf import FONT, a4, cjk_font

from . import layout, tables


def _place(rows: list[list[tuple]]) -> list[tuple]:
    """Cells given row by row as (text, rowspan, colspan, header), placed on the grid the way
    HTML places them (skipping positions covered by a span from above)."""
    taken, placed = set(), []
    for r, row in enumerate(rows):
        c = 0
        for text, rowspan, colspan, header in row:
            while (r, c) in taken:
                c += 1
            placed.append((r, c, str(text), rowspan, colspan, header))
            taken.update((r + i, c + j) for i in range(rowspan) for j in range(colspan))
            c += colspan
    return placed


def _h(text, rowspan=1, colspan=1):
    return (text, rowspan, colspan, True)


def _d(value):
    return (value, 1, 1, False)


def grids(page) -> list[tuple[str, str, list[tuple]]]:
    """(section heading, table caption, placed cells) of tables 二 (four items), 三 and 四."""
    report = tables.build(page)
    L = layout
    active = report["active"]
    out = [
        (
            L.SECTIONS["active"],
            L.POLICY_ITEM,
            _place(
                [[_h(L.ITEM_LABEL), *(_h(label) for _key, label in L.POLICY_COLUMNS)]]
                + [[_h(row["label"]), *(_d(cell["value"]) for cell in row["cells"])] for row in active["policy_rows"]]
            ),
        )
    ]
    for table in active["decisions"]:
        rows = [[_h(L.ITEM_LABEL), _h(L.DECISIONS_COLUMN)]]
        rows += [[_h(row["label"]), _d(row["cell"]["value"])] for row in table["rows"]]
        out.append(("", table["caption"], _place(rows)))
    out.append(
        ("", L.FEES_ITEM, _place([[_h(L.ITEM_LABEL), _h(L.FEES_COLUMN)], [_h(L.FEES_LABEL), _d(active["fees"])]]))
    )

    header = [
        [_h(L.BALANCE_NOTE, 3, 3), _h(L.APPLICANTS_LABEL, 1, 7)],
        [_h(L.APPLICANT_COLUMNS[0][1], 2), _h(L.ORGANISATIONS_LABEL, 1, 5), _h(dict(L.COLUMNS)[L.TOTAL], 2)],
        [_h(label) for _key, label in L.ORGANISATION_COLUMNS],
    ]
    body = []
    for row in report["requests"]:
        cells = []
        if row["group_span"]:
            cells.append(_h(row["row"].group, row["group_span"]))
        if row["subgroup_span"]:
            cells.append(_h(row["row"].subgroup, row["subgroup_span"]))
        cells.append(_h(row["row"].label, 1, row["label_span"]))
        cells += [_d(cell["value"]) for cell in row["cells"]]
        body.append(cells)
    out.append((L.SECTIONS["requests"], "", _place(header + body)))

    kinds = L.REVIEW_KINDS
    results = L.REVIEW_RESULTS
    review_rows = [
        [_h(kinds[0][1], 1, 5), _h(L.LAWSUITS_LABEL, 1, 10)],
        [*(_h(label, 2) for _key, label in results), _h(kinds[1][1], 1, 5), _h(kinds[2][1], 1, 5)],
        [_h(label) for _kind in kinds[1:] for _key, label in results],
        [_d(cell["value"]) for cell in report["reviews"]],
    ]
    out.append((L.SECTIONS["reviews"], "", _place(review_rows)))
    return out


def paragraphs(html: str) -> list[str]:
    soup = BeautifulSoup(expand_db_html(html or ""), "html.parser")
    found = [node.get_text(" ", strip=True) for node in soup.find_all(["p", "li", "h2", "h3", "h4", "caption"])]
    return [text for text in found if text] or ([soup.get_text(" ", strip=True)] if soup.get_text(strip=True) else [])


def sections(page) -> dict[str, list[str]]:
    """The editor text of sections 一, 五 and 六 as paragraphs."""
    return {
        "overview": paragraphs(str(page.body)),
        "problems": paragraphs(page.problems) or [gettext("无。")],
        "other": paragraphs(page.other_matters) or [gettext("无。")],
    }


def filename(page, extension: str) -> str:
    return f"{page.title}.{extension}"


def _attachment(content: bytes, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{escape_uri_path(name)}"
    return response


def _write_grid(sheet, row: int, cells: list[tuple], border, wrap) -> int:
    """Write placed cells (``_place``) from ``row`` on, merging spans; the next free row."""
    from openpyxl.styles import Font

    height = max(r + rowspan for r, _c, _t, rowspan, _cs, _h in cells)
    for r, c, value, rowspan, colspan, header in cells:
        target = sheet.cell(row + r, c + 1, int(value) if value.isdigit() else value)
        target.alignment = wrap
        if header:
            target.font = Font(bold=True)
        if rowspan > 1 or colspan > 1:
            sheet.merge_cells(
                start_row=row + r, start_column=c + 1, end_row=row + r + rowspan - 1, end_column=c + colspan
            )
        for i in range(rowspan):
            for j in range(colspan):
                sheet.cell(row + r + i, c + 1 + j).border = border
    return row + height + 1


def _styles():
    from openpyxl.styles import Alignment, Border, Side

    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    return border, Alignment(wrap_text=True, vertical="center", horizontal="center")


# ---- XLSX ---------------------------------------------------------------------------------
def xlsx(page) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    sheet = book.active
    sheet.title = str(page.year)
    border, wrap = _styles()
    left = Alignment(wrap_text=True, vertical="top")
    sheet.column_dimensions["A"].width = 18
    sheet.column_dimensions["B"].width = 18
    sheet.column_dimensions["C"].width = 36
    for letter in "DEFGHIJKLMNOPQ":
        sheet.column_dimensions[letter].width = 11
    row = 1
    sheet.cell(row, 1, page.title).font = Font(bold=True, size=14)
    row += 2
    text = sections(page)

    def section(heading, lines):
        nonlocal row
        sheet.cell(row, 1, str(heading)).font = Font(bold=True)
        row += 1
        for line in lines:
            sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=10)
            sheet.cell(row, 1, line).alignment = left
            sheet.row_dimensions[row].height = max(15, 15 * (len(line) // 60 + 1))
            row += 1
        row += 1

    section(layout.SECTIONS["overview"], text["overview"])
    for heading, caption, cells in grids(page):
        if heading:
            sheet.cell(row, 1, str(heading)).font = Font(bold=True)
            row += 1
        if caption:
            sheet.cell(row, 1, str(caption))
            row += 1
        row = _write_grid(sheet, row, cells, border, wrap)
    section(layout.SECTIONS["problems"], text["problems"])
    section(layout.SECTIONS["other"], text["other"])
    return _saved(book)


def _saved(book) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _xlsx_attachment(content: bytes, page) -> HttpResponse:
    return _attachment(
        content, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", filename(page, "xlsx")
    )


def xlsx_response(page) -> HttpResponse:
    return _xlsx_attachment(xlsx(page), page)


# ---- PDF ----------------------------------------------------------------------------------
def pdf(page) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_CENTER
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, Spacer, Table, TableStyle

    cjk_font()
    body = ParagraphStyle("body", fontName=FONT, fontSize=11, leading=19, wordWrap="CJK", firstLineIndent=22)
    heading = ParagraphStyle("heading", parent=body, fontSize=13, leading=22, firstLineIndent=0, spaceBefore=8)
    title = ParagraphStyle("title", parent=heading, fontSize=17, leading=26, alignment=TA_CENTER)
    cell = ParagraphStyle("cell", fontName=FONT, fontSize=7.5, leading=10, wordWrap="CJK", alignment=TA_CENTER)
    text = sections(page)
    story = [Paragraph(escape(page.title), title), Spacer(1, 4 * mm)]

    def section(name, lines):
        story.append(Paragraph(escape(str(layout.SECTIONS[name])), heading))
        story.extend(Paragraph(escape(line), body) for line in lines)

    section("overview", text["overview"])
    width = A4[0] - 40 * mm
    for heading_text, caption, cells in grids(page):
        if heading_text:
            story.append(Paragraph(escape(str(heading_text)), heading))
        if caption:
            story.append(Paragraph(escape(str(caption)), ParagraphStyle("caption", parent=body, firstLineIndent=0)))
        rows = max(r + rowspan for r, _c, _t, rowspan, _cs, _h in cells)
        columns = max(c + colspan for _r, c, _t, _rs, colspan, _h in cells)
        data = [["" for _ in range(columns)] for _ in range(rows)]
        style = [
            ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("FONTNAME", (0, 0), (-1, -1), FONT),
            ("FONTSIZE", (0, 0), (-1, -1), 7.5),
            ("ALIGN", (0, 0), (-1, -1), "CENTER"),
        ]
        for r, c, value, rowspan, colspan, _header in cells:
            data[r][c] = Paragraph(escape(value), cell)
            if rowspan > 1 or colspan > 1:
                style.append(("SPAN", (c, r), (c + colspan - 1, r + rowspan - 1)))
        if columns == 10:  # table 三: three columns of row headers, seven of figures
            widths = [18 * mm, 20 * mm, 55 * mm] + [(width - 93 * mm) / 7] * 7
        elif columns <= 4:
            widths = [width * 0.34] + [width * 0.66 / (columns - 1)] * (columns - 1)
        else:
            widths = [width / columns] * columns
        story.append(Table(data, colWidths=widths, style=TableStyle(style), repeatRows=0))
        story.append(Spacer(1, 3 * mm))
    section("problems", text["problems"])
    section("other", text["other"])
    return a4(story, title=page.title)


def pdf_response(page) -> HttpResponse:
    return _attachment(pdf(page), "application/pdf", filename(page, "pdf"))


def website_grid(page) -> list[tuple]:
    """The 政府网站工作年度报表 as placed cells: item headers spanning their rows, then the value."""
    sheet = tables.website(page)
    rows = [[_h(gettext("项目"), 1, 3), _h(gettext("填报内容"))]]
    for row in sheet["rows"]:
        cells = []
        if row["group_span"]:
            cells.append(_h(row["row"].group, row["group_span"]))
        if row["subgroup_span"]:
            cells.append(_h(row["row"].subgroup, row["subgroup_span"]))
        cells.append(_h(row["row"].label, 1, row["label_span"]))
        cells.append(_d(row["value"]))
        rows.append(cells)
    rows += [[_h(label, 1, 3), _d(value or "—")] for label, value in sheet["signatures"]]
    return _place(rows)


def website_xlsx(page) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = str(page.year)
    border, wrap = _styles()
    for letter, width in zip("ABCD", (14, 14, 40, 36), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.cell(1, 1, page.title).font = Font(bold=True, size=14)
    _write_grid(sheet, 3, website_grid(page), border, wrap)
    return _saved(book)


def website_xlsx_response(page) -> HttpResponse:
    return _xlsx_attachment(website_xlsx(page), page)
