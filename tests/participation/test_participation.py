"""Public participation: consultations (意见征集) with moderated comments and an outcome,
surveys (网上调查) with one response per browser, public results and staff exports."""

import csv
import io
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from participation.demo import CLOSED_SURVEY_TEXTS
from participation.forms import field_name
from participation.models import (
    Comment,
    ConsultationIndexPage,
    ConsultationPage,
    Status,
    SurveyAnswer,
    SurveyPage,
    SurveyResponse,
)
from tests.helpers import answered_form, chinese, staff_client, url_of

pytestmark = pytest.mark.django_db

PRIVATE = ["李明华", "13800000000", "finance@shangmao.example", "wang@example.com", "13900000000", "赵先生"]
PENDING_TEXT = "帮办服务中需要纳税人提供账号密码的"
REJECTED_TEXT = "汇算清缴退税什么时候到账"
APPROVED_TEXT = "同样适用于电子税务局“征纳互动”中的留言咨询"


def consultation(slug) -> ConsultationPage:
    return chinese(ConsultationPage.objects.live()).get(slug=slug)


def survey(slug) -> SurveyPage:
    return chinese(SurveyPage.objects.live()).get(slug=slug)


@pytest.fixture
def open_consultation():
    return consultation("nsjf-fwgf-2026")


@pytest.fixture
def closed_consultation():
    return consultation("sszyfw-xypj-2026")


@pytest.fixture
def open_survey():
    return survey("nsrmyd-2026")


@pytest.fixture
def closed_survey():
    return survey("chunfeng-2026")


def form_data(client, url, **changes) -> dict:
    return {**answered_form(client, url), **changes}


def comment_data(client, page, **changes):
    values = {
        "content": "建议第九条写明帮办服务的预约方式，并在办税服务厅公示帮办人员名单。",
        "name": "周晓燕",
        "contact": "zhou@example.com",
        **changes,
    }
    return form_data(client, url_of(page) + "comment/", **values)


def survey_answers(page, text="建议延长申报期办税服务厅的服务时间。") -> dict:
    """A complete response: the first option of every choice, 4 for ratings."""
    answers = {}
    for block in page.questions:
        name = field_name(block.id)
        if block.block_type in ("single", "multiple"):
            answers[name] = block.value["options"][0]
        elif block.block_type == "rating":
            answers[name] = "4"
        else:
            answers[name] = text
    return answers


def answer(client, page, **changes):
    data = form_data(client, url_of(page), **{**survey_answers(page), **changes})
    return client.post(url_of(page), data)


# ---- consultations ------------------------------------------------------------------------
def test_only_approved_comments_are_public_and_never_a_name_or_contact(client, open_consultation):
    html = client.get(url_of(open_consultation)).content.decode()
    assert APPROVED_TEXT in html
    assert "公开的意见（3 条）" in html
    assert PENDING_TEXT not in html and REJECTED_TEXT not in html
    for private in PRIVATE + ["东湖区某社区工作人员", "陈**"]:
        assert private not in html
    index = client.get(url_of(open_consultation.get_parent())).content.decode()
    for private in PRIVATE + [PENDING_TEXT, REJECTED_TEXT]:
        assert private not in index
    closed = client.get(url_of(consultation("sszyfw-xypj-2026"))).content.decode()
    assert "甲市某税务师事务所" not in closed and "我们公司代理记账" not in closed


