"""The national format of the 政府信息公开工作年度报告 (国办公开办函〔2021〕30号): the rows and
columns of its tables 二, 三 and 四, in the format's order and wording. The HTML page, the staff
panel, the XLSX and the PDF are all drawn from these, so they cannot disagree."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from inforequests.models import ApplicantType, Review
from inforequests.outcomes import REASONS, Outcome


@dataclass(frozen=True)
class Row:
    key: str
    label: str
    group: str = ""  # the row header spanning several rows (三、本年度办理结果)
    subgroup: str = ""  # the one below it ((三)不予公开)


# Table 二: 主动公开政府信息情况, one small table per item of article 20.
POLICY_KINDS = (("rules", _("规章")), ("normative", _("行政规范性文件")))
POLICY_COLUMNS = (("issued", _("本年制发件数")), ("repealed", _("本年废止件数")), ("in_force", _("现行有效件数")))
DECISION_ITEMS = (
    ("licences", _("第二十条第（五）项"), ((("licences", _("行政许可")),))),
    ("penalties", _("第二十条第（六）项"), (("penalties", _("行政处罚")), ("enforcement", _("行政强制")))),
)
FEES_ITEM = _("第二十条第（八）项")
FEES_LABEL = _("行政事业性收费")
FEES_COLUMN = _("本年收费金额（单位：万元）")
ITEM_LABEL = _("信息内容")
DECISIONS_COLUMN = _("本年处理决定数量")
POLICY_ITEM = _("第二十条第（一）项")


# Table 三: 收到和处理政府信息公开申请情况.
APPLICANT_COLUMNS = tuple((value, label) for value, label in ApplicantType.choices)
ORGANISATION_COLUMNS = APPLICANT_COLUMNS[1:]
TOTAL = "total"
COLUMNS = (*APPLICANT_COLUMNS, (TOTAL, _("总计")))
ORGANISATIONS_LABEL = _("法人或其他组织")
APPLICANTS_LABEL = _("申请人情况")
BALANCE_NOTE = _("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）")
RESULTS_LABEL = _("三、本年度办理结果")

SUBGROUPS = (
    (Outcome.WITHHELD, _("（三）不予公开")),
    (Outcome.UNAVAILABLE, _("（四）无法提供")),
    (Outcome.NOT_PROCESSED, _("（五）不予处理")),
    (Outcome.OTHER, _("（六）其他处理")),
)
PARTIAL_LABEL = _("（二）部分公开（区分处理的，只计这一情形，不计其他情形）")


def _result_rows() -> list[Row]:
    rows = [
        Row(Outcome.DISCLOSED, _("（一）予以公开"), RESULTS_LABEL),
        Row(Outcome.PARTIAL, PARTIAL_LABEL, RESULTS_LABEL),
    ]
    for outcome, subgroup in SUBGROUPS:
        for position, reason in enumerate(REASONS[outcome], 1):
            label = format_lazy(_("{number}.{label}"), number=position, label=reason.label)
            rows.append(Row(f"{outcome}:{reason}", label, RESULTS_LABEL, subgroup))
    rows.append(Row("decided", _("（七）总计"), RESULTS_LABEL))
    return rows


REQUEST_ROWS = (
    Row("new", _("一、本年新收政府信息公开申请数量")),
    Row("carried", _("二、上年结转政府信息公开申请数量")),
    *_result_rows(),
    Row("open", _("四、结转下年度继续办理")),
)
REQUEST_ROW_KEYS = tuple(row.key for row in REQUEST_ROWS)


def result_key(outcome: str, reason: str) -> str:
    """The row of table 三 a decision is counted in."""
    return outcome if outcome in (Outcome.DISCLOSED, Outcome.PARTIAL) else f"{outcome}:{reason}"


# Table 四: 政府信息公开行政复议、行政诉讼情况.
REVIEW_KINDS = (
    (Review.Kind.RECONSIDERATION, _("行政复议")),
    (Review.Kind.LAWSUIT, _("未经复议直接起诉")),
    (Review.Kind.LAWSUIT_AFTER, _("复议后起诉")),
)
LAWSUITS_LABEL = _("行政诉讼")
REVIEW_RESULTS = (*((value, label) for value, label in Review.Result.choices), (TOTAL, _("总计")))

SECTIONS = {
    "overview": _("一、总体情况"),
    "active": _("二、主动公开政府信息情况"),
    "requests": _("三、收到和处理政府信息公开申请情况"),
    "reviews": _("四、政府信息公开行政复议、行政诉讼情况"),
    "problems": _("五、存在的主要问题及改进情况"),
    "other": _("六、其他需要报告的事项"),
}


def header_spans(rows=REQUEST_ROWS) -> list[dict]:
    """Each row of table 三 with the header cells that start on it: the group cell (rowspan over
    its rows), the subgroup cell, and how many columns the row's own header spans."""
    out = []
    for index, row in enumerate(rows):
        previous = rows[index - 1] if index else None
        group_span = sum(1 for other in rows if other.group == row.group) if row.group else 0
        subgroup_span = sum(1 for other in rows if other.subgroup == row.subgroup) if row.subgroup else 0
        out.append(
            {
                "row": row,
                "group_span": group_span if row.group and (previous is None or previous.group != row.group) else 0,
                "subgroup_span": subgroup_span
                if row.subgroup and (previous is None or previous.subgroup != row.subgroup)
                else 0,
                "label_span": 3 - bool(row.group) - bool(row.subgroup),
            }
        )
    return out


def figure_label(table: str, key: str) -> str:
    """What one figure of a report is, in the format's words ("三、本年度办理结果 / （一）予以公开 /
    自然人"); empty for a key that names no figure."""
    row, _sep, column = key.partition("|")
    if table == "requests":
        found = next((item for item in REQUEST_ROWS if item.key == row), None)
        rows = [found.group, found.subgroup, found.label] if found else []
        parts = [*rows, dict(COLUMNS).get(column)] if rows else []
    elif table == "reviews":
        parts = [dict(REVIEW_KINDS).get(row), dict(REVIEW_RESULTS).get(column)]
    elif table == "active":
        parts = [dict(POLICY_KINDS).get(row), dict(POLICY_COLUMNS).get(column)]
    else:
        parts = []
    if not parts or not all(parts[-2:]):
        return ""
    return " / ".join(str(part) for part in parts if part)
