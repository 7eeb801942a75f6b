"""报告 → 年度报告汇总: each site's annual report of a year side by side with its key figures:
who sees which sites, the states (已发布 / 草稿 / 未创建), the links, the totals over the sites
that have a report, odd years, the export and the queries."""

import csv
import io
from html.parser import HTMLParser

import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.helpers import site_of, staff_client, url_of

from .helpers import report_of

pytestmark = pytest.mark.django_db

REPORT = "/admin/reports/annual-reports/"
MAIN, JIA, YI, LINJIANG = (
    "国家税务总局示例省税务局",
    "国家税务总局甲市税务局",
    "国家税务总局乙市税务局",
    "国家税务总局临江县税务局",
)
TOTAL = "合计（已有报告的站点）"
HEADINGS = [
    "本年新收",
    "上年结转",
    "办结",
    "结转下年度",
    "复议、诉讼",
    "行政规范性文件本年制发",
    "行政规范性文件现行有效",
]
WEBSITE_HEADINGS = [
    "网站总访问量（单位：次）",
    "独立用户访问总量（单位：个）",
    "信息发布",
    "收到留言数量（单位：条）",
    "办结留言数量（单位：条）",
]
D, W = slice(2, 9), slice(11, None)  # a row's figures of the two kinds (after each one's state and links)


class Table(HTMLParser):
    """The report table's rows (``table.listing``: the admin has other tables), each as the text of
    its cells, keyed by its row header."""

    def __init__(self):
        super().__init__()
        self.rows: dict[str, list[str]] = {}
        self.caption = ""
        self.headers: list[str] = []
        self._cells: list[str] | None = None
        self._text: str | None = None
        self._in_caption = False
        self._in_table = False
        self._scope_col = False

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self._in_table = "listing" in (dict(attrs).get("class") or "")
        elif tag == "caption" and self._in_table:
            self._in_caption = True
        elif tag == "tr" and self._in_table:
            self._cells = []
        elif tag in ("th", "td") and self._cells is not None:
            self._text = ""
            self._scope_col = tag == "th" and dict(attrs).get("scope") == "col"

    def handle_endtag(self, tag):
        if tag == "table":
            self._in_table = False
        elif tag == "caption":
            self._in_caption = False
        elif tag in ("th", "td") and self._text is not None:
            self._cells.append(" ".join(self._text.split()))
            if self._scope_col:
                self.headers.append(self._cells[-1])
                self._scope_col = False
            self._text = None
        elif tag == "tr" and self._cells:
            self.rows.setdefault(self._cells[0], self._cells[1:])
            self._cells = None

    def handle_data(self, data):
        if self._in_caption:
            self.caption += data
        if self._text is not None:
            self._text += data


def table(response) -> Table:
    assert response.status_code == 200, response.status_code
    parser = Table()
    parser.feed(response.content.decode())
    return parser


def key_figures(key: str) -> list[str]:
    """The seven figures the report shows for the demo's 2025 report of a site, from its page."""
    data = report_of(key).figures
    requests = data["requests"]
    return [
        str(value)
        for value in (
            requests["new"]["total"],
            requests["carried"]["total"],
            requests["decided"]["total"],
            requests["open"]["total"],
            sum(kind["total"] for kind in data["reviews"].values()),
            data["active"]["normative"]["issued"],
            data["active"]["normative"]["in_force"],
        )
    ]


def website_figures(key: str) -> list[str]:
    """The five figures the report shows for the demo's 2025 政府网站工作年度报表 of a site."""
    from annualreports.models import WebsiteReportPage

    data = WebsiteReportPage.objects.descendant_of(site_of(key).root_page).get(year=2025).figures
    return [str(data[name]) for name in ("views", "visitors", "published", "letters_received", "letters_answered")]


def test_the_menu_links_the_report():
    assert reverse("annualreports_cluster") == REPORT
    assert REPORT in staff_client("sheng_admin").get("/admin/").content.decode()
    assert REPORT in staff_client("jia_editor").get("/admin/").content.decode()


def test_provincial_staff_see_every_sites_report_with_its_figures():
    found = table(staff_client("sheng_admin").get(REPORT, {"year": 2025}))
    assert found.caption == "2025年度报告汇总"
    assert list(found.rows)[:2] == ["站点", "状态"]  # the two header rows
    assert found.headers == ["站点", "状态", "链接", *HEADINGS, "状态", "链接", *WEBSITE_HEADINGS]
    sites = [name for name in found.rows if name.startswith("国家税务总局")]
    assert sites == [MAIN, JIA, LINJIANG, YI]  # the provincial site first, then by host, as in the other reports
    main = found.rows[MAIN]
    assert main[0] == "已发布"
    assert main[D] == ["23", "2", "24", "1", key_figures("main")[4], "1", "2"]  # the demo's main report
    assert main[D] == key_figures("main")
    assert main[9] == "已发布" and main[W] == website_figures("main")
    for key, name in (("jia", JIA), ("yi", YI)):
        assert found.rows[name][0] == "已发布" and found.rows[name][D] == key_figures(key)
        assert found.rows[name][9] == "已发布" and found.rows[name][W] == website_figures(key)
    assert found.rows[LINJIANG] == ["未创建", "", "未创建", ""]  # no figures, not zeros
    sums = [str(sum(int(found.rows[name][2 + n]) for name in (MAIN, JIA, YI))) for n in range(7)]
    website_sums = [str(sum(int(found.rows[name][11 + n]) for name in (MAIN, JIA, YI))) for n in range(5)]
    assert found.rows[TOTAL] == ["已有报告 3 份", "", *sums, "已有报告 3 份", "", *website_sums]


