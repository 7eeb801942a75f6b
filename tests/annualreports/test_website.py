"""The 政府网站工作年度报表: its computed rows checked against a year seeded by hand (visits,
articles, interpretations, a 专题, letters, a consultation, an interview), the rows staff fill
in, the page and its XLSX, the snapshot, and a year with no data showing zeros."""

import io
import re
from datetime import date, datetime

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from annualreports import website
from annualreports.models import WebsiteReportPage
from correspondence.models import MailboxPage
from home.models import ColumnPage, PolicyInterpretationPage
from interviews.models import Entry, InterviewIndexPage, InterviewPage, Question
from participation.models import Comment, ConsultationIndexPage, ConsultationPage
from tests.factories import ArticlePageFactory, ColumnPageFactory, LetterFactory
from tests.helpers import site_of, staff_client, url_of
from visits.models import DailyVisits

pytestmark = pytest.mark.django_db

YEAR = 2019


def at(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour))


def published_on(page, day: date):
    type(page).objects.filter(pk=page.pk).update(first_published_at=at(day))
    return page


def column(key: str, column_type: str):
    return ColumnPage.objects.live().descendant_of(site_of(key).root_page).filter(column_type=column_type).first()


@pytest.fixture
def jia_2019():
    jia = site_of("jia")
    for day, views, visitors, site in [
        (date(2019, 3, 1), 100, 40, jia),
        (date(2019, 12, 31), 50, 10, jia),
        (date(2020, 1, 1), 999, 999, jia),  # the next year
        (date(2019, 5, 1), 77, 7, site_of("main")),  # another site
    ]:
        DailyVisits.objects.create(site=site, day=day, views=views, visitors=visitors)
    news = column("jia", ColumnPage.ColumnType.NEWS)
    notices = column("jia", ColumnPage.ColumnType.NOTICE) or column("jia", ColumnPage.ColumnType.DISCLOSURE)
    published_on(ArticlePageFactory(parent=news), date(2019, 2, 1))
    published_on(ArticlePageFactory(parent=news), date(2019, 11, 30))
    published_on(ArticlePageFactory(parent=notices), date(2019, 7, 1))
    published_on(ArticlePageFactory(parent=news), date(2020, 1, 2))  # the next year
    for number, kind in enumerate(["text", "graphic", "video"]):
        page = PolicyInterpretationPage(
            title=f"解读{number}", slug=f"jd-2019-{number}", kind=kind, date=at(date(2019, 6, 1)), live=True
        )
        notices.add_child(instance=page)
        published_on(page, date(2019, 6, 1 + number))
    topic = ColumnPageFactory(parent=jia.root_page, column_type=ColumnPage.ColumnType.TOPIC)
    published_on(topic, date(2019, 9, 1))
    mailbox = MailboxPage.objects.live().descendant_of(jia.root_page).first()
    LetterFactory(
        mailbox=mailbox,
        site=jia,
        received_at=at(date(2019, 4, 1)),
        answered_at=at(date(2019, 4, 4), 16),  # three working days
        due_date=date(2019, 4, 30),
        is_published=True,
    )
    LetterFactory(mailbox=mailbox, site=jia, received_at=at(date(2019, 6, 3)), due_date=date(2019, 7, 1))  # open
    LetterFactory(mailbox=mailbox, site=jia, received_at=at(date(2018, 12, 28)), due_date=date(2019, 1, 25))
    return jia


def test_the_computed_rows_of_a_year_seeded_by_hand(jia_2019):
    topics_before = ColumnPage.objects.descendant_of(jia_2019.root_page).filter(column_type="topic").count() - 1
    figures = website.compute(jia_2019, YEAR)
    assert (figures["visitors"], figures["views"]) == (50, 150)
    assert figures["published"] == 6  # three articles and three interpretations
    assert figures["news"] == 2
    assert (figures["materials"], figures["products"]) == (1, 2)
    assert (figures["topics"], figures["topics_new"]) == (topics_before + 1, 1)
    assert (figures["letters_received"], figures["letters_answered"], figures["letters_published"]) == (2, 1, 1)
    assert figures["letters_days"] == 3
    assert figures["site_name"] == "国家税务总局甲市税务局" and figures["site_code"] == "bm29000101"
    assert figures["multilingual"] is False  # the city has no English edition
    assert figures["services"] > figures["online_services"] > 0 and figures["search_service"] is True
    assert (figures["consultations"], figures["interviews"]) == (0, 0)


def test_consultations_and_interviews_of_the_year():
    main = site_of("main")
    index = ConsultationIndexPage.objects.descendant_of(main.root_page).first()
    consultation = ConsultationPage(
        title="2019年征求意见",
        slug="zqyj-2019",
        summary="征求意见。",
        opens_at=at(date(2019, 3, 1)),
        closes_at=at(date(2019, 3, 31)),
        offline_count=3,
        outcome_summary="<p>共收到意见5条。</p>",
    )
    index.add_child(instance=consultation)
    for number in range(2):
        Comment.objects.create(page=consultation, content=f"意见{number}", status="approved")
    interviews = InterviewIndexPage.objects.descendant_of(main.root_page).first()
    interview = InterviewPage(
        title="2019年在线访谈",
        slug="ft-2019",
        summary="访谈。",
        host="主持人",
        scheduled_start=at(date(2019, 5, 10), 9),
        scheduled_end=at(date(2019, 5, 10), 11),
    )
    interviews.add_child(instance=interview)
    questions = [Question.objects.create(interview=interview, content=f"问题{n}") for n in range(3)]
    for question, hidden in [(questions[0], False), (questions[1], False), (questions[2], True)]:
        asked = Entry.objects.create(interview=interview, kind="question", question=question, speaker="网友")
        Entry.objects.create(
            interview=interview, kind="answer", parent=asked, speaker="嘉宾", text="答复", hidden=hidden
        )
    figures = website.compute(main, YEAR)
    assert (figures["consultations"], figures["opinions"], figures["consultation_results"]) == (1, 5, 1)
    assert (figures["interviews"], figures["questions"], figures["answers"]) == (1, 3, 2)  # one answer taken down


