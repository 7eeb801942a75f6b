"""A line break in a single-line field of a public form is refused (issue 24, item 7): a
crafted POST with a newline in a letter's subject or name made both notification mails fail."""

import pytest
from django import forms
from post_office.models import Email

from correspondence.forms import LetterForm, LookupForm
from correspondence.models import Letter
from faq.forms import FeedbackForm
from interviews.forms import QuestionForm
from participation.forms import CommentForm, SurveyForm
from participation.models import SurveyPage
from portal.forms import PublicForm
from subscriptions.forms import SubscribeForm
from tests.correspondence.test_mailboxes import mailbox, send

BREAKS = ["\r\n", "\n", "\r", "\u2028", "\x85", "\v"]
MESSAGE = "此项只能填写一行，不能包含换行，请删除换行后重新提交。"


@pytest.mark.parametrize(
    "field, value",
    [
        ("subject", "咨询电子发票\r\nBcc: everyone@example.com"),
        ("name", "赵小明\nX-Injected: 1"),
        ("subject", "咨询电子发票\u2028重复报销"),
        ("email", "zhao.xm@example.com\r\nBcc: x@example.com"),
    ],
)
def test_a_letter_with_a_line_break_in_a_single_line_field_is_refused(client, field, value):
    before, mails = Letter.objects.count(), Email.objects.count()
    response = send(client, mailbox(), **{field: value})
    html = response.content.decode()
    assert response.status_code == 400
    assert MESSAGE in html and "error-summary" in html
    assert Letter.objects.count() == before and Email.objects.count() == mails


def test_several_lines_are_still_welcome_in_a_letters_text(client):
    response = send(client, mailbox(), content="第一段：我单位财务人员发现问题。\r\n第二段：请问有没有官方的查验办法？")
    assert response.status_code == 302


def _public_forms():
    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    return {form for form in subclasses(PublicForm) if form.__module__.split(".")[0] != "tests"}


def _make(form_class, data=None):
    kwargs = {}
    if form_class is LetterForm:
        kwargs["mailbox"] = mailbox()
    if form_class is SurveyForm:
        kwargs["survey"] = SurveyPage.objects.live().first()
    return form_class(data, **kwargs) if data is not None else form_class(**kwargs)


@pytest.mark.django_db
def test_every_single_line_field_of_every_public_form_refuses_a_line_break():
    forms_found = _public_forms()
    assert {LetterForm, LookupForm, QuestionForm, CommentForm, SurveyForm, SubscribeForm, FeedbackForm} <= forms_found
    checked = []
    for form_class in forms_found:
        form = _make(form_class)
        for name, field in form.fields.items():
            if not isinstance(field, forms.CharField) or isinstance(field.widget, forms.Textarea):
                continue
            if name in ("website", "started"):  # the honeypot and the signed time stamp
                continue
            for line_break in BREAKS:
                bound = _make(form_class, {name: f"甲乙丙丁{line_break}戊己庚辛"})
                assert not bound.is_valid()
                assert MESSAGE in bound.errors.get(name, []), (form_class.__name__, name, repr(line_break))
            checked.append(f"{form_class.__name__}.{name}")
    assert {"LetterForm.name", "LetterForm.subject", "LetterForm.phone", "LetterForm.email", "LookupForm.code"} <= set(
        checked
    )
    assert {"QuestionForm.name", "CommentForm.name", "CommentForm.contact", "SubscribeForm.email"} <= set(checked)
