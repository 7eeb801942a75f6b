"""法定主动公开内容: each site's checklist of the categories the 条例 requires, mapped to its
columns, and the report that says which category has no column, nothing published or
nothing within its period."""

import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse
from wagtail.models import Site

from disclosure import checks
from disclosure.models import StatutoryChecklist
from disclosure.statutory import DEFAULT_CATEGORIES
from home.models import ColumnPage
from portal.permissions import ordered_sites
from tests.factories import SiteFactory
from tests.helpers import staff_client

pytestmark = pytest.mark.django_db

REPORT = reverse("disclosure_statutory")


def rows_of(site, today=None):
    return {row.basis: row for row in checks.statuses([site], today)}


def test_a_site_without_a_checklist_is_checked_against_the_whole_statutory_list():
    site = SiteFactory()
    rows = checks.statuses([site])
    assert [row.name for row in rows] == [name for name, _, _ in DEFAULT_CATEGORIES]
    assert {row.state for row in rows} == {"no_column"}


def test_a_mapped_category_counts_the_pages_below_its_columns_and_is_overdue_after_its_period():
    main = Site.objects.get(is_default_site=True)
    row = rows_of(main)["第二十条第（十四）项"]  # 公务员招考 → 人事信息, 365 days
    assert [column.slug for column in row.columns] == ["rsxx"]
    rsxx = ColumnPage.objects.get(pk=row.columns[0].pk)
    assert row.published == rsxx.get_children().live().count() == 3
    last = row.last_published
    assert rows_of(main, last + timedelta(days=365))["第二十条第（十四）项"].state == "ok"
    assert rows_of(main, last + timedelta(days=366))["第二十条第（十四）项"].state == "overdue"


def test_an_empty_column_and_an_unmapped_category_are_reported():
    county = Site.objects.get(hostname="linjiang.localhost")
    rows = rows_of(county)
    assert rows["第十九条"].state == "empty"  # 通知公告, nothing published yet
    assert rows["第二十条第（七）项"].state == "no_column"


def test_staff_edit_the_checklist_as_a_site_setting():
    main = Site.objects.get(is_default_site=True)
    checklist = StatutoryChecklist.for_site(main)
    statistics = ColumnPage.objects.descendant_of(main.root_page).get(slug="jgzn")
    value = list(checklist.categories.raw_data)
    value.append(
        {"type": "category", "value": {"name": "税收统计", "basis": "", "period_days": 30, "columns": [statistics.pk]}}
    )
    checklist.categories = value
    checklist.save()
    row = checks.statuses([main])[-1]
    assert (row.name, [c.pk for c in row.columns], row.period_days) == ("税收统计", [statistics.pk], 30)
    url = reverse("wagtailsettings:edit", args=["disclosure", "statutorychecklist", main.pk])
    assert staff_client("admin").get(url).status_code == 200


def test_the_cluster_is_checked_in_a_fixed_number_of_queries(django_assert_max_num_queries):
    sites = ordered_sites()
    with django_assert_max_num_queries(6):  # checklists, columns, content type, pages per column depth
        rows = checks.statuses(sites)
    assert len(rows) == len(DEFAULT_CATEGORIES) * len(sites)


def test_provincial_staff_see_every_site_and_city_staff_their_own():
    html = staff_client("sheng_reviewer").get(REPORT).content.decode()
    assert "示例省税务局" in html and "甲市税务局" in html and "临江县税务局" in html
    assert "未指定发布栏目" in html
    jia = staff_client("jia_editor").get(REPORT).content.decode()
    assert "甲市税务局" in jia and "乙市税务局" not in jia
    main = Site.objects.get(is_default_site=True)
    refused = staff_client("jia_editor").get(REPORT, {"site": main.pk})  # Wagtail: back to the dashboard
    assert refused.status_code == 302 and refused["Location"] == "/admin/"
    problems = staff_client("sheng_reviewer").get(REPORT, {"site": main.pk, "problems": "1"}).content.decode()
    assert "公务员招考" not in problems and "统计信息" in problems


def test_the_report_exports_csv():
    main = Site.objects.get(is_default_site=True)
    response = staff_client("sheng_reviewer").get(REPORT, {"site": main.pk, "export": "csv"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:2] == ["站点", "公开类别"]
    assert len(rows) == 1 + len(DEFAULT_CATEGORIES)
    assert any(row[1].startswith("财政预算") and row[3] == "财政预决算" for row in rows)
