"""The report as a page: the demo's published reports, what visitors read and download (no
applicant's name or number anywhere), the snapshot that later edits to the records do not
change, 重新统计, one report per site and year, and the staff view of what each figure counts."""

import io
from datetime import date

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from annualreports.models import DisclosureReportPage
from home.models import ColumnPage
from inforequests import services
from inforequests.models import Application
from tests.helpers import site_of, staff_client, url_of
from tests.inforequests.helpers import apply

from .helpers import decided, report_of

pytestmark = pytest.mark.django_db


def test_the_demo_publishes_each_content_sites_2025_report_with_figures_from_its_records(site_client):
    for key in ("main", "jia", "yi"):
        report = report_of(key)
        assert report.live and report.figures["year"] == 2025
        requests = report.figures["requests"]
        assert requests["new"]["total"] + requests["carried"]["total"] > 0, key
        assert requests["new"]["total"] + requests["carried"]["total"] == (
            requests["decided"]["total"] + requests["open"]["total"]
        )
    main = report_of("main").figures["requests"]
    assert (main["new"]["total"], main["carried"]["total"], main["decided"]["total"], main["open"]["total"]) == (
        23,
        2,
        24,
        1,
    )


def test_visitors_read_all_six_sections_and_the_computed_tables(site_client):
    report = report_of("main")
    html = site_client("main").get(url_of(report)).content.decode()
    for heading in (
        "一、总体情况",
        "二、主动公开政府信息情况",
        "三、收到和处理政府信息公开申请情况",
        "四、政府信息公开行政复议、行政诉讼情况",
        "五、存在的主要问题及改进情况",
        "六、其他需要报告的事项",
    ):
        assert f">{heading}</h2>" in html
    assert "全年新收政府信息公开申请23件，上年结转2件，办结24件" in html  # the demo's overview
    assert '<th colspan="3" scope="row" id="t3-new">一、本年新收政府信息公开申请数量</th>' in html
    assert '<td headers="t3-applicants t3-total t3-new">23</td>' in html
    assert '<td headers="t3-applicants t3-total t3-t3-results' not in html
    assert '<td headers="t3-applicants t3-total t3-results t3-decided">24</td>' in html
    assert '<td headers="t3-applicants t3-total t3-open">1</td>' in html
    assert "<td>1376</td>" in html  # 行政处罚, entered by staff
    assert "/admin/" not in html  # no staff links to the records on the public page
    assert 'href="' + url_of(report) + 'xlsx/"' in html and 'href="' + url_of(report) + 'pdf/"' in html


def personal_data(site) -> list[str]:
    people = Application.objects.filter(site=site).values_list("name", "id_number", "phone", "email")
    return [value for row in people for value in row if value]


def test_no_applicant_is_named_on_the_page_or_in_the_downloads(site_client):
    report = report_of("main")
    client = site_client("main")
    html = client.get(url_of(report)).content.decode()
    workbook = openpyxl.load_workbook(io.BytesIO(client.get(url_of(report) + "xlsx/").content))
    sheet = "\n".join(
        str(cell.value) for ws in workbook.worksheets for row in ws.iter_rows() for cell in row if cell.value
    )
    pdf = client.get(url_of(report) + "pdf/")
    assert pdf["Content-Type"] == "application/pdf"
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "一、本年新收政府信息公开申请数量" in sheet
    assert "本年新收" in text.replace(" ", "") and "行政复议" in text.replace(" ", "")
    secrets = personal_data(site_of("main"))
    assert len(secrets) > 40
    for value in secrets:
        assert value not in html and value not in sheet and value not in text, value


def test_the_spreadsheet_has_the_national_layout_with_merged_headers(site_client):
    report = report_of("main")
    response = site_client("main").get(url_of(report) + "xlsx/")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment; filename*=UTF-8''" in response["Content-Disposition"]
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    cells = {cell.value: cell for ws in workbook.worksheets for row in ws.iter_rows() for cell in row if cell.value}
    new = cells["一、本年新收政府信息公开申请数量"]
    ws = new.parent
    values = [cell.value for cell in ws[new.row] if cell.column > new.column and cell.value is not None]
    assert len(values) == 7
    requests = report.figures["requests"]["new"]
    expected = [requests[key] for key in ("person", "commercial", "research", "nonprofit", "legal_service")]
    assert [int(v) for v in values[:5]] == expected and int(values[-1]) == requests["total"]
    merged = [str(r) for r in ws.merged_cells.ranges]
    assert any(r.startswith("A") for r in merged)  # the row groups 三、本年度办理结果 …


