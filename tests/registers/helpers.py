"""Registers of the demo and spreadsheets to upload."""

import csv
import io
from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from inforequests.forms import id_card_check_digit
from registers.identifiers import credit_check_character
from registers.kinds import SPECS
from registers.models import RegisterEntry, RegisterPage
from tests.helpers import site_of


def register(kind: str, site: str = "main") -> RegisterPage:
    return RegisterPage.objects.descendant_of(site_of(site).root_page).get(kind=kind)


def credit_code(serial: int) -> str:
    first17 = f"91990000MB{serial:07d}"
    return first17 + credit_check_character(first17)


def id_card(first17: str = "99000119800101001") -> str:
    return first17 + id_card_check_digit(first17)


def arrears_row(**values) -> dict:
    row = {
        "纳税人名称": "示例省测试商贸有限公司",
        "纳税人识别号": credit_code(1),
        "法定代表人（负责人）姓名": "测某人",
        "身份证件号码": id_card(),
        "经营地点": "省会市测试路1号",
        "欠税税种": "增值税",
        "欠税余额（元）": "12345.60",
        "当期新发生欠税余额（元）": "0",
        "公告日期": "2025-06-30",
    }
    row.update(values)
    return row


def table(kind: str, rows: list[dict]) -> list[list]:
    header = [str(column.label) for column in SPECS[kind].columns]
    return [header] + [[row.get(name, "") for name in header] for row in rows]


def xlsx_upload(kind: str, rows: list[dict], name: str = "名录.xlsx") -> SimpleUploadedFile:
    workbook = Workbook()
    for row in table(kind, rows):
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def csv_upload(kind: str, rows: list[dict], name: str = "名录.csv", encoding: str = "utf-8-sig") -> SimpleUploadedFile:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(table(kind, rows))
    return SimpleUploadedFile(name, buffer.getvalue().encode(encoding))


def entry(page: RegisterPage, **values) -> RegisterEntry:
    published = values.pop("published_on", date(2025, 6, 30))
    fields = {"name": "示例省测试有限公司", "taxpayer_number": credit_code(9), "year": published.year}
    fields.update(values)
    return RegisterEntry.objects.create(page=page, published_on=published, **fields)
