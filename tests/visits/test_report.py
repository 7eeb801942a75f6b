"""报告 → 网站访问量: who sees which sites, the chart and its table, the export, the demo's
figures, and a view counted a moment ago showing up (the report flushes first)."""

import csv
import datetime
import io
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.helpers import HOSTS, site_of, staff_client
from visits import counter, queries
from visits.demo import FIRST_DAY, VisitsLoader
from visits.models import DailyVisits

pytestmark = pytest.mark.django_db

REPORT = "/admin/reports/visits/"


@pytest.fixture(autouse=True)
def fresh_counter():
    counter.tally.take()
    counter.salts.forget()
    yield
    counter.tally.take()


def text(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_the_menu_links_the_report():
    assert reverse("visits_report") == REPORT
    html = text(staff_client("admin").get("/admin/"))
    assert REPORT in html


def test_provincial_staff_see_every_site_with_a_chart_and_its_table():
    html = text(staff_client("sheng_editor").get(REPORT, {"from": "2025-01", "to": "2025-12"}))
    assert re.search(r'<svg role="img" aria-labelledby="visits-chart-title" aria-describedby="visits-chart-desc"', html)
    assert '<title id="visits-chart-title">2025-01 至 2025-12 每月访问量与独立访客</title>' in html
    assert '<desc id="visits-chart-desc">' in html
    assert html.count("<rect ") == 24  # twelve months, two bars each
    assert "<caption>每月访问量（全部站点）</caption>" in html
    assert '<th scope="row">2025-07</th>' in html
    assert "各站点访问量" in html and "甲市税务局" in html and "乙市税务局" in html
    main = queries.totals(site_of("main"), datetime.date(2025, 1, 1), datetime.date(2025, 12, 31))
    assert main.views > 1_000_000  # the demo's year
    assert f"<td>{main.views}</td>" in html


def test_one_month_is_shown_day_by_day():
    html = text(staff_client("admin").get(REPORT, {"from": "2025-02", "to": "2025-02", "site": site_of("jia").pk}))
    assert "<caption>每日访问量（" in html
    assert html.count('<th scope="row">2025-02-') == 28
    assert "各站点访问量" not in html  # one site chosen


def test_city_staff_see_their_own_site_only():
    jia = staff_client("jia_editor")
    html = text(jia.get(REPORT, {"from": "2025-01", "to": "2025-03"}))
    assert "乙市税务局" not in html and "各站点访问量" not in html
    jia_views = queries.totals(site_of("jia"), datetime.date(2025, 1, 1), datetime.date(2025, 3, 31)).views
    assert f"<td>{jia_views}</td>" in html
    assert jia.get(REPORT, {"site": site_of("main").pk}).status_code == 302  # refused (Wagtail: to the dashboard)
    assert jia.get(REPORT, {"site": site_of("yi").pk}).status_code == 302
    export = jia.get(REPORT, {"from": "2025-01", "to": "2025-03", "export": "csv"})
    rows = list(csv.reader(io.StringIO(export.content.decode("utf-8-sig"))))
    assert rows[0] == ["站点", "月份", "访问量", "独立访客"]
    assert {row[0] for row in rows[1:]} == {"甲市税务局"}
    assert sum(int(row[2]) for row in rows[1:]) == jia_views


def test_staff_without_a_site_are_refused():
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Permission

    user = get_user_model().objects.create_user("nobody", password="x")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client = Client(HTTP_HOST="localhost:8000")
    client.force_login(user)
    assert client.get(REPORT).status_code == 302
    assert REPORT not in client.get("/admin/").content.decode()


def test_xlsx_export():
    response = staff_client("admin").get(REPORT, {"from": "2025-01", "to": "2025-02", "export": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="website-visits-')


def test_a_view_a_moment_ago_is_in_the_report():
    month = timezone.localdate().strftime("%Y-%m")
    before = queries.totals(site_of("yi"), timezone.localdate(), timezone.localdate()).views
    Client(HTTP_HOST=f"{HOSTS['yi']}:8000", HTTP_USER_AGENT="Mozilla/5.0").get("/")
    html = text(staff_client("admin").get(REPORT, {"from": month, "to": month, "site": site_of("yi").pk}))
    assert queries.totals(site_of("yi"), timezone.localdate(), timezone.localdate()).views == before + 1
    assert f'<th scope="row">{timezone.localdate():%Y-%m-%d}</th>\n    <td>{before + 1}</td>' in html


@pytest.mark.parametrize(
    "period",
    [{"from": "2025-13", "to": "x"}, {"from": "2026-05", "to": "2025-01"}, {"from": "0001-01", "to": "9999-12"}],
)
def test_crafted_periods_fall_back_to_this_year(period):
    html = text(staff_client("admin").get(REPORT, period))
    assert f"{timezone.localdate().year}-01-01 至" in html


def test_demo_visits_are_plausible_and_loading_again_adds_nothing():
    site = site_of("main")
    rows = DailyVisits.objects.filter(site=site, day__gte=FIRST_DAY)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    assert rows.count() == (yesterday - FIRST_DAY).days + 1
    sample = rows.get(day=datetime.date(2025, 3, 10))  # a Monday in the filing period
    assert 5_000 < sample.views < 30_000 and sample.views / 4 < sample.visitors < sample.views / 2
    assert rows.get(day=datetime.date(2025, 3, 16)).views < sample.views  # a Sunday
    assert VisitsLoader().run([site, site_of("jia"), site_of("yi")]) == 0
