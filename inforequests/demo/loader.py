"""Demo of 依申请公开: each content site's 政府信息公开申请 page under 政府信息公开, and a year of
applications (``content.py``) taken through the real procedure (``services.py``): received from
December 2024 to December 2025 (some carried into 2025 and into 2026), every outcome and reason
of the format on the main site, 补正 answered and missed, third-party consultations,
extensions, a 行政复议 and 行政诉讼; plus a few open applications received in the days before
loading. They have fixed 查询码 (``GKDEMOM01`` …) and the letters' demo password, so the lookup
can be tried. Sites whose page has applications are left alone."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.contrib.auth.hashers import make_password
from django.utils import timezone
from wagtail.models import Site

from correspondence.demo.letters import DEMO_PASSWORD
from home.models import ColumnPage
from portal.workdays import WorkCalendar

from .. import services
from ..forms import id_card_check_digit
from ..models import Application, ApplicationPage, Review
from . import content_applications as content

PAGE = {
    "slug": "ysqgk",
    "title": "政府信息公开申请",
    "intro": "依照《中华人民共和国政府信息公开条例》，公民、法人和其他组织可以向本机关申请获取政府信息。",
    "rules": (
        "<p>请写明申请人的姓名或者名称、身份证明、联系方式，所需政府信息的名称、文号或者便于本机关查询的其他特征性描述，以及获取信息的方式。</p>"
        "<p>已经主动公开的信息，本机关告知获取的方式和途径。查询本人纳税记录、开具完税证明等属于涉税业务，请通过电子税务局或者办税服务厅办理。</p>"
        "<p>申请人对答复不服的，可以依法申请行政复议或者提起行政诉讼。申请人的个人信息只用于办理本申请，不会公开。</p>"
    ),
}
CASES = {"main": content.MAIN, "jia": content.CITY, "yi": content.COUNTY}
REVIEW_BODIES = {
    "main": ("国家税务总局", "甲市中级人民法院"),
    "jia": ("国家税务总局示例省税务局", "甲市甲区人民法院"),
    "yi": ("国家税务总局示例省税务局", "乙市人民法院"),
}
FIRST, LAST = date(2024, 12, 16), date(2025, 12, 22)


def id_number(base: str) -> str:
    """A demo person's 居民身份证 number with its check digit; other numbers as written."""
    if len(base) != 17 or not base.isdigit():
        return base
    return base + id_card_check_digit(base)