def test_a_comment_is_held_until_staff_approve_it(client, open_consultation):
    url = url_of(open_consultation)
    response = client.post(url + "comment/", comment_data(client, open_consultation))
    assert response.status_code == 302 and response["Location"].endswith("comment/sent/")
    comment = Comment.objects.get(content__startswith="建议第九条写明帮办服务的预约方式")
    assert comment.status == Comment.Moderation.PENDING
    assert (comment.name, comment.contact) == ("周晓燕", "zhou@example.com")
    assert "帮办人员名单" not in client.get(url).content.decode()

    # A city editor cannot moderate the main site's comments, nor see them.
    jia = staff_client("jia_editor")
    assert "帮办人员名单" not in jia.get("/admin/participation/comments/").content.decode()
    assert jia.post(f"/admin/participation/comments/{comment.pk}/approve/").status_code == 404
    comment.refresh_from_db()
    assert comment.status == Comment.Moderation.PENDING

    admin = staff_client("admin")
    listing = admin.get("/admin/participation/comments/").content.decode()
    assert "帮办人员名单" in listing and "zhou@example.com" in listing
    assert admin.post(f"/admin/participation/comments/{comment.pk}/approve/").status_code == 302
    comment.refresh_from_db()
    assert comment.status == Comment.Moderation.APPROVED and comment.moderated_by.username == "admin"
    html = client.get(url).content.decode()
    assert "帮办人员名单" in html and "周晓燕" not in html and "zhou@example.com" not in html

    admin.post(f"/admin/participation/comments/{comment.pk}/reject/")
    assert "帮办人员名单" not in client.get(url).content.decode()


def test_approving_a_comment_purges_the_cached_page(client, open_consultation, settings):
    settings.PAGE_CACHE_SECONDS = 300
    url = url_of(open_consultation)
    pending = open_consultation.comments.get(content__contains=PENDING_TEXT)
    client.get(url)
    assert client.get(url)["X-Page-Cache"] == "hit"
    staff_client("admin").post(f"/admin/participation/comments/{pending.pk}/approve/")
    assert PENDING_TEXT in client.get(url).content.decode()


