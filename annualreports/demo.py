"""Demo of the annual reports: the 2025 政府信息公开工作年度报告 and 政府网站工作年度报表 of the three
content sites,
generated from their demo records (the applications of ``inforequests/demo``, the policies of
``home/demo``) and published in the site's 年报 column (信息公开年报 on the main site, 信息公开目录
on the city sites). The editor text quotes the generated figures, as an editor would write it;
the 报表's rows the portal holds no data for are figures "from the bureau's other systems".
Sites that have their reports are left alone."""

from __future__ import annotations

from datetime import date, datetime

from django.utils import timezone
from wagtail.models import Site

from home.models import ColumnPage
from portal.permissions import site_full_name

from . import figures, website
from .models import DisclosureReportPage, WebsiteReportPage

YEAR = 2025
ENTERED = {  # 行政许可, 行政处罚, 行政强制 decisions and 收费 (万元) from the bureaus' own systems
    "main": (12, 1376, 3, "0"),
    "jia": (4, 412, 1, "0"),
    "yi": (2, 186, 0, "0"),
}
PROBLEMS = (
    "<p>一是部分栏目更新不够及时，个别基层单位的信息报送存在滞后。二是政策解读形式仍以文字为主，图解、视频等形式占比不高。"
    "三是依申请公开答复文书的说理还需加强。</p>"
    "<p>2026年，{short}将建立栏目更新时限提醒机制，每月通报监测结果；增加图解、视频和在线访谈等解读形式；"
    "组织政府信息公开答复文书专题培训，规范答复的依据和救济途径告知。</p>"
)
OTHER = (
    "<p>本年度未依据《政府信息公开信息处理费管理办法》收取信息处理费。"
    "本年度承办的人大代表建议和政协提案均已按期办结，办理结果按规定公开。</p>"
)


def overview(site, short: str, data: dict) -> list:
    requests = data["requests"]
    total = lambda row: requests[row]["total"]  # noqa: E731
    normative = data["active"]["normative"]
    reviews = data["reviews"]
    filed = sum(kind["total"] for kind in reviews.values())
    return [
        (
            "paragraph",
            f"<p>{YEAR}年，{short}深入贯彻《中华人民共和国政府信息公开条例》，坚持以公开为常态、不公开为例外，"
            f"通过门户网站、政务新媒体和办税服务厅公开栏主动公开政府信息，规范办理政府信息公开申请。</p>",
        ),
        (
            "paragraph",
            f"<p>主动公开方面，全年制发行政规范性文件{normative['issued']}件，废止{normative['repealed']}件，"
            f"年末现行有效{normative['in_force']}件，均在门户网站政府信息公开目录中发布并标注有效性。</p>",
        ),
        (
            "paragraph",
            f"<p>依申请公开方面，全年新收政府信息公开申请{total('new')}件，上年结转{total('carried')}件，"
            f"办结{total('decided')}件，结转下年度继续办理{total('open')}件，均在法定期限内答复。"
            f"因政府信息公开工作被申请行政复议或提起行政诉讼共{filed}件。</p>",
        ),
    ]


# What the 报表 takes from outside the portal: 媒体评论, 回应热点, 注册用户, 办件量 (自然人, 法人),
# 安全检测, 问题 (发现, 整改), weibo and WeChat (posts, followers), the people who sign it.
WEBSITE_ENTERED = {
    "main": (6, 4, 1286400, 3452100, 2180750, 4, 7, 7, 812, 126300, 1046, 583200, ("周明远", "陈立", "刘晓雯")),
    "jia": (2, 1, 214800, 562300, 371900, 2, 3, 3, 305, 28400, 412, 96100, ("郑国华", "孙蕾", "马一凡")),
    "yi": (1, 1, 158300, 401700, 266400, 2, 2, 2, 0, 0, 287, 61800, ("吴建平", "赵敏", "冯子涵")),
}