class ApplicationsLoader:
    def __init__(self, loader):
        self.loader = loader
        self.calendar = WorkCalendar.load()
        self.password_hash = make_password(DEMO_PASSWORD)

    def run(self) -> None:
        for site in Site.objects.select_related("root_page").order_by("-is_default_site", "hostname"):
            column = ColumnPage.objects.child_of(site.root_page).filter(slug="xxgk").first()
            if column is None:
                continue
            page = self.loader.add_page(column, ApplicationPage(**PAGE))
            key = "main" if site.is_default_site else site.hostname.split(".")[0]
            if key not in CASES or page.applications.exists():
                continue
            self.applications(key, site, page)
            page.notify_email = f"xxgk@{site.hostname}"
            page.save_revision().publish()

    def workday(self, day: date, after: int) -> date:
        return self.calendar.add_workdays(day, after)

    def applications(self, key: str, site, page) -> None:
        cases = CASES[key]
        step = (LAST - FIRST).days // max(len(cases) - 1, 1)
        for number, case in enumerate(cases, start=1):
            received = self.workday(FIRST + timedelta(days=step * (number - 1)) - timedelta(days=1), 1)
            self.case(f"GKDEMO{key[0].upper()}{number:02d}", key, site, page, received, case)
        today = timezone.localdate()
        for number, (person, title, description, state) in enumerate(content.OPEN[key], start=len(cases) + 1):
            received = self.workday(today - timedelta(days=4 + number % 3), 0) if state != "received" else today
            received = min(received, today)
            application = self.submit(
                f"GKDEMO{key[0].upper()}{number:02d}", site, page, received, person, title, "", description
            )
            if state in ("processing", "clarifying"):
                services.register(application, None, received)
            if state == "clarifying":
                services.request_clarification(
                    application, None, content.CLARIFY_REQUEST, on=min(self.workday(received, 1), today)
                )

    def submit(self, code, site, page, received, person, title, number, description) -> Application:
        name, applicant_type, id_type, base, contact = content.PEOPLE[person]
        data = {
            "applicant_type": applicant_type,
            "name": name,
            "id_type": id_type,
            "id_number": id_number(base),
            "contact_name": contact,
            "phone": f"0990-{8800000 + person * 1111}",
            "address": "示例省甲市和平路100号",
            "postcode": "999001",
            "info_title": title,
            "info_number": number,
            "info_description": description,
            "delivery": ("email", "post", "collect", "online")[person % 4],
        }
        if data["delivery"] == "email":
            data["delivery"] = "disc"  # the demo sends no mail to its invented applicants
        when = timezone.make_aware(datetime.combine(received, time(9, 30)))
        application, _password = services.submit(page, site, data, [], "zh-hans", when=when)
        Application.objects.filter(pk=application.pk).update(code=code, password_hash=self.password_hash)
        application.code = code
        self.loader.note(f"依申请公开 {code} {title}")
        return application

    def case(self, code, key, site, page, received, case) -> None:
        person, title, number, description, outcome, reason, steps = case
        application = self.submit(code, site, page, received, person, title, number, description)
        services.register(application, None, received)
        start = received
        if "clarify" in steps or "clarify_missed" in steps:
            asked = self.workday(received, 2)
            deadline = self.workday(asked, 10)
            services.request_clarification(application, None, content.CLARIFY_REQUEST, deadline, on=asked)
            if "clarify_missed" in steps:
                services.withdraw_unclarified(application, deadline + timedelta(days=1))
                return
            start = self.workday(asked, 4)
            services.clarify(application, content.CLARIFICATION, on=start)
        work = 12
        if "consult" in steps:
            asked = self.workday(start, 3)
            services.start_consultation(application, None, content.THIRD_PARTIES, on=asked)
            services.end_consultation(application, None, "第三方书面回复不同意公开。", on=self.workday(asked, 9))
            work += 9
        if "extend" in steps:
            services.extend(application, None, content.EXTENSION_REASON, on=self.workday(start, 18))
            work = 30 + (9 if "consult" in steps else 0)
        decided = self.workday(start, work)
        text = content.DECISIONS.get(reason or outcome).format(title=title)
        services.decide(application, None, outcome, reason, text, on=decided)
        self.reviews(application, key, steps, decided)

    def reviews(self, application, key, steps, decided) -> None:
        """复议 (upheld on the main site, corrected on 甲市's), a lawsuit after it, a direct lawsuit;
        each concluded when that day has come by the time the demo is loaded, else pending."""
        today = timezone.localdate()
        agency, court = REVIEW_BODIES[key]

        def record(kind, filed, body, days, result, note=""):
            end = filed + timedelta(days=days) if days else None
            if end is None or end > today:
                result, end, note = Review.Result.PENDING, None, ""
            data = {"kind": kind, "filed_on": filed, "body": body, "result": result, "concluded_on": end, "note": note}
            services.add_review(application, None, data)
            return end

        if "reconsideration" in steps or "lawsuit_after" in steps:
            upheld = Review.Result.UPHELD if key == "main" else Review.Result.CORRECTED
            end = record(Review.Kind.RECONSIDERATION, decided + timedelta(days=25), agency, 55, upheld)
            if "lawsuit_after" in steps and end and end + timedelta(days=20) <= today:
                record(Review.Kind.LAWSUIT_AFTER, end + timedelta(days=20), court, 0, Review.Result.PENDING)
        if "lawsuit" in steps:
            note = "法院判决驳回原告的诉讼请求。"
            record(Review.Kind.LAWSUIT, decided + timedelta(days=40), court, 120, Review.Result.UPHELD, note)
