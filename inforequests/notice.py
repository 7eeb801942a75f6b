"""The 告知书 of a decided application: the decision, the articles of the 条例 it rests on and
the applicant's remedies, as an A4 PDF (reportlab, with its built-in CID font STSong-Light, so
no font file is needed; PDF readers show it in their own 宋体). ``paragraphs`` is the text, so
it can be read and tested without parsing the PDF."""

from __future__ import annotations

from dataclasses import dataclass
from xml.sax.saxutils import escape

from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Spacer

from portal.pdf import a4, cjk_font
from portal.permissions import site_full_name

from . import clock, queries
from .models import Application
from .outcomes import Outcome, basis

TITLE = "政府信息公开申请答复告知书"
REMEDIES = (
    "如对本答复不服，可以自收到本告知书之日起六十日内向上一级税务机关申请行政复议，"
    "或者自收到本告知书之日起六个月内依法向人民法院提起行政诉讼。"
)


@dataclass
class Notice:
    title: str
    number: str
    addressee: str
    paragraphs: list[str]
    issuer: str
    date: str


def _day(value) -> str:
    return f"{value.year}年{value.month}月{value.day}日"


def compose(application: Application) -> Notice:
    """The 告知书's text for a decided application."""
    info = f"“{application.info_title}”"
    if application.info_number:
        info += f"（{application.info_number}）"
    you = "您" if application.is_person else "你单位"
    paragraphs = [f"本机关于{_day(application.received_on)}收到{you}提出的政府信息公开申请，申请获取{info}。"]
    if application.clarified_on:
        paragraphs.append(
            f"经本机关告知补正，于{_day(application.clarified_on)}收到补正后的申请，答复期限自该日起重新计算。"
        )
    if application.extended:
        reason = queries.extension_reason(application)
        because = f"因{reason.rstrip('。')}，" if reason else ""
        paragraphs.append(f"{because}经本机关负责人同意，答复期限延长{clock.EXTENSION_WORKDAYS}个工作日，已告知{you}。")
    if application.third_party:
        paragraphs.append("本机关就该申请征求了第三方的意见，征求意见所需时间不计算在答复期限内。")
    paragraphs.append("经审查，现答复如下：")
    paragraphs += [line.strip() for line in application.decision_text.splitlines() if line.strip()]
    articles = basis(application.outcome, application.reason)
    decision = Outcome(application.outcome).label
    if application.reason:
        decision += f"（{application.get_reason_display()}）"
    if articles:
        paragraphs.append(
            f"根据《中华人民共和国政府信息公开条例》{articles}的规定，本机关对该申请的处理结果为：{decision}。"
        )
    else:
        paragraphs.append(f"本机关对该申请的处理结果为：{decision}。")
    paragraphs.append(REMEDIES)
    return Notice(
        title=TITLE,
        number=f"编号：{application.code}",
        addressee=f"{application.name}：",
        paragraphs=paragraphs,
        issuer=site_full_name(application.site),
        date=_day(application.decided_on),
    )


def render(application: Application) -> bytes:
    notice = compose(application)
    body = ParagraphStyle("body", fontName=cjk_font(), fontSize=14, leading=26, wordWrap="CJK", firstLineIndent=28)
    plain = ParagraphStyle("plain", parent=body, firstLineIndent=0)
    title = ParagraphStyle("title", parent=plain, fontSize=20, leading=30, alignment=TA_CENTER)
    right = ParagraphStyle("right", parent=plain, alignment=TA_RIGHT)
    centred = ParagraphStyle("centred", parent=plain, alignment=TA_CENTER, fontSize=12)
    story = [
        Paragraph(escape(notice.title), title),
        Paragraph(escape(notice.number), centred),
        Spacer(1, 8 * mm),
        Paragraph(escape(notice.addressee), plain),
        *[Paragraph(escape(text), body) for text in notice.paragraphs],
        Spacer(1, 12 * mm),
        Paragraph(escape(notice.issuer), right),
        Paragraph(escape(notice.date), right),
    ]
    return a4(story, title=notice.title, author=notice.issuer, margins_mm=(37, 26, 35, 28))
