"""Demo consultations and surveys on the main site, under 互动交流 (/hdjl/yjzj/, /hdjl/wsdc/).

Dates are relative to the day the demo is loaded, so the open consultation and the open
survey are open, and the closed ones closed. Like the rest of the loader, everything is
created only when missing: comments and responses only for a page that has none.
Everything here is fictional."""

from __future__ import annotations

import json
import uuid
from datetime import datetime, time, timedelta

from django.utils import timezone
from django.utils.html import escape

from .models import (
    Comment,
    ConsultationDocument,
    ConsultationIndexPage,
    ConsultationPage,
    SurveyAnswer,
    SurveyIndexPage,
    SurveyPage,
    SurveyResponse,
)

DEPARTMENT = "国家税务总局示例省税务局纳税服务处"


def html(*paragraphs: str) -> str:
    return "".join(f"<p>{escape(paragraph)}</p>" for paragraph in paragraphs)


def listing(*items: str) -> str:
    return "<ol>" + "".join(f"<li>{escape(item)}</li>" for item in items) + "</ol>"


CONSULTATIONS = [
    {
        "slug": "nsjf-fwgf-2026",
        "title": "关于征求《国家税务总局示例省税务局纳税缴费服务规范（征求意见稿）》意见的公告",
        "opens": -10,
        "closes": 30,
        "summary": (
            "为进一步规范全省纳税缴费服务，提升办税缴费便利度，我局起草了《国家税务总局示例省税务局纳税缴费"
            "服务规范（征求意见稿）》，现向社会公开征求意见。欢迎纳税人、缴费人、涉税专业服务机构和社会各界"
            "提出修改意见和建议。"
        ),
        "body": [
            ("heading", "主要内容"),
            (
                "paragraph",
                "征求意见稿共六章三十二条，包括总则、办税缴费渠道、服务时限、咨询与投诉、特殊群体服务和监督考核。"
                "与现行做法相比，主要调整是：办税服务厅对非接触式办理的事项提供“一次告知、限时办结”；"
                "对老年人、残疾人等特殊群体提供预约上门、绿色通道和远程帮办；12366 热线的答复时限由 3 个工作日"
                "缩短为 2 个工作日。",
            ),
            ("heading", "提出意见的方式"),
            (
                "paragraph",
                "请在本页“我要提意见”中在线提交，写明针对的条款、修改建议和理由。意见经审核后公开，不显示提交人的"
                "姓名和联系方式。征集结束后，我们将在本页公布意见采纳情况。",
            ),
        ],
        "how_to_comment": html(
            "信函：寄至示例市东湖区税务路 1 号国家税务总局示例省税务局纳税服务处（邮编 100000），"
            "请在信封上注明“纳税缴费服务规范意见”。",
            "电子邮件：nsfw-yj@tax-shili.example。",
        ),
        "documents": [
            (
                "纳税缴费服务规范（征求意见稿）",
                "pdf",
                [
                    "第一条 为规范纳税缴费服务，保障纳税人、缴费人合法权益，制定本规范。",
                    "第二条 本规范适用于全省各级税务机关提供的办税缴费服务。",
                    "第九条 办税服务厅对可以网上办理的事项，应当告知纳税人网上办理渠道，并提供帮办服务。",
                    "第十五条 12366 纳税缴费服务热线对需要转办的咨询，应当在 2 个工作日内答复。",
                    "第二十一条 对老年人、残疾人等特殊群体，提供预约上门、绿色通道和远程帮办服务。",
                ],
            ),
            (
                "《纳税缴费服务规范（征求意见稿）》起草说明",
                "docx",
                [
                    "一、起草背景：近年来全省非接触式办税比例已超过九成，原有服务规范需要相应调整。",
                    "二、起草过程：在甲市、乙市开展调研，召开纳税人座谈会 4 场，征求了基层税务机关意见。",
                    "三、主要内容：规范办税渠道、服务时限、咨询投诉处理和特殊群体服务。",
                ],
            ),
        ],
        "comments": [
            (
                "approved",
                "建议第十五条的 2 个工作日答复时限同样适用于电子税务局“征纳互动”中的留言咨询，"
                "目前网上留言的答复时间不太确定。",
                "陈**",
                "",
                3,
            ),
            (
                "approved",
                "第二十一条提到的预约上门服务，建议写明预约渠道（电话、App 还是电子税务局）以及预约后多长时间内"
                "上门，方便行动不便的老年人家属替他们安排。",
                "东湖区某社区工作人员",
                "",
                4,
            ),
            (
                "approved",
                "希望办税服务厅在申报期延长服务时间的安排能提前一周在网站和公众号上公布，"
                "企业财务人员可以提前规划，避免集中到最后两天办理。",
                "",
                "",
                6,
            ),
            (
                "pending",
                "建议第九条增加：帮办服务中需要纳税人提供账号密码的，应当由纳税人本人输入，工作人员不得代为保存。",
                "李明华",
                "13800000000",
                8,
            ),
            (
                "pending",
                "小微企业首次办理跨区域涉税事项时流程不熟悉，建议规范中增加“首次办理辅导”的内容。",
                "乙市某商贸公司",
                "finance@shangmao.example",
                9,
            ),
            ("rejected", "我想咨询一下个人所得税汇算清缴退税什么时候到账？", "王某", "wang@example.com", 5),
        ],
    },
    {
        "slug": "sszyfw-xypj-2026",
        "title": "关于征求《示例省涉税专业服务机构信用评价管理办法（征求意见稿）》意见的公告",
        "opens": -95,
        "closes": -65,
        "summary": (
            "为规范涉税专业服务机构信用评价工作，我局起草了《示例省涉税专业服务机构信用评价管理办法"
            "（征求意见稿）》，向社会公开征求意见。征集已结束，意见采纳情况见本页。"
        ),
        "body": [
            ("heading", "主要内容"),
            (
                "paragraph",
                "征求意见稿明确了信用评价的对象、指标、等级（TSC5 至 TSC1 五级）、评价程序、结果公开和"
                "异议处理，并对评价结果的应用作了规定。",
            ),
        ],
        "how_to_comment": "",
        "documents": [
            (
                "涉税专业服务机构信用评价管理办法（征求意见稿）",
                "pdf",
                [
                    "第一条 为加强涉税专业服务机构信用管理，促进行业健康发展，制定本办法。",
                    "第六条 信用评价实行积分制，按年度评价，结果分为 TSC5、TSC4、TSC3、TSC2、TSC1 五级。",
                    "第十二条 涉税专业服务机构对评价结果有异议的，可以在结果公布之日起 15 日内提出复核申请。",
                ],
            ),
        ],
        "comments": [
            (
                "approved",
                "建议第十二条的复核申请期限由 15 日延长为 30 日，机构收集证明材料需要一定时间。",
                "甲市某税务师事务所",
                "",
                5,
            ),
            (
                "approved",
                "建议明确信用评价结果在示例省税务局网站公开的具体栏目和公开期限。",
                "",
                "",
                9,
            ),
            (
                "approved",
                "希望对新设立不满一年的机构设置过渡期，不直接评为较低等级。",
                "乙市某会计服务公司",
                "",
                14,
            ),
            (
                "approved",
                "建议将机构参与纳税人满意度调查的结果纳入评价指标。",
                "",
                "",
                20,
            ),
            ("rejected", "我们公司代理记账，怎样才能评上 TSC5 级？请电话联系我。", "赵先生", "13900000000", 22),
        ],
        "offline_count": 7,
        "outcome_summary": html(
            "征集期间，共收到意见 12 条，其中网站在线提交 5 条，信函和电子邮件 7 条。经逐条研究，"
            "采纳或部分采纳 4 条，未采纳 3 条，其余 5 条为咨询或与本办法无关，已另行答复。"
            "修改后的《示例省涉税专业服务机构信用评价管理办法》已于本年度正式印发。"
        ),
        "adopted": listing(
            "复核申请期限由 15 日延长为 30 日（第十二条）。",
            "明确评价结果在本局网站“纳税服务”栏目公开，公开期为一年（第十四条）。",
            "新设立不满一年的机构不参加当年评价，标注为“新设立”（第八条）。",
            "增加“纳税人满意度”加分指标（附件评价指标表）。",
        ),
        "not_adopted": listing(
            "关于取消 TSC1 级的建议：TSC1 级对应严重失信行为，是国家统一的评价等级，本办法不作调整。",
            "关于评价结果不对外公开的建议：信用评价结果公开是国家规定的要求，有利于纳税人选择服务机构。",
            "关于按季度评价的建议：季度评价的数据不完整，仍按年度评价，评价期间可以申请动态调整。",
        ),
        "outcome_days_after_close": 20,
    },
]