def report_form(report, **changes):
    data = {
        "title": report.title,
        "slug": report.slug,
        "year": report.year,
        "date": report.date.strftime("%Y-%m-%d %H:%M"),
        "source": report.source,
        "author": "",
        "editor": "",
        "summary": report.summary,
        "keywords": report.keywords,
        "body": streamfield([("paragraph", rich_text("<p>总体情况。</p>"))]),
        "licences": report.licences,
        "penalties": report.penalties,
        "enforcement": report.enforcement,
        "fees": str(report.fees),
        "problems": rich_text("<p>无。</p>"),
        "other_matters": rich_text("<p>无。</p>"),
        "attachments": inline_formset([]),
    }
    data.update(changes)
    return nested_form_data(data)


@pytest.fixture
def jia_column():
    site = site_of("jia")
    xxgk = ColumnPage.objects.child_of(site.root_page).get(slug="xxgk")
    return ColumnPage.objects.child_of(xxgk).get(slug="xxgkml")


def test_staff_create_a_report_whose_figures_are_a_snapshot_until_they_ask_for_a_recount(jia_column, site_client):
    decided("jia", date(2023, 3, 1), date(2023, 3, 20), "disclosed")
    still_open = apply("jia", on=date(2023, 6, 12))
    client = staff_client("admin")
    blank = DisclosureReportPage(
        title="甲市2023年报", slug="ndbg-2023", year=2023, date=timezone.now(), source="办公室"
    )
    response = client.post(
        reverse("wagtailadmin_pages:add", args=("annualreports", "disclosurereportpage", jia_column.pk)),
        report_form(blank, **{"action-publish": "publish"}),
    )
    assert response.status_code == 302, response.content.decode()[-3000:]
    report = DisclosureReportPage.objects.get(slug="ndbg-2023")
    assert report.live and report.figures["year"] == 2023
    assert report.figures["requests"]["new"]["person"] == 2 and report.figures["requests"]["open"]["person"] == 1

    services.decide(still_open, None, "disclosed", "", "予以公开。", on=date(2023, 7, 1))  # a late correction
    page_html = site_client("jia").get(url_of(report)).content.decode()
    assert '<td headers="t3-applicants t3-person t3-open">1</td>' in page_html  # unchanged: the snapshot

    edit = reverse("wagtailadmin_pages:edit", args=(report.pk,))
    client.post(edit, report_form(report, **{"action-publish": "publish"}))
    report.refresh_from_db()
    assert report.figures["requests"]["open"]["person"] == 1  # an ordinary edit keeps the figures
    client.post(edit, report_form(report, regenerate="on", **{"action-publish": "publish"}))
    report.refresh_from_db()
    assert report.figures["requests"]["open"]["person"] == 0
    assert report.figures["requests"]["disclosed"]["person"] == 2
    page_html = site_client("jia").get(url_of(report)).content.decode()
    assert '<td headers="t3-applicants t3-person t3-open">0</td>' in page_html


def test_a_second_report_for_the_same_site_and_year_is_refused(jia_column):
    existing = report_of("jia")
    count = DisclosureReportPage.objects.count()
    copy = DisclosureReportPage(
        title="重复的年报", slug="ndbg-2025-copy", year=2025, date=existing.date, source=existing.source
    )
    response = staff_client("admin").post(
        reverse("wagtailadmin_pages:add", args=("annualreports", "disclosurereportpage", jia_column.pk)),
        report_form(copy, **{"action-publish": "publish"}),
    )
    assert response.status_code == 200
    assert "本站已有2025年度的政府信息公开工作年度报告。" in response.content.decode()
    assert DisclosureReportPage.objects.count() == count


def records_url(report, table, key):
    return reverse("annualreports_records", args=(report.pk,)) + f"?table={table}&key={key}"


