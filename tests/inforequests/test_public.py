"""The public side of 依申请公开: the application form (captcha, limits, bad input), the
confirmation with its 查询码, the lookup, the clarification sent from it and the 告知书 PDF;
applicants' identity numbers and contacts never on a public page."""

import io

import pypdf
import pytest
from post_office.models import Email

from correspondence.demo.letters import DEMO_PASSWORD
from inforequests import services
from inforequests.models import Application, ApplicationAttachment
from tests.helpers import answered_form, url_of

from .helpers import PERSON, apply, page_of

pytestmark = pytest.mark.django_db


def send(client, page, **changes):
    url = url_of(page)
    data = {**answered_form(client, url), **PERSON, **changes}
    return client.post(url, {key: value for key, value in data.items() if value is not None})


def look_up(client, page, code, password):
    url = url_of(page) + "lookup/"
    return client.post(url, {**answered_form(client, url), "code": code, "password": password})


def test_the_page_shows_the_rules_the_deadlines_and_the_form(client):
    page = page_of()
    html = client.get(url_of(page)).content.decode()
    assert "<h1>政府信息公开申请</h1>" in html
    assert "20 个工作日内答复" in html and "7 个工作日内一次性告知补正" in html
    for name in ("applicant_type", "id_type", "id_number", "info_title", "info_description", "delivery", "captcha_1"):
        assert f'name="{name}"' in html
    # the five kinds of 法人或其他组织 as the annual report counts them
    assert '<optgroup label="法人或其他组织">' in html
    for label in ("商业企业", "科研机构", "社会公益组织", "法律服务机构"):
        assert f">{label}</option>" in html


def test_an_application_is_saved_with_its_clock_and_the_applicant_gets_a_code(client):
    page = page_of()
    before = Application.objects.count()
    response = send(client, page)
    assert response.status_code == 302 and response["Location"].endswith("/xxgk/ysqgk/sent/")
    application = Application.objects.latest("pk")
    assert Application.objects.count() == before + 1
    assert application.status == Application.Status.RECEIVED and application.applicant_type == "person"
    assert application.id_number == "119900199001010010"
    sent = client.get(response["Location"])
    html = sent.content.decode()
    assert application.code in html and "请记下查询码和密码" in html
    assert sent["Cache-Control"].startswith("no-store") or "no-store" in sent["Cache-Control"]
    # the password is shown once: reloading the confirmation goes back to the form
    assert client.get(response["Location"]).status_code == 302
    mail = Email.objects.filter(to=["zhao.xm@example.com"]).latest("pk")
    assert "政府信息公开申请已收到" in mail.subject and application.code in mail.message
    assert "119900199001010010" not in mail.message


def test_an_organisation_applies_with_its_credit_code_and_a_contact(site_client):
    response = send(
        site_client("jia"),
        page_of("jia"),
        applicant_type="legal_service",
        name="示例省明理律师事务所",
        id_type="credit_code",
        id_number="31119900md0034567m",
        contact_name="韩律",
    )
    assert response.status_code == 302
    application = Application.objects.latest("pk")
    assert application.get_applicant_type_display() == "法律服务机构"
    assert application.id_number == "31119900MD0034567M" and application.site.hostname == "jia.localhost"


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"id_number": "119900199001010011"}, "校验位正确"),
        ({"applicant_type": "commercial"}, "法人或其他组织请选择统一社会信用代码"),
        ({"applicant_type": "commercial", "id_type": "credit_code", "id_number": "91119900MA01ABCD2X"}, "请填写联系人"),
        ({"id_type": "credit_code", "id_number": "91119900MA01ABCD2X"}, "自然人请选择身份证件"),
        ({"email": ""}, "选择电子邮件获取时，请填写电子邮箱"),
        ({"delivery": "post"}, "选择邮寄时，请填写通信地址"),
        ({"applicant_type": "robot"}, "请从列表中选择"),
        ({"info_description": "太短"}, "至少 10 个字"),
        ({"phone": "call me"}, "请填写正确的电话号码"),
        ({"postcode": "12ab"}, "邮政编码是 6 位数字"),
        ({"captcha_1": "0000x"}, "验证码不正确"),
        ({"website": "http://spam.example"}, "提交未成功"),
    ],
)
def test_bad_input_is_refused_with_a_message_and_nothing_saved(client, changes, message):
    before = Application.objects.count()
    response = send(client, page_of(), **changes)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Application.objects.count() == before


