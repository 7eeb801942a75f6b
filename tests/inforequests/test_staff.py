"""Staff handle applications in the admin (依申请公开): only on their own sites and with the
permission; each step through its form, wrong input a message and nothing changed; the
decision with the format's outcome and reason; 行政复议 and 行政诉讼 records."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from inforequests import services
from inforequests.models import Application, Review
from tests.helpers import staff_client

from .helpers import PERSON, apply, page_of

pytestmark = pytest.mark.django_db


def action(application, name):
    return reverse("applications:action", args=(application.pk, name))


def messages_of(client, application):
    return client.get(reverse("applications:edit", args=(application.pk,))).content.decode()


def test_staff_see_the_applications_of_their_own_site_only():
    mine, theirs = apply("jia"), apply("main")
    client = staff_client("jia_editor")
    listing = client.get(reverse("applications:index")).content.decode()
    assert mine.code in listing and theirs.code not in listing
    assert client.get(reverse("applications:edit", args=(theirs.pk,))).status_code == 404
    detail = client.get(reverse("applications:edit", args=(mine.pk,))).content.decode()
    assert "119900199001010010" in detail  # staff see the identity number they need


def test_a_reviewer_without_the_permission_is_refused_and_nothing_changes():
    application = apply()
    client = staff_client("sheng_reviewer")
    response = client.post(action(application, "decide"), {"decide-outcome": "disclosed", "decide-text": "x"})
    assert response.status_code == 403 and "没有办理政府信息公开申请的权限" in response.content.decode()
    application.refresh_from_db()
    assert application.is_open


def test_a_decision_without_its_reason_is_refused_and_with_it_closes_the_application():
    application = apply()
    client = staff_client("admin")
    today = timezone.localdate().isoformat()
    refused = client.post(
        action(application, "decide"),
        {"decide-outcome": "withheld", "decide-reason": "", "decide-text": "不予公开", "decide-on": today},
        follow=True,
    )
    assert "请选择“不予公开”的理由" in refused.content.decode()
    application.refresh_from_db()
    assert application.is_open
    wrong = client.post(
        action(application, "decide"),
        {"decide-outcome": "withheld", "decide-reason": "petition", "decide-text": "不予公开", "decide-on": today},
        follow=True,
    )
    assert "请选择“不予公开”的理由" in wrong.content.decode()
    done = client.post(
        action(application, "decide"),
        {
            "decide-outcome": "withheld",
            "decide-reason": "process",
            "decide-text": "属于过程性信息。",
            "decide-on": today,
        },
        follow=True,
    )
    assert "已答复" in done.content.decode()
    application.refresh_from_db()
    assert application.outcome_label == "不予公开（属于四类过程性信息）"
    notice = client.get(reverse("applications:notice", args=(application.pk,)))
    assert notice.status_code == 200 and notice["Content-Type"] == "application/pdf"
    again = client.post(
        action(application, "decide"),
        {"decide-outcome": "disclosed", "decide-text": "改为公开", "decide-on": today},
        follow=True,
    )
    assert "已经答复" in again.content.decode()
    application.refresh_from_db()
    assert application.outcome == "withheld"


def test_a_day_in_the_future_is_refused():
    application = apply()
    client = staff_client("admin")
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    response = client.post(
        action(application, "extend"), {"extend-text": "需要时间", "extend-on": tomorrow}, follow=True
    )
    assert "日期不能晚于今天" in response.content.decode()
    application.refresh_from_db()
    assert not application.extended


def test_registering_clarifying_and_consulting_through_the_admin():
    page = page_of()
    application, _password = services.submit(page, page.get_site(), PERSON, [], "zh-hans")
    client = staff_client("admin")
    today = timezone.localdate().isoformat()
    client.post(action(application, "register"), {"received_on": today})
    application.refresh_from_db()
    assert application.status == Application.Status.PROCESSING
    client.post(action(application, "consult"), {"consult-third_party": "某企业", "consult-on": today})
    application.refresh_from_db()
    assert application.status == Application.Status.CONSULTING and application.third_party == "某企业"
    client.post(action(application, "consult_end"), {"consult_end-note": "同意公开", "consult_end-on": today})
    application.refresh_from_db()
    assert application.status == Application.Status.PROCESSING and application.paused_workdays == 0
    response = client.post(action(application, "nonsense"), {})
    assert response.status_code == 404


def test_reconsideration_and_lawsuit_records():
    application = apply(on=datetime.date(2025, 3, 3))
    services.decide(application, None, "disclosed", "", "予以公开。", on=datetime.date(2025, 3, 20))
    client = staff_client("admin")
    bad = client.post(
        action(application, "review"),
        {
            "review-kind": "reconsideration",
            "review-filed_on": "2025-04-01",
            "review-body": "国家税务总局",
            "review-result": "upheld",
            "review-concluded_on": "2025-03-25",
        },
        follow=True,
    )
    assert "审结日期不能早于受理日期" in bad.content.decode()
    assert not Review.objects.filter(application=application).exists()
    client.post(
        action(application, "review"),
        {
            "review-kind": "reconsideration",
            "review-filed_on": "2025-04-01",
            "review-body": "国家税务总局",
            "review-result": "pending",
        },
    )
    review = Review.objects.get(application=application)
    assert review.result == Review.Result.PENDING
    client.post(
        reverse("applications:review", args=(application.pk, review.pk)),
        {f"r{review.pk}-result": "corrected", f"r{review.pk}-concluded_on": "2025-06-01", f"r{review.pk}-note": ""},
    )
    review.refresh_from_db()
    assert review.result == Review.Result.CORRECTED and review.concluded_on == datetime.date(2025, 6, 1)
    assert "结果纠正" in messages_of(client, application)


def test_open_applications_cannot_get_a_review_record():
    application = apply()
    client = staff_client("admin")
    response = client.post(
        action(application, "review"),
        {
            "review-kind": "lawsuit",
            "review-filed_on": timezone.localdate().isoformat(),
            "review-body": "法院",
            "review-result": "pending",
        },
        follow=True,
    )
    assert "答复后才能登记" in response.content.decode()
    assert not application.reviews.exists()


def paper(page, **changes):
    data = {
        **PERSON,
        "page": page.pk,
        "channel": "post",
        "received_on": "2025-09-26",
        "delivery": "post",
        "address": "示例省甲市和平路1号",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def test_staff_type_in_an_application_that_came_by_post():
    client = staff_client("jia_editor")
    page = page_of("jia")
    form = client.get(reverse("applications:add"))
    assert form.status_code == 200 and 'name="received_on"' in form.content.decode()
    before = Application.objects.count()
    response = client.post(reverse("applications:add"), paper(page))
    html = response.content.decode()
    assert response.status_code == 200 and "请把查询码和密码写在受理回执上" in html
    application = Application.objects.latest("pk")
    assert Application.objects.count() == before + 1
    assert application.code in html and application.channel == "post"
    assert application.status == Application.Status.PROCESSING
    assert (application.received_on, application.due_date) == (datetime.date(2025, 9, 26), datetime.date(2025, 10, 30))
    assert application.site.hostname == "jia.localhost"
    assert [event.action for event in application.events.all()][:2] == ["submitted", "registered"]


def test_a_paper_application_with_errors_or_for_another_site_saves_nothing():
    client = staff_client("jia_editor")
    before = Application.objects.count()
    missing = client.post(reverse("applications:add"), paper(page_of("jia"), name=""))
    assert missing.status_code == 400 and "此项必填" in missing.content.decode()
    foreign = client.post(reverse("applications:add"), paper(page_of("main")))
    assert foreign.status_code == 400
    future = (timezone.localdate() + datetime.timedelta(days=3)).isoformat()
    late = client.post(reverse("applications:add"), paper(page_of("jia"), received_on=future))
    assert late.status_code == 400 and "日期不能晚于今天" in late.content.decode()
    assert Application.objects.count() == before


def test_only_handlers_may_type_in_paper_applications():
    response = staff_client("sheng_reviewer").get(reverse("applications:add"))
    assert response.status_code in (302, 403)
    assert staff_client("sheng_reviewer").post(reverse("applications:add"), paper(page_of())).status_code in (302, 403)


def test_an_applicants_attachment_is_downloaded_by_staff_only(client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    page = page_of()
    scan = SimpleUploadedFile("身份证.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    application, _password = services.submit(page, page.get_site(), PERSON, [(scan, "application/pdf")], "zh-hans")
    attachment = application.attachments.get()
    url = reverse("applications:attachment", args=(application.pk, attachment.pk))
    assert client.get(url).status_code == 302  # the public: to the login
    response = staff_client("admin").get(url)
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
    assert response["Content-Type"] == "application/pdf" and b"".join(response.streaming_content).startswith(b"%PDF")
    assert staff_client("jia_editor").get(url).status_code == 404  # another site's staff


def test_a_refused_mail_keeps_the_decision_and_says_so_on_the_timeline(monkeypatch):
    application = apply()

    def refuse(*args, **kwargs):
        raise ConnectionRefusedError("outbox unavailable (test)")

    monkeypatch.setattr(services, "send_mail", refuse)
    services.decide(application, None, "disclosed", "", "予以公开。")
    application.refresh_from_db()
    assert application.status == Application.Status.DECIDED
    failed = application.events.get(action="mail_failed")
    assert "申请人" in failed.note and not failed.public
