"""Demo content: each site's filing calendar (征期日历) and service halls (办税地图), under its
纳税服务 column (``/nsfw/zqrl/`` and ``/nsfw/bsdt/``).

The calendar is computed for the year the demo is loaded in: the monthly deadlines from
``rules.monthly_deadline`` (15th, holiday and weekend extensions from ``chinesecalendar``),
plus the three yearly settlements. Halls, addresses and telephone numbers are fictional and
match the hall tables in the sites' 办税服务厅 articles. Loading again creates nothing; a
calendar without rows for the current year gets them (a demo database kept into a new year).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.utils import timezone

from portal.workdays import WorkCalendar

from .models import FilingCalendarPage, FilingDeadline, ServiceHallIndexPage, ServiceHallPage
from .rules import WEEKDAYS, holiday_name, monthly_deadline, next_working_day

COLUMN_SLUG = "nsfw"
CALENDAR_SLUG = "zqrl"
HALLS_SLUG = "bsdt"

MONTHLY = [
    "增值税、消费税（按月申报）",
    "城市维护建设税、教育费附加、地方教育附加",
    "个人所得税（扣缴申报）",
    "文化事业建设费、残疾人就业保障金（按月缴纳）",
]
QUARTERLY = [
    "企业所得税（季度预缴）",
    "增值税、消费税（按季申报的小规模纳税人）",
    "个人所得税（经营所得季度预缴）",
    "房产税、城镇土地使用税（按季申报）",
]
EXTRA = {
    1: ["上年第四季度印花税（按季申报）"],
    4: ["第一季度印花税（按季申报）"],
    7: ["第二季度印花税（按季申报）", "上半年环境保护税（按季申报）"],
    10: ["第三季度印花税（按季申报）"],
}
QUARTER_MONTHS = (1, 4, 7, 10)
# Yearly settlements of the previous year: (month, day, title, tax types).
YEARLY = [
    (3, 31, "{prev}年度个人所得税经营所得汇算", ["个人所得税（经营所得年度汇总纳税申报）"]),
    (5, 31, "{prev}年度企业所得税汇算清缴", ["企业所得税（年度纳税申报）", "关联业务往来年度报告"]),
    (6, 30, "{prev}年度个人所得税综合所得汇算", ["个人所得税（综合所得年度汇算）"]),
]

CALENDARS = {
    "main": {
        "title": "征期日历",
        "intro": "全省统一的每月申报纳税期限：默认每月15日截止，遇法定节假日和周末依法顺延。"
        "表中列出每月需要申报的主要税种和年度汇算截止日，可订阅到手机日历，截止前3天提醒。",
    },
    "jia": {
        "title": "征期日历",
        "intro": "甲市执行示例省税务局公布的申报纳税期限。征期最后几天办税服务厅业务量大，建议尽早通过电子税务局办理。",
    },
    "yi": {
        "title": "征期日历",
        "intro": "乙市执行示例省税务局公布的申报纳税期限。各办税服务厅在征期最后3个工作日延时服务至18:00。",
    },
}

HALL_INDEXES = {
    "main": {
        "title": "办税地图",
        "intro": "按区县查找示例市主城区办税服务厅的地址、办公时间、咨询电话、可办业务和无障碍设施。",
    },
    "jia": {
        "title": "办税地图",
        "intro": "甲市各办税服务厅的地址、办公时间、咨询电话和无障碍设施，全市通办，可就近选择。",
    },
    "yi": {
        "title": "办税地图",
        "intro": "乙市各办税服务厅的地址、办公时间、咨询电话和无障碍设施，均可办理全市通办业务。",
    },
}

COMMON_SERVICES = [
    "税务登记信息确认与变更",
    "发票领用、代开发票",
    "纳税申报与税款缴纳",
    "完税证明、纳税记录开具",
    "社会保险费和城乡居民医疗保险费缴纳",
    "涉税咨询与电子税务局操作辅导",
]

HALLS = {
    "main": [
        {
            "slug": "zhengwulu",
            "title": "示例市政务路办税服务厅",
            "district": "市中区",
            "address": "示例省示例市市中区政务路100号一楼",
            "hours": ["周一至周五 9:00—12:00，13:30—17:30", "每月征期最后三天延时至19:00", "法定节假日休息"],
            "phone": "12366；0000-12345651",
            "services": COMMON_SERVICES + ["出口退税申报辅导", "跨市通办业务受理"],
            "transport": "地铁1号线政务中心站B出口步行约200米；公交3路、18路“政务路”站下车。",
            "facilities": [
                "ramp",
                "accessible_toilet",
                "priority_window",
                "hearing_loop",
                "wheelchair",
                "sign_language",
            ],
            "notes": "爱心窗口为老年人、残疾人、孕妇提供优先叫号和帮办代办；听障纳税人可使用窗口的感应线圈或手写板沟通，"
            "每周二上午有手语服务人员在岗。",
            "lat": "30.593100",
            "lng": "114.305400",
        },
        {
            "slug": "binjiang",
            "title": "示例市滨江办税服务厅",
            "district": "滨江区",
            "address": "示例省示例市滨江区滨江大道218号政务服务中心三楼",
            "hours": ["周一至周五 9:00—17:30（中午不休息）", "法定节假日休息"],
            "phone": "12366；0000-12345652",
            "services": COMMON_SERVICES + ["不动产交易税费申报", "车辆购置税申报"],
            "transport": "公交7路、22路“政务服务中心”站下车；中心地下停车场有无障碍停车位。",
            "facilities": ["ramp", "accessible_toilet", "priority_window", "accessible_parking", "wheelchair"],
            "notes": "三楼可乘无障碍电梯到达；服务厅入口设有低位服务台。",
            "lat": "30.612350",
            "lng": "114.342100",
        },
        {
            "slug": "nanhu",
            "title": "示例市南湖办税服务厅",
            "district": "南湖区",
            "address": "示例省示例市南湖区站前路66号",
            "hours": ["周一至周五 9:00—12:00，13:30—17:00", "周六 9:00—12:00（仅办理发票领用和社保费缴纳）"],
            "phone": "12366；0000-12345653",
            "services": COMMON_SERVICES,
            "transport": "高铁示例南站东广场步行约500米；公交11路“站前路”站下车。",
            "facilities": ["ramp", "priority_window"],
            "notes": "",
            "lat": "30.556700",
            "lng": "114.280300",
        },
    ],
    "jia": [
        {
            "slug": "donghu",
            "title": "甲市第一办税服务厅",
            "district": "东湖区",
            "address": "示例省甲市东湖区明德路88号",
            "hours": ["周一至周五 9:00—12:00，13:30—17:30", "一楼东侧24小时自助办税区全年开放"],
            "phone": "12366；（0000）8612 3366",
            "services": COMMON_SERVICES + ["24小时自助办税（发票领取、完税证明打印）"],
            "transport": "地铁2号线明德路站A出口步行约150米。",
            "facilities": ["ramp", "accessible_toilet", "priority_window", "hearing_loop", "wheelchair"],
            "notes": "爱心窗口提供老花镜、放大镜和大字版办事指南。",
            "lat": "31.204500",
            "lng": "115.110200",
        },
        {
            "slug": "xishan",
            "title": "甲市第二办税服务厅",
            "district": "西山区",
            "address": "示例省甲市西山区兴业路12号",
            "hours": ["周一至周五 9:00—12:00，13:30—17:30", "法定节假日休息"],
            "phone": "12366；（0000）8612 5566",
            "services": COMMON_SERVICES,
            "transport": "公交15路、32路“兴业路”站下车。",
            "facilities": ["ramp", "priority_window", "accessible_parking"],
            "notes": "服务厅入口设有无障碍坡道，行动不便的纳税人可联系现场导税人员提供帮助。",
            "lat": "31.188800",
            "lng": "115.061300",
        },
    ],
    "yi": [
        {
            "slug": "beicheng",
            "title": "乙市北城区办税服务厅",
            "district": "北城区",
            "address": "示例省乙市北城区文昌路36号",
            "hours": ["周一至周五 9:00—12:00，13:00—17:00", "征期最后3个工作日下午延时至18:00"],
            "phone": "12366；（0001）8715 2366",
            "services": COMMON_SERVICES,
            "transport": "地铁1号线文昌路站C出口步行约300米。",
            "facilities": ["ramp", "accessible_toilet", "priority_window", "wheelchair"],
            "notes": "",
            "lat": "29.874500",
            "lng": "113.902100",
        },
        {
            "slug": "nanshan",
            "title": "乙市南山区办税服务厅",
            "district": "南山区",
            "address": "示例省乙市南山区滨河东路120号",
            "hours": ["周一至周五 9:00—12:00，13:00—17:00", "征期最后3个工作日下午延时至18:00"],
            "phone": "12366；（0001）8726 1266",
            "services": COMMON_SERVICES + ["老年人帮办代办、预约上门服务"],
            "transport": "公交6路、21路“滨河东路”站下车。",
            "facilities": ["ramp", "accessible_toilet", "priority_window", "hearing_loop", "wheelchair"],
            "notes": "“适老化”服务专窗为60周岁以上老年人提供优先叫号、全程陪同和帮办代办，配备老花镜、放大镜和助听设备。",
            "lat": "29.851200",
            "lng": "113.925600",
        },
    ],
}


def deadline_rows(year: int, calendar: WorkCalendar | None = None) -> list[FilingDeadline]:
    """The year's monthly deadlines and yearly settlements, dates and notes by the rules."""
    calendar = calendar or WorkCalendar.load()
    rows = []
    for month in range(1, 13):
        deadline = monthly_deadline(year, month, calendar)
        types = MONTHLY + (QUARTERLY if month in QUARTER_MONTHS else []) + EXTRA.get(month, [])
        rows.append(FilingDeadline(date=deadline.date, tax_types="\n".join(types), note=deadline.note()))
    for month, day, title, types in YEARLY:
        due = date(year, month, day)
        shifted = next_working_day(due, calendar)
        note = ""
        if shifted != due:
            holiday = holiday_name(due)
            reason = f"{holiday}假期" if holiday else f"星期{WEEKDAYS[due.weekday()]}"
            note = f"{month}月{day}日为{reason}，顺延至{shifted.month}月{shifted.day}日"
        rows.append(
            FilingDeadline(date=shifted, title=title.format(prev=year - 1), tax_types="\n".join(types), note=note)
        )
    return sorted(rows, key=lambda row: row.date)