def test_a_year_without_records_shows_zeros_not_an_error(site_client):
    figures = website.compute(site_of("yi"), 2009)
    for key in ("visitors", "views", "published", "news", "catalogue", "letters_received", "interviews"):
        assert figures[key] == 0
    assert figures["letters_days"] is None


def demo_sheet(key="main"):
    return WebsiteReportPage.objects.descendant_of(site_of(key).root_page).get(year=2025)


def test_the_demo_publishes_each_sites_2025_sheet_with_the_rows_staff_filled_in(site_client):
    page = demo_sheet()
    html = site_client("main").get(url_of(page)).content.decode()
    assert "政府网站工作年度报表（2025年度）" in html
    assert f'<td headers="ws-value ws-visitors">{page.figures["visitors"]}</td>' in html
    assert '<td headers="ws-value ws-site_type">部门网站</td>' in html
    assert re.search(
        r'id="ws-search_service">搜索即服务</th><td headers="ws-value ws-g\d+ ws-search_service">是</td>', html
    )
    assert re.search(r'id="ws-personalised">千人千网</th><td headers="[^"]+">否</td>', html)
    assert "（工作人员填写）" not in html  # the marks are for staff
    assert "<dd>周明远</dd>" in html
    cases = page.cases_person + page.cases_organisation
    assert re.search(rf'<td headers="ws-value ws-g\d+ ws-s\d+ ws-cases">{cases}</td>', html)
    for key in ("jia", "yi"):
        assert site_client(key).get(url_of(demo_sheet(key))).status_code == 200


def test_the_spreadsheet_has_every_row_of_the_template(site_client):
    page = demo_sheet()
    response = site_client("main").get(url_of(page) + "xlsx/")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    values = {}
    for row in sheet.iter_rows():
        cells = [cell.value for cell in row if cell.value is not None]
        if len(cells) >= 2:
            values[str(cells[-2])] = cells[-1]
    assert values["独立用户访问总量（单位：个）"] == page.figures["visitors"]
    assert values["政务服务事项数量（单位：项）"] == page.figures["services"]
    assert values["安全检测评估次数（单位：次）"] == page.security_checks
    assert values["单位负责人"] == "周明远"
    labels = {str(row.label) for row in website.ROWS}
    written = {str(cell.value) for row in sheet.iter_rows() for cell in row if cell.value is not None}
    assert labels <= written
    assert sheet.merged_cells.ranges  # the group headers span their rows


def sheet_form(page, **changes):
    data = {
        "title": page.title,
        "slug": page.slug,
        "year": page.year,
        "date": page.date.strftime("%Y-%m-%d %H:%M"),
        "source": page.source,
        "summary": page.summary,
        "keywords": page.keywords,
        "site_type": "department",
        "body": streamfield([("paragraph", rich_text("<p>说明。</p>"))]),
        "attachments": inline_formset([]),
    }
    for name in website.ENTERED:
        if name not in data:
            field = WebsiteReportPage._meta.get_field(name)
            default = getattr(page, name)
            data[name] = str(default) if field.get_internal_type() == "BooleanField" else default
    for name in ("head", "reviewer", "filler", "contact_phone"):
        data[name] = getattr(page, name)
    data["filled_on"] = page.filled_on.isoformat() if page.filled_on else ""
    data.update(changes)
    return nested_form_data(data)


def test_staff_create_a_sheet_whose_figures_stay_until_they_ask_for_a_recount(jia_2019, site_client):
    column_page = ColumnPage.objects.child_of(ColumnPage.objects.child_of(jia_2019.root_page).get(slug="xxgk")).get(
        slug="xxgkml"
    )
    draft = WebsiteReportPage(title="甲市网站2019年度工作报表", slug="wzndbb-2019", year=YEAR, date=timezone.now())
    client = staff_client("admin")
    add = reverse("wagtailadmin_pages:add", args=("annualreports", "websitereportpage", column_page.pk))
    response = client.post(add, sheet_form(draft, security_checks=5, **{"action-publish": "publish"}))
    assert response.status_code == 302, response.content.decode()[-2000:]
    page = WebsiteReportPage.objects.get(slug="wzndbb-2019")
    assert page.figures["views"] == 150 and page.security_checks == 5
    edit_html = client.get(reverse("wagtailadmin_pages:edit", args=(page.pk,))).content.decode()
    assert "（工作人员填写）" in edit_html and "ws-views" in edit_html
    DailyVisits.objects.create(site=jia_2019, day=date(2019, 8, 8), views=1000, visitors=100)
    assert '<td headers="ws-value ws-views">150</td>' in site_client("jia").get(url_of(page)).content.decode()
    edit = reverse("wagtailadmin_pages:edit", args=(page.pk,))
    client.post(edit, sheet_form(page, regenerate="on", **{"action-publish": "publish"}))
    page.refresh_from_db()
    assert page.figures["views"] == 1150
    again = client.post(add, sheet_form(draft, slug="wzndbb-2019-b", **{"action-publish": "publish"}))
    assert again.status_code == 200 and "本站已有2019年度的政府网站工作年度报表。" in again.content.decode()
    assert WebsiteReportPage.objects.filter(slug="wzndbb-2019-b").count() == 0
