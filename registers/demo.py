"""Demo of the registers: on each content site, under 政府信息公开, the five registers with a few
hundred invented entries in all (companies of 示例省 with 纳税人识别号 of the fictional region 99,
people named 某), generated here from a fixed seed and imported through the real import
(``services.import_rows``), one batch per register. Some 失信主体 and 行政处罚 entries are past
their publication period and no longer listed. Registers that have entries are left alone."""

from __future__ import annotations

import random
from datetime import date, timedelta

from wagtail.models import Site

from home.models import ColumnPage
from inforequests.forms import id_card_check_digit

from . import services
from .identifiers import credit_check_character
from .kinds import SPECS, Kind
from .models import RegisterPage

PAGES = [
    (
        "qsgg",
        Kind.ARREARS,
        "欠税公告",
        "依照《中华人民共和国税收征收管理法》第四十五条和《欠税公告办法（试行）》，公告欠缴税款的纳税人及其欠税情况。",
        "《欠税公告办法（试行）》第四条、第七条",
    ),
    (
        "sxzt",
        Kind.VIOLATIONS,
        "重大税收违法失信主体信息公布",
        "依照《重大税收违法失信主体信息公布管理办法》公布的失信主体信息。公布期限届满的，自动停止公布。",
        "《重大税收违法失信主体信息公布管理办法》第十条、第十四条",
    ),
    (
        "ajnsr",
        Kind.A_GRADE,
        "纳税信用A级纳税人名单",
        "按照《纳税信用管理办法（试行）》评定的纳税信用A级纳税人名单，按评价年度查询。",
        "《纳税信用管理办法（试行）》第二十五条",
    ),
    (
        "xzxk",
        Kind.LICENCES,
        "行政许可信息公示",
        "税务行政许可决定作出之日起7个工作日内公示（双公示）。",
        "《国务院办公厅关于运用大数据加强对市场主体服务和监管的若干意见》",
    ),
    (
        "xzcf",
        Kind.PENALTIES,
        "行政处罚信息公示",
        "税务行政处罚决定作出之日起7个工作日内公示（双公示）；公示期满的不再公示。",
        "《国务院办公厅关于运用大数据加强对市场主体服务和监管的若干意见》",
    ),
]

# Entries per register and site; about 380 in all.
SIZES = {
    "main": {Kind.ARREARS: 60, Kind.VIOLATIONS: 24, Kind.A_GRADE: 80, Kind.LICENCES: 20, Kind.PENALTIES: 20},
    "jia": {Kind.ARREARS: 30, Kind.VIOLATIONS: 10, Kind.A_GRADE: 40, Kind.LICENCES: 10, Kind.PENALTIES: 10},
    "yi": {Kind.ARREARS: 20, Kind.VIOLATIONS: 6, Kind.A_GRADE: 30, Kind.LICENCES: 6, Kind.PENALTIES: 6},
}
PLACES = {"main": ("示例省", "0000", "省会市"), "jia": ("甲市", "0100", "甲市"), "yi": ("乙市", "0200", "乙市")}
TRADE_NAMES = [
    "恒远",
    "瑞丰",
    "嘉禾",
    "鼎盛",
    "华泰",
    "永兴",
    "宏达",
    "新源",
    "金桥",
    "润泽",
    "远航",
    "和顺",
    "盛世",
    "安泰",
    "博雅",
    "天成",
    "佳联",
    "同创",
    "蓝海",
    "信诚",
]
TRADES = [
    "贸易",
    "建材",
    "科技",
    "餐饮管理",
    "物流",
    "服装",
    "电子",
    "机械设备",
    "房地产开发",
    "农业发展",
    "广告",
    "商贸",
]
SURNAMES = "赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨朱秦尤许何吕施张孔曹严华金魏陶姜"
GIVEN = "明华强伟芳敏静丽军勇杰涛斌"
TAXES = ["增值税", "企业所得税", "城市维护建设税", "房产税", "城镇土地使用税", "印花税", "个人所得税（代扣代缴）"]
VIOLATIONS = [
    ("虚开增值税专用发票", "虚开增值税专用发票{n}份，金额{amount}元，税额{tax}元。"),
    ("偷税", "通过隐匿收入、虚假申报等手段，少缴增值税、企业所得税等税款合计{tax}元。"),
    ("逃避追缴欠税", "欠缴应纳税款{tax}元，转移、隐匿财产，致使税务机关无法追缴。"),
    ("骗取出口退税", "以假报出口等欺骗手段骗取国家出口退税款{tax}元。"),
]
LICENCES = [
    ("核准", "增值税防伪税控系统最高开票限额审批", "准予最高开票限额{limit}"),
    ("登记", "对纳税人延期缴纳税款的核准", "准予延期缴纳税款至{date}"),
]
PENALTY_KINDS = [
    ("未按规定期限办理纳税申报", "罚款", "《中华人民共和国税收征收管理法》第六十二条"),
    ("未按规定开具发票", "罚款", "《中华人民共和国发票管理办法》第三十五条"),
    ("未按规定保管账簿", "警告", "《中华人民共和国税收征收管理法》第六十条"),
    ("丢失发票", "罚款", "《中华人民共和国发票管理办法》第三十六条"),
]


