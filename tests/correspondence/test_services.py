"""Unit tests of the letter services on a mailbox built for each test (tests/factories.py)."""

from datetime import date, datetime

import pytest
from django.contrib.auth.hashers import check_password
from django.utils import timezone

from correspondence import queries, services
from correspondence.models import Letter
from portal.models import WorkdayOverride
from tests.factories import HomePageFactory, LetterFactory, MailboxIndexPageFactory, MailboxPageFactory, SiteFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def mailbox():
    site = SiteFactory()
    return MailboxPageFactory(parent=MailboxIndexPageFactory(parent=site.root_page))


LETTER = {"name": "测试人", "phone": "13900000001", "subject": "咨询发票", "category": "咨询", "content": "请问……"}


def test_a_letter_is_saved_with_a_code_a_hashed_password_and_a_deadline_in_working_days(mailbox, monkeypatch):
    received = timezone.make_aware(datetime(2026, 9, 29, 10, 0))
    monkeypatch.setattr(timezone, "now", lambda: received)
    WorkdayOverride.objects.create(date=date(2026, 10, 13), is_workday=False, note="测试放假")
    letter, password = services.submit_letter(mailbox, mailbox.get_site(), LETTER, [], "zh-hans")
    assert Letter.objects.get(pk=letter.pk).code == letter.code and letter.code.startswith("XJ260929")
    assert check_password(password, letter.password_hash) and password not in letter.password_hash
    # 7 working days after 29 Sept. 2026 would end on 14 Oct. (国庆 and its make-up days counted
    # by chinesecalendar); the override makes 13 Oct. a day off, so they end on 15 Oct.
    assert letter.due_date == date(2026, 10, 15)
    assert services.find_letter(letter.code.lower(), password) == letter
    assert services.find_letter(letter.code, "WRONG123") is None


def test_only_answered_letters_that_staff_published_are_listed(mailbox):
    replied = {"status": Letter.Status.REPLIED, "reply": "答复内容", "consent_publish": True}
    shown = LetterFactory(mailbox=mailbox, is_published=True, published_at=timezone.now(), **replied)
    LetterFactory(mailbox=mailbox, **replied)  # answered, not published
    LetterFactory(mailbox=mailbox, is_published=True, consent_publish=True)  # published before an answer: never
    LetterFactory(mailbox=MailboxPageFactory(parent=mailbox.get_parent()), is_published=True, **replied)
    assert [letter.pk for letter in queries.published(mailbox)] == [shown.pk]


def test_a_new_home_page_is_its_own_site():
    home = HomePageFactory()
    assert home.get_parent().depth == 1 and home.live