def test_an_attachment_that_is_not_what_it_claims_is_refused(client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("身份证.pdf", b"<html>not a pdf</html>", content_type="application/pdf")
    before = ApplicationAttachment.objects.count()
    response = send(client, page_of(), attachments=fake)
    assert response.status_code == 400 and "不是有效的 PDF、JPG 或 PNG 文件" in response.content.decode()
    assert ApplicationAttachment.objects.count() == before


def test_the_application_rate_limit_answers_429(client, settings):
    settings.APPLICATION_RATE_LIMIT = 1
    page = page_of()
    before = Application.objects.count()
    assert send(client, page).status_code == 302
    assert send(client, page).status_code == 429
    assert Application.objects.count() == before + 1


def test_the_lookup_shows_the_progress_without_identity_or_contacts(client):
    page = page_of()
    application = apply(phone="13911112222")
    response = look_up(client, page, application.code.lower(), application.password)
    html = response.content.decode()
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    assert application.info_title in html and "办理中" in html and "登记受理" in html
    assert "赵**" in html and "赵小明" not in html
    for private in ("119900199001010010", "13911112222", "zhao.xm@example.com"):
        assert private not in html


def test_a_wrong_password_is_refused_and_counted(client):
    application = apply()
    response = look_up(client, page_of(), application.code, "WRONGPASS")
    assert response.status_code == 400 and "查询码或密码不正确" in response.content.decode()
    assert application.info_title not in response.content.decode()


def test_the_applicant_sends_the_clarification_from_the_lookup(client):
    page = page_of()
    application = apply()
    services.request_clarification(application, None, "请写明文件名称和文号")
    html = look_up(client, page, application.code, application.password).content.decode()
    assert "补正中" in html and "请写明文件名称和文号" in html and "提交补正" in html
    url = url_of(page) + "lookup/clarify/"
    empty = client.post(url, {**answered_form(client, url), "text": ""})
    assert empty.status_code == 400
    application.refresh_from_db()
    assert application.status == Application.Status.CLARIFYING
    response = client.post(url, {**answered_form(client, url), "text": "所需文件是示税发〔2025〕12号通知。"})
    assert response.status_code == 200 and "答复期限自今日重新计算" in response.content.decode()
    application.refresh_from_db()
    assert application.status == Application.Status.PROCESSING
    assert application.clarification == "所需文件是示税发〔2025〕12号通知。"
    assert application.clock_start == application.clarified_on
    # nothing more to clarify: a second post is refused
    again = client.post(url, {"text": "再补一句话试试看"})
    assert again.status_code == 403 and "这件申请现在不需要补正" in again.content.decode()


def test_clarifying_without_a_lookup_goes_to_the_lookup(client):
    page = page_of()
    response = client.post(url_of(page) + "lookup/clarify/", {"text": "伪造的补正内容"})
    assert response.status_code == 302 and response["Location"].endswith("/lookup/")


def test_the_notice_is_downloaded_after_looking_up_a_decided_application(client):
    page = page_of()
    assert client.get(url_of(page) + "lookup/notice/").status_code == 302
    html = look_up(client, page, "GKDEMOM05", DEMO_PASSWORD).content.decode()
    assert "部分公开" in html and "下载告知书" in html
    response = client.get(url_of(page) + "lookup/notice/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(response.content)).pages).replace("\n", "")
    assert "政府信息公开申请答复告知书" in text and "编号：GKDEMOM05" in text
    assert "第三十七条" in text and "行政复议" in text and "行政诉讼" in text
    assert "国家税务总局示例省税务局" in text


def test_an_open_application_has_no_notice(client):
    page = page_of()
    application = apply()
    look_up(client, page, application.code, application.password)
    assert client.get(url_of(page) + "lookup/notice/").status_code == 302


def test_a_code_works_only_on_its_own_sites_page(client):
    application = apply("jia")  # looked up on the main site's page
    response = look_up(client, page_of(), application.code, application.password)
    assert response.status_code == 400