class TaxServiceLoader:
    def __init__(self, loader):
        self.loader = loader

    def run(self, key: str, home) -> None:
        column = self.loader.child(home, COLUMN_SLUG) or home
        self.calendar(column, CALENDARS[key])
        index = self.loader.add_page(
            column,
            ServiceHallIndexPage(title=HALL_INDEXES[key]["title"], slug=HALLS_SLUG, intro=HALL_INDEXES[key]["intro"]),
        )
        for spec in HALLS[key]:
            self.hall(index, spec)

    def calendar(self, column, spec: dict) -> FilingCalendarPage:
        year = timezone.localdate().year
        existing = self.loader.child(column, CALENDAR_SLUG)
        if existing is None:
            page = FilingCalendarPage(title=spec["title"], slug=CALENDAR_SLUG, intro=spec["intro"])
            for row in deadline_rows(year):
                page.deadlines.add(row)
            return self.loader.add_page(column, page)
        if not existing.deadlines.filter(date__year=year).exists():
            for row in deadline_rows(year):
                existing.deadlines.add(row)
            existing.save_revision().publish()
            self.loader.note(f"{year} filing deadlines for {existing.title}")
        return existing

    def hall(self, index, spec: dict) -> ServiceHallPage:
        flags = {f"has_{name}": True for name in spec["facilities"]}
        return self.loader.add_page(
            index,
            ServiceHallPage(
                title=spec["title"],
                slug=spec["slug"],
                district=spec["district"],
                address=spec["address"],
                opening_hours="\n".join(spec["hours"]),
                phone=spec["phone"],
                services="\n".join(spec["services"]),
                transport=spec["transport"],
                accessibility_notes=spec["notes"],
                latitude=Decimal(spec["lat"]),
                longitude=Decimal(spec["lng"]),
                **flags,
            ),
        )