SURVEYS = [
    {
        "slug": "nsrmyd-2026",
        "title": "2026年纳税人满意度调查",
        "opens": -7,
        "closes": 45,
        "intro": (
            "为了解纳税人、缴费人对我省税务部门办税缴费服务的评价和需求，我们开展 2026 年纳税人满意度调查。"
            "问卷约需 3 分钟，不收集姓名、电话等个人信息。"
        ),
        "questions": [
            ("single", "您的身份是？", True, ["企业办税人员", "个体工商户", "自然人纳税人", "涉税专业服务人员"]),
            (
                "multiple",
                "您最近一年使用过哪些办税缴费渠道？",
                True,
                ["电子税务局", "个人所得税App", "办税服务厅", "12366 纳税缴费服务热线", "自助办税终端"],
            ),
            ("rating", "您对税务部门办税缴费服务的总体满意程度", True, None),
            ("rating", "您对电子税务局操作便利程度的评价", False, None),
            ("text", "您对改进纳税缴费服务还有哪些意见和建议？", False, None),
        ],
    },
    {
        "slug": "chunfeng-2026",
        "title": "2026年“便民办税春风行动”网上调查",
        "opens": -130,
        "closes": -100,
        "intro": (
            "今年“便民办税春风行动”推出了 5 类 16 项便民措施。本次调查了解纳税人对措施的知晓情况和效果评价，"
            "结果用于改进下一阶段工作。"
        ),
        "questions": [
            ("single", "您的身份是？", True, ["企业办税人员", "个体工商户", "自然人纳税人", "涉税专业服务人员"]),
            (
                "multiple",
                "您最近一年使用过哪些办税缴费渠道？",
                True,
                ["电子税务局", "个人所得税App", "办税服务厅", "12366 纳税缴费服务热线", "自助办税终端"],
            ),
            ("rating", "您对“便民办税春风行动”措施效果的评价", True, None),
            ("text", "您还希望增加哪些便民措施？", False, None),
        ],
        "responses": 40,
    },
]