class RegistersLoader:
    def __init__(self, loader):
        self.loader = loader

    def run(self) -> None:
        for site in Site.objects.select_related("root_page").order_by("-is_default_site", "hostname"):
            key = "main" if site.is_default_site else site.hostname.split(".")[0]
            if key not in SIZES:
                continue
            column = ColumnPage.objects.child_of(site.root_page).filter(slug="xxgk").first()
            if column is None:
                continue
            for slug, kind, title, intro, basis in PAGES:
                page = self.loader.add_page(
                    column, RegisterPage(slug=slug, title=title, kind=kind, intro=intro, basis=basis)
                )
                if page.entries.exists():
                    continue
                rows = Generator(key, kind).rows(SIZES[key][kind])
                spec = SPECS[kind]
                table = [[str(c.label) for c in spec.columns]] + [
                    [row.get(c.field, "") for c in spec.columns] for row in rows
                ]
                count = services.import_rows(page, table, issue=f"{PLACES[key][0]}演示数据")
                self.loader.note(f"{title} {site.hostname}: {count} 条")


class Generator:
    """Invented, reproducible rows for one register of one site."""

    def __init__(self, key: str, kind: str):
        self.key, self.kind = key, kind
        self.random = random.Random(f"{key}-{kind}")
        self.place, self.region, self.city = PLACES[key]
        self.serial = {"arrears": 1000, "violations": 3000, "a_grade": 5000, "licences": 7000, "penalties": 8000}[kind]

    def company(self) -> tuple[str, str]:
        self.serial += 1
        first17 = f"91990{self.region[1:]}MA{self.serial:07d}"
        name = f"{self.place}{self.random.choice(TRADE_NAMES)}{self.random.choice(TRADES)}有限公司"
        if self.random.random() < 0.3:
            name = name.replace("有限公司", f"有限公司{self.random.choice(['第一', '第二', '城东', '城西'])}分公司")
        return name, first17 + credit_check_character(first17)

    def person(self) -> tuple[str, str]:
        name = self.random.choice(SURNAMES) + "某" + self.random.choice(GIVEN)
        born = date(1960, 1, 1) + timedelta(days=self.random.randrange(0, 365 * 40))
        first17 = f"99{self.region[:2]}01{born:%Y%m%d}{self.random.randrange(0, 1000):03d}"
        return name, first17 + id_card_check_digit(first17)

    def address(self, districts: list[str]) -> str:
        return f"{self.city}{self.random.choice(districts)}{self.random.randrange(1, 300)}号"

    def day(self, start: date, end: date) -> date:
        return start + timedelta(days=self.random.randrange(0, (end - start).days + 1))

    def rows(self, count: int) -> list[dict]:
        make = getattr(self, self.kind)
        return [make(index) for index in range(count)]

    def arrears(self, index: int) -> dict:
        name, number = self.company()
        person, id_number = self.person()
        if index % 6 == 5:  # a 个体工商户: its 纳税人识别号 is its owner's identity number
            name, number = (
                f"{self.city}{person[0]}记{self.random.choice(['五金店', '小吃店', '服装店', '建材经营部'])}",
                id_number,
            )
        published = date(2024 + index % 8 // 4, 1 + index % 4 * 3, 15)  # quarterly, 2024 and 2025
        amount = self.random.randrange(20_000, 3_000_000) + self.random.randrange(0, 100) / 100
        return {
            "name": name,
            "taxpayer_number": number,
            "person_name": person,
            "person_id_number": id_number,
            "address": self.address(["城关", "新区", "开发区", "高新区"]),
            "tax_type": self.random.choice(TAXES),
            "amount": f"{amount:.2f}",
            "new_amount": f"{amount * self.random.choice([0, 0.1, 0.3]):.2f}",
            "published_on": published.isoformat(),
        }

    def violations(self, index: int) -> dict:
        name, number = self.company()
        person, id_number = self.person()
        finance, finance_id = self.person()
        nature, facts = self.random.choice(VIOLATIONS)
        tax = self.random.randrange(1_000_000, 50_000_000)
        ended = index % 6 == 0  # published in 2021, its three years over: no longer listed
        published = (
            self.day(date(2021, 3, 1), date(2021, 12, 31)) if ended else self.day(date(2024, 1, 1), date(2025, 11, 30))
        )
        return {
            "name": name,
            "taxpayer_number": number,
            "address": self.address(["经济开发区", "高新区", "城南"]),
            "person_name": person,
            "person_id_number": id_number,
            "finance_name": finance if index % 2 else "",
            "finance_id_number": finance_id if index % 2 else "",
            "agency": f"{self.place}某某税务师事务所有限公司" if index % 5 == 3 else "",
            "case_nature": nature,
            "facts": f"经国家税务总局{self.city}税务局稽查局检查，"
            f"发现其在{published.year - 2}年至{published.year - 1}年期间，"
            + facts.format(n=self.random.randrange(10, 300), amount=tax * 8, tax=tax),
            "penalty": f"依照《中华人民共和国税收征收管理法》第六十三条等相关法律规定，对其处以追缴税款{tax}元、"
            f"加收滞纳金并处罚款{tax // 2}元的行政处理、处罚；依法移送公安机关。",
            "published_on": published.isoformat(),
            "ends_on": (published + timedelta(days=365 * 3)).isoformat(),
        }

    def a_grade(self, index: int) -> dict:
        name, number = self.company()
        return {"taxpayer_number": number, "name": name, "year": str(2023 + index % 3)}

    def licences(self, index: int) -> dict:
        name, number = self.company()
        person, _id = self.person()
        category, item, content = self.random.choice(LICENCES)
        decided = self.day(date(2024, 1, 1), date(2025, 11, 30))
        return {
            "name": name,
            "taxpayer_number": number,
            "person_name": person,
            "document_number": f"{self.city}税许准字〔{decided.year}〕{index + 1}号",
            "category": category,
            "content": item + "：" + content.format(limit="十万元", date=(decided + timedelta(days=90)).isoformat()),
            "published_on": decided.isoformat(),
            "ends_on": (decided + timedelta(days=365 * 2)).isoformat() if index % 2 else "",
            "authority": f"国家税务总局{self.city}税务局",
        }

    def penalties(self, index: int) -> dict:
        name, number = self.company()
        person, _id = self.person()
        nature, category, basis = self.random.choice(PENALTY_KINDS)
        ended = index % 5 == 0  # its 公示期 over: no longer listed
        decided = (
            self.day(date(2022, 1, 1), date(2022, 6, 30)) if ended else self.day(date(2024, 6, 1), date(2025, 11, 30))
        )
        fine = self.random.choice([200, 500, 1000, 2000]) if category == "罚款" else None
        return {
            "name": name,
            "taxpayer_number": number,
            "person_name": person,
            "document_number": f"{self.city}税简罚〔{decided.year}〕{index + 101}号",
            "case_nature": nature,
            "facts": f"{nature}，经责令限期改正。",
            "penalty": basis,
            "category": category,
            "content": f"罚款{fine}元" if fine else "警告",
            "amount": str(fine) if fine else "",
            "published_on": decided.isoformat(),
            "ends_on": (decided + timedelta(days=365 if ended else 365 * 3)).isoformat(),
            "authority": f"国家税务总局{self.city}税务局",
        }
