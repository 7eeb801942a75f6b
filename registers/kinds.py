"""What each register holds: its columns in the order of the bureaus' published tables and of
the import template, how a spreadsheet cell becomes a value, which columns the public sees
(identity numbers only masked), what makes two rows the same entry, and whether an entry
leaves the public list when its publication period ends.

The five kinds (双公示 is two registers: 行政许可 and 行政处罚):

* 欠税公告 (《欠税公告办法》): 纳税人名称, 纳税人识别号, 法定代表人（负责人）姓名 and 身份证件号码,
  经营地点, 欠税税种, 欠税余额, 当期新发生欠税余额, 公告日期;
* 重大税收违法失信主体 (《重大税收违法失信主体信息公布管理办法》): the subject, its legal
  representative and 财务负责人 (names, masked numbers), the 中介机构 directly responsible,
  案件性质, 主要违法事实, 法律依据及处理处罚情况, 公布日期 and 公布截止日期; after that day the
  entry is no longer listed;
* A级纳税人名单: 纳税人识别号, 纳税人名称, 评价年度;
* 行政许可 and 行政处罚 (双公示, 7 working days after the decision): 行政相对人名称, 统一社会信用
  代码, 决定文书号, 类别, 内容, 决定日期, 有效期至 or 公示截止日期, 机关. A penalty leaves the
  list after its 公示截止日期 (信用修复).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.db import models
from django.utils.translation import gettext_lazy as _

from . import identifiers


class Kind(models.TextChoices):
    ARREARS = "arrears", _("欠税公告")
    VIOLATIONS = "violations", _("重大税收违法失信主体")
    A_GRADE = "a_grade", _("A级纳税人名单")
    LICENCES = "licences", _("行政许可（双公示）")
    PENALTIES = "penalties", _("行政处罚（双公示）")


class CellError(ValueError):
    """A cell that cannot be read; the message says why, for staff."""


# Cell types: how a spreadsheet cell is read (``read_cell``).
TEXT, LONG_TEXT, DATE, MONEY, YEAR, TAXPAYER, ID_NUMBER = "text", "long", "date", "money", "year", "taxpayer", "id"


@dataclass(frozen=True)
class Column:
    field: str
    label: str  # the column's header in the template and the public table (Chinese; translated on pages)
    type: str = TEXT
    required: bool = True
    public: bool = True  # shown on the public page and in its export (ID_NUMBER columns masked)
    max_length: int = 200


@dataclass(frozen=True)
class Spec:
    kind: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]  # what makes two rows the same entry
    expires: bool = False  # ends_on ends the publication: the entry leaves the public list after it
    genre: str = "announcement"  # the 体裁 of its 信息索引 (disclosure.models.Genre)
    listed: tuple[str, ...] = field(default=())  # the columns of the public table (all public ones when empty)

    def column(self, name: str) -> Column | None:
        return next((c for c in self.columns if c.field == name), None)

    @property
    def public_columns(self) -> tuple[Column, ...]:
        return tuple(c for c in self.columns if c.public)


NAME = Column("name", _("纳税人名称"))
NUMBER = Column("taxpayer_number", _("纳税人识别号"), TAXPAYER, max_length=20)
SUBJECT = Column("name", _("行政相对人名称"))
SUBJECT_NUMBER = Column("taxpayer_number", _("统一社会信用代码"), TAXPAYER, max_length=20)
REPRESENTATIVE = Column("person_name", _("法定代表人"), required=False, max_length=50)  # of a 双公示 subject

SPECS = {
    Kind.ARREARS: Spec(
        Kind.ARREARS,
        (
            NAME,
            NUMBER,
            Column("person_name", _("法定代表人（负责人）姓名"), max_length=50),
            Column("person_id_number", _("身份证件号码"), ID_NUMBER, required=False, max_length=30),
            Column("address", _("经营地点")),
            Column("tax_type", _("欠税税种"), max_length=100),
            Column("amount", _("欠税余额（元）"), MONEY),
            Column("new_amount", _("当期新发生欠税余额（元）"), MONEY, required=False),
            Column("published_on", _("公告日期"), DATE),
        ),
        key=("taxpayer_number", "tax_type", "published_on"),
    ),
    Kind.VIOLATIONS: Spec(
        Kind.VIOLATIONS,
        (
            NAME,
            NUMBER,
            Column("address", _("注册地址")),
            Column("person_name", _("法定代表人或者负责人姓名"), max_length=50),
            Column("person_id_number", _("法定代表人或者负责人身份证件号码"), ID_NUMBER, required=False, max_length=30),
            Column("finance_name", _("负有直接责任的财务负责人姓名"), required=False, max_length=50),
            Column("finance_id_number", _("财务负责人身份证件号码"), ID_NUMBER, required=False, max_length=30),
            Column("agency", _("负有直接责任的中介机构信息"), required=False),
            Column("case_nature", _("案件性质"), max_length=100),
            Column("facts", _("主要违法事实"), LONG_TEXT, max_length=2000),
            Column("penalty", _("相关法律依据及税务处理处罚情况"), LONG_TEXT, max_length=2000),
            Column("published_on", _("公布日期"), DATE),
            Column("ends_on", _("公布截止日期"), DATE),
        ),
        key=("taxpayer_number", "published_on"),
        expires=True,
    ),
    Kind.A_GRADE: Spec(
        Kind.A_GRADE,
        (NUMBER, NAME, Column("year", _("评价年度"), YEAR)),
        key=("taxpayer_number", "year"),
    ),
    Kind.LICENCES: Spec(
        Kind.LICENCES,
        (
            SUBJECT,
            SUBJECT_NUMBER,
            REPRESENTATIVE,
            Column("document_number", _("行政许可决定文书号"), max_length=100),
            Column("category", _("许可类别"), max_length=50),
            Column("content", _("许可内容"), LONG_TEXT, max_length=2000),
            Column("published_on", _("许可决定日期"), DATE),
            Column("ends_on", _("有效期至"), DATE, required=False),
            Column("authority", _("许可机关")),
        ),
        key=("document_number",),
        genre="publicity",
    ),
    Kind.PENALTIES: Spec(
        Kind.PENALTIES,
        (
            SUBJECT,
            SUBJECT_NUMBER,
            REPRESENTATIVE,
            Column("document_number", _("行政处罚决定书文号"), max_length=100),
            Column("case_nature", _("违法行为类型"), max_length=100),
            Column("facts", _("违法事实"), LONG_TEXT, max_length=2000),
            Column("penalty", _("处罚依据"), LONG_TEXT, max_length=2000),
            Column("category", _("处罚类别"), max_length=50),
            Column("content", _("处罚内容"), LONG_TEXT, max_length=2000),
            Column("amount", _("罚款金额（元）"), MONEY, required=False),
            Column("published_on", _("处罚决定日期"), DATE),
            Column("ends_on", _("公示截止日期"), DATE, required=False),
            Column("authority", _("处罚机关")),
        ),
        key=("document_number",),
        expires=True,
        genre="publicity",
    ),
}

DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y%m%d", "%Y年%m月%d日")


def read_cell(column: Column, raw):
    """The value of one cell for ``column`` (None when empty), or :class:`CellError`."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        if column.required:
            raise CellError(_("“%(column)s”不能为空") % {"column": column.label})
        return None
    if column.type == DATE:
        if isinstance(raw, datetime):
            return raw.date()
        if isinstance(raw, date):
            return raw
        text = str(raw).strip()
        for pattern in DATE_FORMATS:
            try:
                return datetime.strptime(text, pattern).date()
            except ValueError:
                continue
        raise CellError(
            _("“%(column)s”不是有效日期（请写成 2025-06-30）：%(value)s") % {"column": column.label, "value": text}
        )
    if column.type == MONEY:
        text = str(raw).strip().replace(",", "").replace("，", "")
        try:
            value = Decimal(text).quantize(Decimal("0.01"))
        except (InvalidOperation, ValueError):
            raise CellError(_("“%(column)s”不是金额：%(value)s") % {"column": column.label, "value": text}) from None
        if value < 0 or value >= Decimal("1e12"):
            raise CellError(_("“%(column)s”超出范围：%(value)s") % {"column": column.label, "value": text})
        return value
    if column.type == YEAR:
        text = str(raw).strip().removesuffix("年度").removesuffix("年").removesuffix(".0")
        if not (text.isdigit() and len(text) == 4 and 2000 <= int(text) <= date.today().year):
            raise CellError(_("“%(column)s”不是有效年度：%(value)s") % {"column": column.label, "value": raw})
        return int(text)
    text = " ".join(str(raw).split()) if column.type != LONG_TEXT else str(raw).strip()
    if isinstance(raw, float) and raw.is_integer():  # a number typed into a text cell
        text = str(int(raw))
    if column.type == TAXPAYER:
        text = identifiers.normalise(text)
        problem = identifiers.taxpayer_number_error(text)
        if problem == "check":
            raise CellError(_("“%(column)s”校验位不正确：%(value)s") % {"column": column.label, "value": text})
        if problem:
            raise CellError(
                _("“%(column)s”应为 15、18 或 20 位字母和数字：%(value)s") % {"column": column.label, "value": text}
            )
        return text
    if column.type == ID_NUMBER:
        text = identifiers.normalise(text)
        if len(text) == 18 and text[:17].isdigit() and not identifiers.valid_id_card(text):
            raise CellError(_("“%(column)s”不是有效的居民身份证号码") % {"column": column.label})
        if not (6 <= len(text) <= column.max_length and text.replace("-", "").isalnum()):
            raise CellError(_("“%(column)s”不是有效的证件号码") % {"column": column.label})
        return text
    if len(text) > column.max_length:
        raise CellError(_("“%(column)s”超过 %(max)s 个字") % {"column": column.label, "max": column.max_length})
    return text