def test_staff_follow_a_figure_to_the_applications_it_counts():
    report = report_of("jia")
    ids = report.figures["members"]["requests"]["new|person"]
    client = staff_client("jia_editor", host="jia.localhost:8000")
    editor = client.get(reverse("wagtailadmin_pages:edit", args=(report.pk,))).content.decode()
    assert records_url(report, "requests", "new%7Cperson").replace("&", "&amp;") in editor
    html = client.get(records_url(report, "requests", "new|person")).content.decode()
    for application in Application.objects.filter(pk__in=ids):
        assert application.code in html
    assert len(ids) > 0
    assert "一、本年新收政府信息公开申请数量 / 自然人" in html and f"计入 {len(ids)} 条记录。" in html
    decided_html = client.get(records_url(report, "requests", "disclosed|total")).content.decode()
    assert "三、本年度办理结果 / （一）予以公开 / 总计" in decided_html
    for table, key in [("nothing", "new|person"), ("requests", "new|nobody"), ("requests", "old|person")]:
        assert client.get(records_url(report, table, key)).status_code == 404


def test_staff_of_another_site_cannot_see_the_records_behind_a_report():
    report = report_of("main")
    response = staff_client("jia_editor", host="jia.localhost:8000").get(records_url(report, "requests", "new|person"))
    assert response.status_code == 403
    for application in Application.objects.filter(site=site_of("main"))[:5]:
        assert application.code not in response.content.decode()


def test_the_report_page_costs_a_fixed_number_of_queries(site_client, django_assert_max_num_queries):
    report = report_of("main")
    client = site_client("main")
    client.get(url_of(report))
    with django_assert_max_num_queries(10):  # as any article (tests/portal/test_query_counts.py): 7 today
        assert client.get(url_of(report)).status_code == 200


def test_the_english_edition_has_the_main_sites_report_with_english_tables(site_client):
    client = site_client("main")
    html = client.get("/en/information-disclosure/annual-reports/annual-report-2025/").content.decode()
    assert "Shili Provincial Tax Service: Annual Report on Government Information Disclosure 2025" in html
    assert '<th colspan="3" scope="row" id="t3-new">1. Requests received this year</th>' in html
    assert "the bureau received 23 new requests during the year" in html
    assert "本年新收" not in html
    listing = client.get("/en/information-disclosure/annual-reports/").content.decode()
    assert "annual-report-2025/" in listing


def yi_column():
    site = site_of("yi")
    return ColumnPage.objects.child_of(ColumnPage.objects.child_of(site.root_page).get(slug="xxgk")).get(slug="xxgkml")


def test_a_report_for_a_year_without_records_shows_zeros(site_client):
    draft = DisclosureReportPage(
        title="乙市2009年报", slug="ndbg-2009", year=2009, date=timezone.now(), source="办公室"
    )
    add = reverse("wagtailadmin_pages:add", args=("annualreports", "disclosurereportpage", yi_column().pk))
    assert staff_client("admin").post(add, report_form(draft, **{"action-publish": "publish"})).status_code == 302
    report = DisclosureReportPage.objects.get(slug="ndbg-2009")
    assert report.figures["requests"]["new"]["total"] == 0 and report.figures["reviews"]["lawsuit"]["total"] == 0
    html = site_client("yi").get(url_of(report)).content.decode()
    assert '<td headers="t3-applicants t3-total t3-new">0</td>' in html
    assert site_client("yi").get(url_of(report) + "pdf/").status_code == 200


@pytest.mark.parametrize("year", ["1999", "2101", "abc", ""])
def test_a_year_out_of_range_is_refused_on_the_form_and_nothing_is_saved(year):
    draft = DisclosureReportPage(title="错误年度", slug="ndbg-bad", year=2020, date=timezone.now(), source="办公室")
    add = reverse("wagtailadmin_pages:add", args=("annualreports", "disclosurereportpage", yi_column().pk))
    response = staff_client("admin").post(add, report_form(draft, year=year, **{"action-publish": "publish"}))
    assert response.status_code == 200
    assert "w-field__errors" in response.content.decode()
    assert not DisclosureReportPage.objects.filter(slug="ndbg-bad").exists()
