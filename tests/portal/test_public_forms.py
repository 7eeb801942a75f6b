"""Every form the public can post to goes through one sequence (``portal.forms.PublicFormView``):
captcha, a 400 with the error summary, the 429 after the rate limit, ``no-store``, and a
confirmation on the host the visitor used. Checked here on all seven, at 127.0.0.1 (the
README's address, which the main site's ``localhost`` record serves) and on a city host."""

import pytest
from django.test import Client

from faq.models import FAQ
from home.models import ColumnPage
from interviews.models import InterviewPage, Status
from tests.correspondence.test_mailboxes import form_defaults, mailbox
from tests.faq.test_faq import feedback_data, index_url
from tests.helpers import answered_form, chinese, site_of, url_of
from tests.interviews.test_interviews import question_data
from tests.participation.test_participation import comment_data, consultation, form_data, survey, survey_answers

pytestmark = pytest.mark.django_db


def letter(client):
    url = url_of(mailbox())
    return url, form_defaults(client, url)


def lookup(client):
    url = url_of(mailbox()) + "lookup/"
    return url, {**answered_form(client, url), "code": "XJDEMOM01", "password": "DEMO2026"}


def question(client):
    page = next(p for p in chinese(InterviewPage.objects.live()) if p.status() == Status.UPCOMING)
    return url_of(page) + "ask/", question_data(client, page)


def comment(client):
    page = consultation("nsjf-fwgf-2026")
    return url_of(page) + "comment/", comment_data(client, page)


def survey_response(client):
    page = survey("nsrmyd-2026")
    return url_of(page), form_data(client, url_of(page), **survey_answers(page))


def feedback(client):
    url = f"{index_url()}{chinese(FAQ.objects.filter(live=True)).first().pk}/feedback/"
    return url, feedback_data(client, url)


def subscription(client):
    url = f"/subscribe/{ColumnPage.objects.descendant_of(site_of('main').root_page).get(slug='swyw').pk}/"
    return url, {**answered_form(client, url), "email": "form-test@example.com", "consent": "on"}


FORMS = {
    "letter": (letter, "sent/"),
    "lookup": (lookup, None),  # shows the letter on the same page
    "question": (question, "ask/sent/"),
    "comment": (comment, "comment/sent/"),
    "survey": (survey_response, "sent/"),
    "feedback": (feedback, "/feedback/thanks/"),
    "subscription": (subscription, "/sent/"),
}


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("host", ["127.0.0.1:8000", "localhost:8000"])
def test_a_valid_form_answers_on_the_visitors_own_host(form, host):
    client = Client(HTTP_HOST=host)
    fill, confirmation = FORMS[form]
    url, data = fill(client)
    response = client.post(url, data)
    assert "no-store" in response["Cache-Control"]
    if confirmation is None:
        assert response.status_code == 200 and "办理过程" in response.content.decode()
        return
    assert response.status_code == 302, response.content.decode()[:2000]
    location = response["Location"]
    assert location.startswith("/") and location.endswith(confirmation), location
    assert client.get(location).status_code == 200


def test_a_city_sites_letter_comes_back_to_the_city_host():
    client = Client(HTTP_HOST="jia.localhost:8000")
    url = url_of(mailbox("jia"))
    response = client.post(url, form_defaults(client, url))
    assert response.status_code == 302 and response["Location"] == url + "sent/"


@pytest.mark.parametrize("form", FORMS)
def test_a_wrong_captcha_is_a_400_with_the_error_summary_and_nothing_else_changes(form, client):
    fill, _confirmation = FORMS[form]
    url, data = fill(client)
    response = client.post(url, {**data, "captcha_1": "0000" if data["captcha_1"] != "0000" else "1111"})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'class="error-summary' in html and "验证码不正确" in html
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize("form", FORMS)
def test_the_blank_form_is_never_stored_by_a_cache(form, client):
    fill, _confirmation = FORMS[form]
    url, _data = fill(client)
    response = client.get(url)
    assert response.status_code == 200 and 'name="captcha_0"' in response.content.decode()
    assert "no-store" in response["Cache-Control"]