class AnnualReportsLoader:
    def __init__(self, loader):
        self.loader = loader

    def run(self) -> None:
        for site in Site.objects.select_related("root_page").order_by("-is_default_site", "hostname"):
            key = "main" if site.is_default_site else site.hostname.split(".")[0]
            if key not in ENTERED:
                continue
            xxgk = ColumnPage.objects.child_of(site.root_page).filter(slug="xxgk").first()
            column = xxgk and (
                ColumnPage.objects.child_of(xxgk).filter(slug="ndbg").first()
                or ColumnPage.objects.child_of(xxgk).filter(slug="xxgkml").first()
            )
            if column is None:
                continue
            if not DisclosureReportPage.objects.descendant_of(site.root_page).filter(year=YEAR).exists():
                self.report(site, key, column)
            if not WebsiteReportPage.objects.descendant_of(site.root_page).filter(year=YEAR).exists():
                self.website_report(site, key, column)

    def report(self, site, key: str, column) -> None:
        name = site_full_name(site)
        short = "本局"
        data = figures.compute(site, YEAR)
        licences, penalties, enforcement, fees = ENTERED[key]
        page = DisclosureReportPage(
            title=f"{name}{YEAR}年政府信息公开工作年度报告",
            slug=f"ndbg-{YEAR}-annual-report",
            year=YEAR,
            date=timezone.make_aware(datetime(YEAR + 1, 1, 20, 9, 0)),
            source=f"{name}办公室",
            summary=f"报告{YEAR}年{name}主动公开政府信息、办理政府信息公开申请、行政复议和行政诉讼情况，以及存在的主要问题和改进措施。",
            keywords=f"信息公开年报,{YEAR}年,政府信息公开",
            body=overview(site, short, data),
            licences=licences,
            penalties=penalties,
            enforcement=enforcement,
            fees=fees,
            problems=PROBLEMS.format(short=short),
            other_matters=OTHER,
            figures=data,
        )
        self.loader.add_page(column, page, first_published_at=page.date)

    def website_report(self, site, key: str, column) -> None:
        name = site_full_name(site)
        comments, hot, users, people, firms, checks, problems, fixed, weibo, fans, posts, readers, signed = (
            WEBSITE_ENTERED[key]
        )
        account = name.removeprefix("国家税务总局").removesuffix("税务局") + "税务"
        page = WebsiteReportPage(
            title=f"{name}网站{YEAR}年度工作报表",
            slug=f"wzndbb-{YEAR}",
            year=YEAR,
            date=timezone.make_aware(datetime(YEAR + 1, 1, 20, 9, 30)),
            source=f"{name}办公室",
            summary=f"{name}门户网站{YEAR}年度的访问量、信息发布、解读回应、办事服务、互动交流、安全防护和移动新媒体情况。",
            keywords=f"网站年度报表,{YEAR}年,政府网站",
            body=[("paragraph", "<p>根据《政府网站发展指引》，现将本网站年度工作报表予以公开。</p>")],
            site_type=WebsiteReportPage.SiteType.DEPARTMENT,
            media_comments=comments,
            hot_responses=hot,
            registered_users=users,
            cases_person=people,
            cases_organisation=firms,
            smart_qa=False,
            security_checks=checks,
            problems_found=problems,
            problems_fixed=fixed,
            security_monitoring=True,
            security_drills=True,
            security_officer=True,
            new_media=True,
            weibo_name=f"{account}" if weibo else "",
            weibo_posts=weibo,
            weibo_followers=fans,
            wechat_name=f"{account}",
            wechat_posts=posts,
            wechat_subscribers=readers,
            other_media="",
            head=signed[0],
            reviewer=signed[1],
            filler=signed[2],
            contact_phone="0990-12366",
            filled_on=date(YEAR + 1, 1, 15),
            figures=website.compute(site, YEAR),
        )
        self.loader.add_page(column, page, first_published_at=page.date)