def test_each_report_links_its_page_downloads_and_editor_where_the_user_may_edit():
    html = staff_client("sheng_admin").get(REPORT, {"year": 2025}).content.decode()
    main = report_of("main")
    assert f'href="{url_of(main)}"' in html
    assert f'href="{url_of(main)}xlsx/"' in html and f'href="{url_of(main)}pdf/"' in html
    assert f'href="{reverse("wagtailadmin_pages:edit", args=[main.pk])}"' in html
    jia = report_of("jia")
    assert f'href="{jia.get_url()}xlsx/"' in html  # the city's live page on its own host
    assert "<caption>" in html and '<th scope="colgroup" colspan="9">政府信息公开工作年度报告</th>' in html
    assert '<th scope="colgroup" colspan="7">政府网站工作年度报表</th>' in html
    assert f'<th scope="row">{MAIN}</th>' in html
    jia_html = staff_client("jia_editor").get(REPORT, {"year": 2025}).content.decode()
    assert f'href="{reverse("wagtailadmin_pages:edit", args=[jia.pk])}"' in jia_html


def test_city_staff_see_their_own_site_only():
    client = staff_client("jia_editor")
    found = table(client.get(REPORT, {"year": 2025}))
    assert [name for name in found.rows if name.startswith("国家税务总局")] == [JIA]
    assert found.rows[JIA][D] == key_figures("jia") and found.rows[JIA][W] == website_figures("jia")
    assert found.rows[TOTAL][D] == key_figures("jia")
    assert client.get(REPORT, {"year": 2025, "site": site_of("main").pk}).status_code == 302  # refused


def test_a_draft_shows_its_figures_without_public_links():
    main = report_of("main")
    main.unpublish()
    response = staff_client("sheng_admin").get(REPORT, {"year": 2025})
    html, found = response.content.decode(), table(response)
    assert found.rows[MAIN][0] == "草稿" and found.rows[MAIN][D] == key_figures("main")
    assert f'href="{url_of(main)}xlsx/"' not in html
    assert f'href="{reverse("wagtailadmin_pages:edit", args=[main.pk])}"' in html


def test_a_year_without_reports_shows_each_site_missing():
    found = table(staff_client("sheng_admin").get(REPORT, {"year": 2019}))
    assert found.caption == "2019年度报告汇总"
    for name in (MAIN, JIA, YI, LINJIANG):
        assert found.rows[name] == ["未创建", "", "未创建", ""]
    assert found.rows[TOTAL] == ["已有报告 0 份", "", *["—"] * 7, "已有报告 0 份", "", *["—"] * 5]


@pytest.mark.parametrize("year", ["abc", "", "99999", "-1", "2025.5", "1e3"])
def test_odd_years_fall_back_to_last_year(year):
    found = table(staff_client("sheng_admin").get(REPORT, {"year": year}))
    assert found.caption == f"{timezone.localdate().year - 1}年度报告汇总"


def test_the_export_has_the_rows_and_the_total():
    response = staff_client("sheng_admin").get(REPORT, {"year": 2025, "export": "csv"})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="annual-reports-')
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    label = "政府信息公开工作年度报告："
    website = "政府网站工作年度报表："
    assert rows[0] == [
        "站点",
        label + "状态",
        label + "网址",
        *(label + heading for heading in HEADINGS),
        website + "状态",
        website + "网址",
        *(website + heading for heading in WEBSITE_HEADINGS),
    ]
    by_site = {row[0]: row[1:] for row in rows[1:]}
    assert by_site[MAIN][0] == "已发布" and by_site[MAIN][1] == report_of("main").full_url
    assert by_site[MAIN][D] == key_figures("main") and by_site[MAIN][W] == website_figures("main")
    assert by_site[LINJIANG] == ["未创建", "", *[""] * 7, "未创建", "", *[""] * 5]
    assert by_site[TOTAL][0] == "已有报告 3 份"
    assert list(by_site) == [MAIN, JIA, LINJIANG, YI, TOTAL]

    xlsx = staff_client("jia_editor").get(REPORT, {"year": 2025, "export": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert [row[0] for row in values[1:]] == [JIA, TOTAL]
    assert values[1][3:10] == key_figures("jia")


def test_staff_without_a_site_are_refused():
    user = get_user_model().objects.create_user("nobody", password="x")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client = Client(HTTP_HOST="localhost:8000")
    client.force_login(user)
    assert client.get(REPORT).status_code == 302  # Wagtail's refusal: to the dashboard, with a message
    assert REPORT not in client.get("/admin/").content.decode()


def test_the_queries_do_not_grow_with_the_sites(django_assert_max_num_queries):
    client = staff_client("sheng_admin")
    client.get(REPORT, {"year": 2025})  # the session, the site root paths
    with CaptureQueriesContext(connection) as one_site:
        table(client.get(REPORT, {"year": 2025, "site": site_of("jia").pk}))
    with django_assert_max_num_queries(len(one_site)):
        found = table(client.get(REPORT, {"year": 2025}))
    assert len([name for name in found.rows if name.startswith("国家税务总局")]) == 4
    with django_assert_max_num_queries(20):
        client.get(REPORT, {"year": 2025, "export": "csv"})
