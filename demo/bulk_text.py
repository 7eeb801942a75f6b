"""Generated Chinese tax text for the province-sized corpus (``demo/bulk.py``).

Every article has a topic (发票, 个人所得税, 社保费 …, drawn by ``TOPICS``' weights) and is
written from that topic's sentences, a few sentences about the bureau's work that name no tax,
and now and then one sentence of a second topic; so a search for 发票, 个人所得税, 退税, 社保费 or
增值税 matches a realistic part of the pages (from about 5 % to 25 %), not all of them.
Guides and letters are written the same way. The text depends only on the seeded
``random.Random`` handed in: the same number gives the same page on every run.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass

# ---- articles -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Topic:
    name: str
    weight: float
    terms: tuple[str, ...]  # what {t} stands for in the shared sentences and titles
    sentences: tuple[str, ...]  # the topic's own sentences ({org}, {n}, {year}, {month}, {day}, {t})


TOPICS = (
    Topic(
        "发票",
        0.14,
        ("发票", "数电发票", "全面数字化的电子发票", "发票领用", "红字发票"),
        (
            "自{month}月{day}日起，{org}辖区内新办纳税人可通过电子税务局开具数电发票，无需领用税控设备。",
            "纳税人开具发票后发生销货退回、开票有误等情形的，应当按规定开具红字发票。",
            "发票额度不足时，纳税人可以在电子税务局申请调整发票总额度，税务机关一般在一个工作日内办结。",
            "对虚开发票、非法买卖发票等违法行为，税务机关将依法从严查处。",
            "纳税人丢失已开具的发票，可凭对方加盖发票专用章的记账联复印件作为记账凭证。",
            "{org}共为{n}户纳税人办理发票领用业务，发票业务网上办理率达到百分之九十以上。",
            "取得数电发票的单位和个人，可以登录全国增值税发票查验平台查验发票信息。",
        ),
    ),
    Topic(
        "个人所得税",
        0.11,
        ("个人所得税", "个人所得税综合所得汇算清缴", "专项附加扣除", "个人所得税年度汇算"),
        (
            "纳税人可以通过个人所得税APP填报子女教育、赡养老人、住房贷款利息等专项附加扣除信息。",
            "{year}年度个人所得税综合所得汇算清缴于次年三月一日开始，六月三十日结束。",
            "年度汇算需要补税但年度综合所得收入不超过十二万元的，可以免于办理汇算。",
            "个人所得税年度汇算多预缴税款的，纳税人可以申请退税，税务机关审核后及时办理退库。",
            "为避免汇算初期集中办理造成拥堵，个人所得税APP提供预约办理服务。",
            "扣缴义务人应当在每月十五日内办理个人所得税全员全额扣缴申报。",
            "{org}组织辅导团队走进{n}家企业，为职工讲解个人所得税年度汇算的操作要点。",
        ),
    ),
    Topic(
        "退税",
        0.06,
        ("退税", "出口退税", "增值税留抵退税", "退税申请"),
        (
            "出口企业可以通过电子税务局在线申报出口退税，申报数据经审核无误后即可办理退库。",
            "{org}全年办理出口退税{n}笔，正常出口退税平均办理时间压缩至三个工作日以内。",
            "符合条件的制造业企业可以按月向主管税务机关申请退还增量留抵税额。",
            "税务机关对退税申请实行分类管理，对纳税信用等级高的企业优先办理退税。",
            "纳税人对退税审核结果有异议的，可以在收到通知之日起十五日内提出复核申请。",
        ),
    ),
    Topic(
        "社保费",
        0.08,
        ("社保费", "城乡居民基本医疗保险费", "基本养老保险费", "灵活就业人员社保费"),
        (
            "城乡居民可以通过微信、支付宝或者银行渠道缴纳{year}年度城乡居民基本医疗保险费。",
            "灵活就业人员可以自主选择缴费档次，按月、按季或者按年缴纳基本养老保险费。",
            "用人单位应当按时足额申报缴纳职工社保费，不得漏报、少报缴费基数。",
            "社保费缴费人可以通过电子税务局查询缴费记录，并打印社会保险费缴费证明。",
            "{org}会同人社、医保部门开展社保费征缴政策宣传，覆盖辖区{n}个村（社区）。",
        ),
    ),
    Topic(
        "增值税",
        0.12,
        ("增值税", "增值税小规模纳税人", "增值税一般纳税人", "增值税加计抵减"),
        (
            "增值税小规模纳税人月销售额未超过十万元的，免征增值税。",
            "增值税一般纳税人取得符合规定的扣税凭证，可以按规定抵扣进项税额。",
            "先进制造业企业按照当期可抵扣进项税额加计百分之五抵减应纳增值税税额。",
            "纳税人应当在征期内完成增值税及附加税费申报，逾期申报将影响纳税信用评价。",
            "{org}梳理增值税优惠政策{n}项，逐户推送至符合条件的纳税人。",
            "小规模纳税人发生增值税应税销售行为，适用百分之三征收率的，减按百分之一征收增值税。",
        ),
    ),
    Topic(
        "企业所得税",
        0.07,
        ("企业所得税", "企业所得税汇算清缴", "研发费用加计扣除", "小型微利企业所得税优惠"),
        (
            "企业应当在年度终了之日起五个月内办理企业所得税汇算清缴。",
            "企业开展研发活动发生的研发费用，可以按照实际发生额的百分之百在税前加计扣除。",
            "小型微利企业年应纳税所得额不超过三百万元的部分，减按百分之二十五计入应纳税所得额。",
            "{org}为{n}户企业送去企业所得税优惠政策清单，帮助企业应享尽享。",
            "企业所得税预缴申报时即可享受研发费用加计扣除政策。",
        ),
    ),
    Topic(
        "财产和行为税",
        0.07,
        ("房产税", "城镇土地使用税", "印花税", "契税", "车辆购置税"),
        (
            "财产和行为税实行合并申报，纳税人可以一次性申报房产税、城镇土地使用税、印花税等税种。",
            "个人购买家庭唯一住房，面积为九十平方米及以下的，减按百分之一的税率征收契税。",
            "新能源汽车在规定期限内免征车辆购置税，纳税人可以在车辆登记前在线申报。",
            "纳税人因房产、土地的实物或者权利状态发生变化依法终止纳税义务的，应当及时申报。",
            "{org}对辖区{n}宗土地开展城镇土地使用税税源核查。",
        ),
    ),
    Topic(
        "纳税信用",
        0.05,
        ("纳税信用", "纳税信用评价", "纳税信用修复", "A级纳税人"),
        (
            "税务机关每年四月公布上一年度纳税信用A级纳税人名单。",
            "纳税人发生逾期申报等失信行为的，可以在纠正后向主管税务机关申请纳税信用修复。",
            "{org}推出“银税互动”服务，帮助{n}户守信企业获得信用贷款。",
            "纳税信用评价结果对外公开，A级纳税人可以享受发票领用、出口退税等方面的便利。",
        ),
    ),
    Topic(
        "办税服务",
        0.10,
        ("电子税务局", "办税服务厅", "12366纳税缴费服务热线", "非接触式办税", "跨区域通办"),
        (
            "纳税人缴费人可以登录电子税务局办理申报、缴款、证明开具等两百余项业务。",
            "办税服务厅实行延时服务和预约服务，中午和周末可以预约办理业务。",
            "12366纳税缴费服务热线提供全天候智能咨询服务，人工坐席工作日提供政策解答。",
            "{org}在{n}个乡镇设立办税服务点，群众在家门口就能办理常见涉税业务。",
            "{org}推行“跨区域通办”，纳税人可以在辖区任一办税服务厅办理业务。",
            "对老年人等特殊群体，办税服务厅设立绿色通道，提供一对一帮办服务。",
        ),
    ),
    Topic(
        "队伍建设",
        0.12,
        ("党建工作", "干部队伍建设", "作风建设"),
        (
            "{org}召开全面从严治党工作会议，总结上一年度工作，部署本年度重点任务。",
            "会议强调，要持续加强干部队伍建设，锻造忠诚干净担当的税务铁军。",
            "{org}组织开展青年干部业务技能比武，{n}名青年干部参加比赛。",
            "局党委理论学习中心组围绕学习贯彻党的创新理论开展专题学习。",
            "{org}开展作风建设专项整治，查找并整改问题{n}个。",
        ),
    ),
    Topic(
        "普法宣传",
        0.08,
        ("税收普法", "税收宣传月", "税法宣传"),
        (
            "{org}启动第{n}个全国税收宣传月活动，组织税务干部走进企业、社区和学校。",
            "普法志愿者通过短视频、直播等方式向纳税人缴费人讲解最新税费政策。",
            "{org}联合教育部门开展税收普法进校园活动，覆盖学生{n}人。",
            "税法宣传活动期间，办税服务厅设置政策咨询台，现场解答纳税人缴费人疑问。",
        ),
    ),
)

# Sentences about the bureau's work that name no tax (the rest of most articles).
GENERIC = (
    "{org}召开专题会议，研究部署近期重点工作。",
    "会议要求，各部门要进一步提高政治站位，压实工作责任，确保各项任务落地见效。",
    "下一步，{org}将持续优化服务举措，不断提升纳税人缴费人的获得感和满意度。",
    "{org}主要负责同志出席会议并讲话，局领导班子成员和各部门主要负责人参加会议。",
    "活动期间，共发放宣传资料{n}份，接待群众咨询{n}人次。",
    "{org}坚持问题导向，深入基层开展调研，收集意见建议{n}条。",
    "与会人员结合各自工作实际进行了交流发言。",
    "{month}月{day}日，{org}组织召开工作推进会，通报前期工作进展情况。",
    "相关负责人表示，将认真梳理群众反映的问题，建立台账，逐项推动解决。",
    "{org}将以此次活动为契机，推动各项工作再上新台阶。",
    "会议传达学习了上级有关会议精神，并就贯彻落实工作提出具体要求。",
    "各部门要加强协作配合，形成工作合力，确保工作有序推进。",
)

# Titles: {org} the site's short name, {t} one of the topic's terms.
TITLES = (
    "{org}召开{t}工作推进会",
    "关于{t}有关事项的通知",
    "{org}开展{t}政策宣传辅导",
    "{t}热点问题解答（{n}）",
    "{org}多措并举做好{t}相关工作",
    "一图读懂{t}",
    "关于做好{year}年度{t}工作的公告",
    "{org}召开{t}专题座谈会",
    "{t}办理指引",
    "{org}扎实推进{t}工作取得实效",
)
POLICY_TITLES = (
    "{org}关于{t}有关事项的公告",
    "{org}关于进一步做好{t}工作的通知",
    "{org}关于印发《{t}工作规程》的通知",
    "{org}关于公布{year}年度{t}工作情况的公告",
)


# Figures in sentences come from short lists: the corpus repeats its sentences as a real one
# repeats its phrasing, so that segmenting them for the index (once per distinct sentence) is quick.
FIGURES = (3, 5, 8, 10, 12, 15, 20, 30, 36, 50)
DAYS = (1, 8, 10, 15, 20, 26)


def fill(template: str, rng: random.Random, org: str, term: str = "") -> str:
    return template.format(
        org=org,
        t=term,
        n=rng.choice(FIGURES),
        year=rng.randint(2021, 2026),
        month=rng.randint(1, 12),
        day=rng.choice(DAYS),
    )


TOPIC_WEIGHTS = tuple(topic.weight for topic in TOPICS)


def pick_topic(rng: random.Random) -> Topic:
    return rng.choices(TOPICS, weights=TOPIC_WEIGHTS)[0]


@dataclass
class Text:
    title: str
    summary: str
    paragraphs: list[str]  # plain text, one per paragraph block
    keywords: str
    topic: Topic


def article(rng: random.Random, org: str, policy: bool = False) -> Text:
    """An article (or a policy document's text) of ``org``: 2–4 paragraphs of 2–4 sentences."""
    topic = pick_topic(rng)
    term = rng.choice(topic.terms)
    title = fill(rng.choice(POLICY_TITLES if policy else TITLES), rng, org, term)
    sentences = []
    for _ in range(rng.randint(5, 12)):
        roll = rng.random()
        if roll < 0.55:
            sentences.append(fill(rng.choice(topic.sentences), rng, org, term))
        elif roll < 0.93:
            sentences.append(fill(rng.choice(GENERIC), rng, org))
        else:  # now and then a word on another matter
            other = pick_topic(rng)
            sentences.append(fill(rng.choice(other.sentences), rng, org, rng.choice(other.terms)))
    paragraphs = []
    while sentences:
        size = rng.randint(2, 4)
        paragraphs.append("".join(sentences[:size]))
        sentences = sentences[size:]
    return Text(
        title=title[:255],
        summary=paragraphs[0][:120],
        paragraphs=paragraphs,
        keywords="，".join(dict.fromkeys([topic.name, term])),
        topic=topic,
    )


# ---- service guides ---------------------------------------------------------------------------

GUIDE_ITEMS = (
    ("发票", "发票领用", "fpbl"),
    ("发票", "发票代开", "fpbl"),
    ("发票", "红字发票开具", "fpbl"),
    ("发票", "发票额度调整", "fpbl"),
    ("发票", "发票遗失、损毁报告", "fpbl"),
    ("个人所得税", "个人所得税综合所得年度汇算", "grsds"),
    ("个人所得税", "个人所得税专项附加扣除信息报送", "grsds"),
    ("个人所得税", "个人所得税经营所得申报", "grsds"),
    ("退税", "出口退（免）税备案", "yhbl"),
    ("退税", "增值税期末留抵税额退税", "yhbl"),
    ("退税", "误收多缴退抵税", "sbns"),
    ("社保费", "城乡居民基本医疗保险费缴纳", "sbf"),
    ("社保费", "灵活就业人员基本养老保险费缴纳", "sbf"),
    ("社保费", "社会保险费缴费证明开具", "zmkj"),
    ("增值税", "增值税一般纳税人登记", "swdj"),
    ("增值税", "增值税及附加税费申报", "sbns"),
    ("企业所得税", "企业所得税年度纳税申报", "sbns"),
    ("财产和行为税", "财产和行为税合并申报", "sbns"),
    ("财产和行为税", "车辆购置税申报", "sbns"),
    ("财产和行为税", "契税申报", "sbns"),
    ("办税服务", "设立登记", "swdj"),
    ("办税服务", "变更登记", "swdj"),
    ("办税服务", "注销税务登记", "swdj"),
    ("办税服务", "跨区域涉税事项报告", "swdj"),
    ("纳税信用", "纳税信用复评", "swdj"),
    ("纳税信用", "纳税信用修复", "swdj"),
    ("办税服务", "开具税收完税证明", "zmkj"),
)
GUIDE_CONDITIONS = (
    "已办理税务信息确认的纳税人",
    "按规定需要办理本事项的单位和个人",
    "经办人持本人有效身份证件",
    "纳税人未处于非正常户状态",
    "已按规定完成前期申报",
)
GUIDE_STEPS = (
    ("提交申请", "纳税人通过电子税务局或者办税服务厅提交申请及相关资料。"),
    ("受理审核", "税务机关对资料的完整性和准确性进行审核。"),
    ("办结", "符合条件的当场办结；需要核实的，在承诺时限内办结并告知结果。"),
    ("领取结果", "纳税人在电子税务局查看办理结果，或者到办税服务厅领取。"),
)


@dataclass
class Guide:
    title: str
    summary: str
    theme: str  # a guides.Theme slug
    conditions: list[str]
    steps: list[tuple[str, str]]
    faq: list[tuple[str, str]]
    individuals: bool
    enterprises: bool
    visits: int
    days: tuple[int, int]  # statutory, promised


def guide(rng: random.Random, org: str, number: int) -> Guide:
    topic_name, item, theme = rng.choice(GUIDE_ITEMS)
    topic = next(t for t in TOPICS if t.name == topic_name)
    summary = fill(rng.choice(topic.sentences), rng, org, rng.choice(topic.terms))
    question = f"办理{item}需要多长时间？"
    answer = f"资料齐全、符合法定形式的，{org}当场办结或者在承诺时限内办结。"
    statutory = rng.choice((0, 5, 10, 20))
    return Guide(
        title=f"{item}（{org}·{number}）",
        summary=f"{item}：{summary}",
        theme=theme,
        conditions=rng.sample(GUIDE_CONDITIONS, rng.randint(1, 3)),
        steps=list(GUIDE_STEPS[: rng.randint(2, 4)]),
        faq=[(question, answer)],
        individuals=rng.random() < 0.6,
        enterprises=rng.random() < 0.8,
        visits=rng.choice((0, 0, 1, 1, 2)),
        days=(statutory, min(statutory, rng.choice((0, 1, 3, 5)))),
    )


# ---- letters ----------------------------------------------------------------------------------

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡"
    "余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯"
    "龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
GIVEN = (
    "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂华建国文辉玲红梅鹏飞宇浩然欣怡子"
    "涵雨轩晨阳佳琪思远志强海燕春生秋月冬梅"
)

LETTER_OPENINGS = (
    "您好！我想咨询一下，",
    "尊敬的领导：",
    "你好，",
    "税务局工作人员您好，",
    "",
)
LETTER_QUESTIONS = {
    "发票": (
        "我们公司是小规模纳税人，现在开数电发票还需要领用税控盘吗？额度不够用怎么办？",
        "客户要求重开发票，原来的发票已经入账了，应该怎样开具红字发票？",
        "个人出租房屋可以在哪里代开发票，需要带什么材料？",
    ),
    "个人所得税": (
        "我在个人所得税APP上办理年度汇算，显示需要补税，请问可以分期缴纳吗？",
        "赡养老人专项附加扣除，兄弟姐妹之间怎么分摊？",
        "去年换了工作，两处工资都预扣了个人所得税，年度汇算还需要办理吗？",
    ),
    "退税": (
        "我的个税年度汇算申请退税已经半个月了，一直显示审核中，请问什么时候能到账？",
        "公司出口退税申报后多久能退到账户？",
        "多缴的税款申请退还，需要提供哪些资料？",
    ),
    "社保费": (
        "灵活就业人员的养老保险费在哪里缴纳？可以补缴往年的吗？",
        "城乡居民医保今年的缴费时间是什么时候？家里老人不会用手机，可以代缴吗？",
        "单位一直没有给我缴纳社保费，我应该向哪个部门反映？",
    ),
    "增值税": (
        "小规模纳税人季度销售额三十万元以内是否免征增值税？",
        "一般纳税人取得的农产品收购发票怎样计算抵扣进项税额？",
        "增值税申报逾期了一天，会不会影响纳税信用？",
    ),
    "other": (
        "办税服务厅周末能不能办理业务？能否延长办公时间？",
        "电子税务局登录不上去，提示身份验证失败，应该怎么处理？",
        "办税服务厅的工作人员态度很好，帮我很快办完了业务，特此表扬。",
        "建议在乡镇增设办税服务点，方便老年人就近办理业务。",
        "公司注销税务登记需要多长时间？需要先做什么？",
    ),
}
REPLIES = (
    "您好！您反映的问题已收悉。经了解，{answer}如有疑问，可拨打12366纳税缴费服务热线咨询。感谢您对税收工作的关心和支持！",
    "您好！感谢来信。{answer}具体操作可登录电子税务局查看办税指引，或者到就近的办税服务厅咨询。",
    "来信人您好：{answer}我局将进一步优化服务，欢迎继续提出意见建议。",
)
ANSWERS = (
    "根据现行政策规定，符合条件的纳税人可以在电子税务局在线办理，资料齐全的当场办结。",
    "该事项已转交主管税务所核实处理，工作人员已与您电话联系并说明了办理流程。",
    "按照有关规定，相关款项经审核无误后将退还至您提供的银行账户，请留意到账信息。",
    "您所述情况适用的政策已经更新，具体以最新发布的公告为准。",
)
NOT_HANDLED = "您反映的事项属于行政复议范围，请依法通过行政复议途径解决，本信箱不予受理。"


def person(rng: random.Random) -> str:
    given = rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.7 else "")
    return rng.choice(SURNAMES) + given


def letter_text(rng: random.Random, categories: list[str]) -> tuple[str, str, str]:
    """(category, subject, content) of a letter to a mailbox with ``categories``."""
    category = rng.choice(categories) if categories else "其他"
    subject_key = next((key for key in LETTER_QUESTIONS if key in category), None)
    if subject_key is None:
        subject_key = rng.choice(list(LETTER_QUESTIONS))
    question = rng.choice(LETTER_QUESTIONS[subject_key])
    subject = re.split(r"[，？。！]", question)[0][:40] or question[:40]
    return category, subject, rng.choice(LETTER_OPENINGS) + question


def reply(rng: random.Random) -> str:
    return rng.choice(REPLIES).format(answer=rng.choice(ANSWERS))