def test_comment_form_errors_save_nothing(client, open_consultation):
    before = Comment.objects.count()
    response = client.post(
        url_of(open_consultation) + "comment/", comment_data(client, open_consultation, content="太短了")
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "提交未成功" in html and "至少 10 个字" in html
    response = client.post(
        url_of(open_consultation) + "comment/", comment_data(client, open_consultation, captcha_1="0000")
    )
    assert response.status_code == 400
    assert Comment.objects.count() == before


def test_closed_consultation_refuses_comments_and_saves_nothing(client, closed_consultation, open_consultation):
    before = Comment.objects.count()
    url = url_of(closed_consultation) + "comment/"
    get = client.get(url)
    assert "本次征集已结束" in get.content.decode() and 'name="content"' not in get.content.decode()
    # a form filled in while it was open, sent after the close
    data = comment_data(client, open_consultation)
    response = client.post(url, data)
    assert response.status_code == 403
    assert "本次征集已结束" in response.content.decode()
    assert Comment.objects.count() == before
    # not yet open
    open_consultation.opens_at = timezone.now() + timedelta(days=3)
    open_consultation.save()
    response = client.post(url_of(open_consultation) + "comment/", data)
    assert response.status_code == 403 and "本次征集尚未开始" in response.content.decode()
    assert Comment.objects.count() == before


def test_comment_rate_limit(client, open_consultation, settings):
    settings.COMMENT_RATE_LIMIT = 2
    url = url_of(open_consultation) + "comment/"
    for _ in range(2):
        assert client.post(url, comment_data(client, open_consultation)).status_code == 302
    response = client.post(url, comment_data(client, open_consultation))
    assert response.status_code == 429 and "提交过于频繁" in response.content.decode()
    assert Comment.objects.filter(content__contains="帮办人员名单").count() == 2


def test_closed_consultation_shows_its_outcome(client, closed_consultation):
    html = client.get(url_of(closed_consultation)).content.decode()
    assert "采纳情况" in html
    assert "<dt>收到意见（条）</dt><dd>12</dd>" in html  # 5 on the site + 7 by letter and e-mail
    assert "复核申请期限由 15 日延长为 30 日" in html
    assert "未采纳的意见及理由" in html and "关于取消 TSC1 级的建议" in html
    assert "信用评价管理办法（征求意见稿）" in html and "PDF" in html  # the document under consultation


def test_status_labels_follow_the_dates(client, open_consultation):
    now = timezone.now()
    page = open_consultation
    page.opens_at, page.closes_at = now + timedelta(hours=1), now + timedelta(days=2)
    assert page.status(now) == Status.UPCOMING and page.status_label == "未开始"
    assert page.status(now + timedelta(hours=2)) == Status.OPEN
    assert page.status(now + timedelta(days=2)) == Status.CLOSED
    page.save()
    assert "未开始" in client.get(url_of(page)).content.decode()
    page.opens_at = now - timedelta(days=1)
    page.save()
    assert "征集中" in client.get(url_of(page)).content.decode()
    page.closes_at = now - timedelta(minutes=1)
    page.save()
    assert "已结束" in client.get(url_of(page)).content.decode()


def test_index_lists_open_then_upcoming_then_closed(client, open_consultation):
    index = open_consultation.get_parent().specific
    now = timezone.now()

    def add(slug, title, opens, closes):
        page = ConsultationPage(
            title=title,
            slug=slug,
            summary="测试用征集。",
            opens_at=now + timedelta(days=opens),
            closes_at=now + timedelta(days=closes),
        )
        index.add_child(instance=page)
        page.save_revision().publish()

    add("later-open", "征集乙：晚些截止", -1, 60)
    add("upcoming", "征集丙：尚未开始", 5, 30)
    add("recently-closed", "征集丁：刚刚结束", -30, -1)
    html = client.get(url_of(index)).content.decode()
    order = [
        "纳税缴费服务规范（征求意见稿）",  # open, closes in 30 days
        "征集乙：晚些截止",  # open, closes in 60 days
        "征集丙：尚未开始",
        "征集丁：刚刚结束",  # closed yesterday
        "信用评价管理办法（征求意见稿）",  # closed two months ago
    ]
    positions = [html.index(title) for title in order]
    assert positions == sorted(positions)
    assert html.index("正在征集") < positions[0] and positions[1] < html.index("即将开始") < positions[2]
    assert "收到意见 12 条" in html and "公开意见 3 条" in html


def test_interaction_column_links_to_consultations_and_surveys(client):
    html = client.get("/hdjl/").content.decode()
    assert 'href="/hdjl/yjzj/"' in html and 'href="/hdjl/wsdc/"' in html
    sitemap = client.get("/sitemap-pages.xml").content.decode()
    assert "/hdjl/yjzj/nsjf-fwgf-2026/" in sitemap and "/hdjl/wsdc/chunfeng-2026/results/" in sitemap
    assert "/hdjl/wsdc/nsrmyd-2026/results/" not in sitemap


# ---- surveys -------------------------------------------------------------------------------
def test_results_match_the_seeded_responses(client, closed_survey):
    response = client.get(url_of(closed_survey) + "results/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<dt>收回答卷（份）</dt><dd>40</dd>" in html
    expected = [
        ("企业办税人员", 18, "45%"),
        ("个体工商户", 8, "20%"),
        ("自然人纳税人", 10, "25%"),
        ("涉税专业服务人员", 4, "10%"),
        ("电子税务局", 36, "90%"),
        ("个人所得税App", 20, "50%"),
        ("办税服务厅", 10, "25%"),
        ("12366 纳税缴费服务热线", 8, "20%"),
        ("自助办税终端", 6, "15%"),
        ("5 分（非常满意）", 22, "55%"),
        ("4 分", 11, "27.5%"),
        ("3 分", 4, "10%"),
        ("2 分", 2, "5%"),
        ("1 分（很不满意）", 1, "2.5%"),
    ]
    for label, count, percent in expected:
        assert f'<th scope="row">{label}</th><td>{count}</td><td>{percent}</td>' in html, label
    assert "平均 4.3 分" in html
    # the charts repeat the table's figures and are hidden from assistive technology
    assert html.count('aria-hidden="true" focusable="false"') == 3 and html.count("<caption") == 3


def test_free_text_answers_are_never_public(client, closed_survey, open_survey):
    secret = "这是一条只应在后台看到的文字回答"
    assert answer(client, open_survey, **{field_name(open_survey.questions[4].id): secret}).status_code == 302
    urls = ["/hdjl/", "/hdjl/wsdc/", url_of(open_survey), url_of(closed_survey), url_of(closed_survey) + "results/"]
    urls += [url_of(open_survey) + "sent/", f"/search/?q={CLOSED_SURVEY_TEXTS[0][:6]}"]
    for url in urls:
        html = Client(HTTP_HOST="localhost:8000").get(url).content.decode()
        assert secret not in html, url
        for text in CLOSED_SURVEY_TEXTS:
            assert text not in html, url
    results = client.get(url_of(closed_survey) + "results/").content.decode()
    assert "收到 6 条文字回答，仅供分析使用，不予公开" in results
    # staff read them in the admin
    detail = staff_client("admin").get(f"/admin/participation/surveys/{closed_survey.pk}/").content.decode()
    assert CLOSED_SURVEY_TEXTS[0] in detail


def test_results_are_not_public_while_the_survey_is_open(client, open_survey, closed_survey):
    assert client.get(url_of(open_survey) + "results/").status_code == 404
    closed_survey.results_public = False
    closed_survey.save_revision().publish()
    assert client.get(url_of(closed_survey) + "results/").status_code == 404


def test_one_response_per_browser(client, open_survey):
    response = answer(client, open_survey)
    assert response.status_code == 302 and response["Location"].endswith("sent/")
    assert open_survey.responses.count() == 1
    assert SurveyAnswer.objects.filter(response__page=open_survey).count() == 5
    page = client.get(url_of(open_survey))
    assert "您已参加过本次调查" in page.content.decode() and 'name="captcha_0"' not in page.content.decode()
    again = client.post(url_of(open_survey), {**survey_answers(open_survey), "website": ""})
    assert again.status_code == 403 and "您已参加过本次调查" in again.content.decode()
    assert open_survey.responses.count() == 1
    # another browser (no cookie) may answer
    assert answer(Client(HTTP_HOST="localhost:8000"), open_survey).status_code == 302
    assert open_survey.responses.count() == 2


def test_a_forged_cookie_does_not_count(client, open_survey):
    client.cookies[f"survey{open_survey.pk}"] = "1"
    assert "您已参加过本次调查" not in client.get(url_of(open_survey)).content.decode()


def test_required_questions_are_enforced(client, open_survey):
    blocks = list(open_survey.questions)
    data = form_data(client, url_of(open_survey), **survey_answers(open_survey))
    del data[field_name(blocks[0].id)]  # required single choice
    del data[field_name(blocks[1].id)]  # required multiple choice
    del data[field_name(blocks[3].id)]  # optional rating
    data[field_name(blocks[2].id)] = "9"  # not a score
    response = client.post(url_of(open_survey), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "提交未成功，有 3 处需要修改" in html
    assert "1. 您的身份是？：请选择一项。" in html and "请至少选择一项" in html and "请从列表中选择" in html
    assert f'href="#id_{field_name(blocks[0].id)}"' in html  # the summary links to the question
    assert open_survey.responses.count() == 0 and f"survey{open_survey.pk}" not in response.cookies


def test_closed_survey_refuses_responses(client, closed_survey):
    before = SurveyResponse.objects.count()
    page = client.get(url_of(closed_survey)).content.decode()
    assert "本次调查已结束" in page and 'name="captcha_0"' not in page
    response = client.post(url_of(closed_survey), {**survey_answers(closed_survey), "website": ""})
    assert response.status_code == 403 and "本次调查已结束" in response.content.decode()
    assert SurveyResponse.objects.count() == before


def test_survey_rate_limit_per_address(open_survey, settings):
    settings.SURVEY_RATE_LIMIT = 2
    for _ in range(2):
        assert answer(Client(HTTP_HOST="localhost:8000"), open_survey).status_code == 302
    response = answer(Client(HTTP_HOST="localhost:8000"), open_survey)
    assert response.status_code == 429 and "提交过于频繁" in response.content.decode()
    assert open_survey.responses.count() == 2


# ---- export -------------------------------------------------------------------------------
FORMULAS = ['=HYPERLINK("http://evil.example","点我")', "+1+2", "-3", "@SUM(A1)", "\tTAB", "\rCR"]


def add_formula_responses(page):
    text_question = next(block.id for block in page.questions if block.block_type == "text")
    for value in FORMULAS:
        response = SurveyResponse.objects.create(page=page)
        SurveyAnswer.objects.create(response=response, question=text_question, text=value)


def test_csv_export_neutralises_formulas(closed_survey):
    add_formula_responses(closed_survey)
    response = staff_client("admin").get(f"/admin/participation/surveys/{closed_survey.pk}/export.csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"), newline="")))
    assert rows[0][:2] == ["答卷编号", "提交时间"] and rows[0][2] == "1. 您的身份是？"
    assert len(rows) == 1 + 40 + len(FORMULAS)
    cells = [cell for row in rows for cell in row]
    assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in cells)
    for value in FORMULAS:
        assert "'" + value in cells
    assert CLOSED_SURVEY_TEXTS[0] in cells