# Free-text answers of the closed survey (shown only in the admin, never on a public page).
CLOSED_SURVEY_TEXTS = [
    "希望电子税务局的发票查验能支持批量导入，月底核对进项发票太费时间。",
    "办税服务厅叫号屏能否同步到手机上，排队时可以先去办别的事。",
    "个人所得税App专项附加扣除填报时，赡养老人的说明能再通俗一点。",
    "建议12366热线在申报期增加人工坐席，高峰期等待时间较长。",
    "自助办税终端能否增加打印完税证明的功能，方便老年人使用。",
    "希望乙市东湖区办税服务厅周六也能开放半天。",
]


def block_id(slug: str, number: int) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"participation-demo/{slug}/{number}"))


def question_stream(slug: str, questions) -> str:
    stream = []
    for number, (kind, text, required, options) in enumerate(questions, start=1):
        value = {"question": text, "required": required, "help_text": ""}
        if kind in ("single", "multiple"):
            value["options"] = options
        elif kind == "rating":
            value.update({"low_label": "很不满意", "high_label": "非常满意"})
        stream.append({"type": kind, "value": value, "id": block_id(slug, number)})
    return json.dumps(stream, ensure_ascii=False)


def closed_survey_answers(index: int) -> dict[int, list[str] | str]:
    """The answers of demo response ``index`` (0–39) to the closed survey: 18 企业办税人员,
    8 个体工商户, 10 自然人纳税人, 4 涉税专业服务人员; 电子税务局 36, 个人所得税App 20,
    办税服务厅 10, 12366 8, 自助办税终端 6 (every response ticks at least one); ratings 5×22, 4×11, 3×4, 2×2, 1×1."""
    identity = (
        "企业办税人员"
        if index < 18
        else "个体工商户"
        if index < 26
        else "自然人纳税人"
        if index < 36
        else "涉税专业服务人员"
    )
    channels = [
        name
        for name, used in (
            ("电子税务局", index % 10 != 9),
            ("个人所得税App", index % 2 == 0),
            ("办税服务厅", index % 4 == 1),
            ("12366 纳税缴费服务热线", index % 5 == 2),
            ("自助办税终端", index % 8 == 3 or index == 39),
        )
        if used
    ]
    rating = "5" if index < 22 else "4" if index < 33 else "3" if index < 37 else "2" if index < 39 else "1"
    answers: dict[int, list[str] | str] = {1: [identity], 2: channels, 3: [rating]}
    if index % 7 == 0 and index // 7 < len(CLOSED_SURVEY_TEXTS):
        answers[4] = CLOSED_SURVEY_TEXTS[index // 7]
    return answers


class ParticipationLoader:
    def __init__(self, loader):
        self.loader = loader
        self.today = timezone.localdate()

    def at(self, days: int, hour: int = 9):
        return timezone.make_aware(datetime.combine(self.today + timedelta(days=days), time(hour, 0)))

    def run(self, site_key: str, home, collection, issuer: str) -> None:
        if site_key != "main":
            return
        hdjl = self.loader.child(home, "hdjl")
        if hdjl is None:
            return
        consultations = self.loader.add_page(
            hdjl,
            ConsultationIndexPage(
                title="意见征集",
                slug="yjzj",
                intro="政策文件和服务规范在出台前向社会公开征求意见；征集结束后公布意见采纳情况。",
                search_description="政策文件、服务规范征求意见稿公开征求意见，征集结束后公布采纳情况。",
            ),
        )
        surveys = self.loader.add_page(
            hdjl,
            SurveyIndexPage(
                title="网上调查",
                slug="wsdc",
                intro="参加纳税人满意度调查和专题调查，帮助我们改进办税缴费服务。调查结束后公布统计结果。",
                search_description="纳税人满意度调查和专题网上调查，调查结束后公布结果。",
            ),
        )
        for spec in CONSULTATIONS:
            self.consultation(consultations, spec, collection, issuer)
        for spec in SURVEYS:
            self.survey(surveys, spec)

    def consultation(self, index, spec: dict, collection, issuer: str) -> None:
        page = self.loader.child(index, spec["slug"])
        if page is None:
            body = []
            for kind, text in spec["body"]:
                if kind == "heading":
                    body.append({"type": "heading", "value": {"text": text, "level": "h2"}})
                else:
                    body.append({"type": "paragraph", "value": f"<p>{escape(text)}</p>"})
            closes_at = self.at(spec["closes"], 17)
            outcome_days = spec.get("outcome_days_after_close")
            page = ConsultationPage(
                title=spec["title"],
                slug=spec["slug"],
                summary=spec["summary"],
                department=DEPARTMENT,
                opens_at=self.at(spec["opens"]),
                closes_at=closes_at,
                body=json.dumps(body, ensure_ascii=False),
                how_to_comment=spec["how_to_comment"],
                offline_count=spec.get("offline_count", 0),
                outcome_summary=spec.get("outcome_summary", ""),
                adopted=spec.get("adopted", ""),
                not_adopted=spec.get("not_adopted", ""),
                outcome_date=(closes_at + timedelta(days=outcome_days)).date() if outcome_days else None,
                documents=[
                    ConsultationDocument(
                        document=self.loader.generated_document(
                            title, fmt, paragraphs, collection, issuer, f"demo-{spec['slug']}-{number}"
                        )
                    )
                    for number, (title, fmt, paragraphs) in enumerate(spec["documents"], start=1)
                ],
            )
            page = self.loader.add_page(index, page, first_published_at=page.opens_at)
        if page.comments.exists():
            return
        for status, content, name, contact, day in spec["comments"]:
            created = self.at(spec["opens"] + day, 10)
            Comment.objects.create(
                page=page,
                name=name,
                contact=contact,
                content=content,
                status=status,
                created_at=created,
                moderated_at=None if status == "pending" else created + timedelta(days=1),
            )
        self.loader.note(f"comments on {page.title}")

    def survey(self, index, spec: dict) -> None:
        page = self.loader.child(index, spec["slug"])
        if page is None:
            page = self.loader.add_page(
                index,
                SurveyPage(
                    title=spec["title"],
                    slug=spec["slug"],
                    intro=spec["intro"],
                    department=DEPARTMENT,
                    opens_at=self.at(spec["opens"]),
                    closes_at=self.at(spec["closes"], 17),
                    questions=question_stream(spec["slug"], spec["questions"]),
                    results_public=True,
                ),
                first_published_at=self.at(spec["opens"]),
            )
        if not spec.get("responses") or page.responses.exists():
            return
        ids = {number: block_id(spec["slug"], number) for number in range(1, len(spec["questions"]) + 1)}
        answers = []
        for number in range(spec["responses"]):
            response = SurveyResponse.objects.create(
                page=page, created_at=self.at(spec["opens"] + number % 28, 8 + number % 10)
            )
            for question, value in closed_survey_answers(number).items():
                if isinstance(value, str):
                    answers.append(SurveyAnswer(response=response, question=ids[question], text=value))
                else:
                    answers += [SurveyAnswer(response=response, question=ids[question], choice=c) for c in value]
        SurveyAnswer.objects.bulk_create(answers)
        self.loader.note(f"{spec['responses']} responses to {page.title}")