def test_xlsx_export_neutralises_formulas(closed_survey):
    add_formula_responses(closed_survey)
    response = staff_client("admin").get(f"/admin/participation/surveys/{closed_survey.pk}/export.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [cell.value for row in sheet.iter_rows() for cell in row if cell.value is not None]
    assert sheet.max_row == 1 + 40 + len(FORMULAS)
    assert all(cell.data_type == "s" for row in sheet.iter_rows() for cell in row if cell.value is not None)
    assert not any(str(value).startswith(("=", "+", "-", "@", "\t", "\r")) for value in values)
    assert "'" + FORMULAS[0] in values


def test_export_refused_to_city_editor_and_anonymous(client, closed_survey):
    url = f"/admin/participation/surveys/{closed_survey.pk}/export.csv"
    jia = staff_client("jia_editor")
    for export in (url, url.replace(".csv", ".xlsx")):
        refused = jia.get(export)  # Wagtail turns PermissionDenied into a redirect to the dashboard
        assert refused.status_code == 302 and refused["Location"] == "/admin/"
        assert "Content-Disposition" not in refused
    assert "chunfeng" not in jia.get("/admin/participation/surveys/").content.decode()
    assert jia.get(f"/admin/participation/surveys/{closed_survey.pk}/").status_code == 302
    anonymous = client.get(url)
    assert anonymous.status_code == 302 and "/admin/login/" in anonymous["Location"]


# ---- query ceilings -----------------------------------------------------------------------
# Measured on the demo, after one warm-up request (routing costs two queries however deep
# the page: portal/routing.py; the site data is kept per process: portal/sitedata.py).
PAGE_MAX_QUERIES = {
    "consultation index": 8,
    "open consultation": 11,
    "closed consultation": 12,
    "comment form": 10,
    "survey index": 8,
    "open survey": 10,
    "survey results": 12,
}


def test_query_ceilings(client, open_consultation, closed_consultation, open_survey, closed_survey):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    urls = {
        "consultation index": url_of(ConsultationIndexPage.objects.get(pk=open_consultation.get_parent().pk)),
        "open consultation": url_of(open_consultation),
        "closed consultation": url_of(closed_consultation),
        "comment form": url_of(open_consultation) + "comment/",
        "survey index": "/hdjl/wsdc/",
        "open survey": url_of(open_survey),
        "survey results": url_of(closed_survey) + "results/",
    }
    measured = {}
    for name, url in urls.items():
        client.get(url)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200, url
        measured[name] = len(captured)
    # 40 more comments and 40 more responses cost nothing more
    for number in range(40):
        Comment.objects.create(page=open_consultation, content=f"批量意见{number}", status="approved")
    add_formula_responses(closed_survey)
    for name, url in urls.items():
        with CaptureQueriesContext(connection) as captured:
            client.get(url)
        assert len(captured) <= PAGE_MAX_QUERIES[name], (name, len(captured), measured[name])
        assert len(captured) == measured[name], name
