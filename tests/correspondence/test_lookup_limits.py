"""信件查询's limits: per address and per code, in a window that slides over the hour."""

from unittest import mock

import pytest
from django.test import Client

from correspondence.models import Letter
from portal import ratelimit
from tests.correspondence.test_mailboxes import lookup

pytestmark = pytest.mark.django_db


def letter_of_main_site():
    return Letter.objects.filter(site__hostname="localhost").order_by("pk").first()


def from_address(address: str) -> Client:
    return Client(HTTP_HOST="localhost:8000", REMOTE_ADDR=address)


def test_guessing_one_code_from_many_addresses_is_refused(settings):
    """Failed lookups of one code count from every address: past the limit even the right
    password is refused (a guesser must not learn when a guess was right), other codes work."""
    settings.LOOKUP_RATE_LIMIT = 3
    settings.LOOKUP_CODE_RATE_LIMIT = 4
    letter = letter_of_main_site()
    for n in range(4):
        wrong = lookup(from_address(f"203.0.113.{n + 1}"), letter.mailbox, letter.code, f"WRONG{n:03d}")
        assert wrong.status_code == 400
    refused = lookup(from_address("203.0.113.50"), letter.mailbox, letter.code.lower(), "DEMO2026")
    html = refused.content.decode()
    assert refused.status_code == 429 and letter.subject not in html
    assert "这个查询码的查询失败次数过多" in html and int(refused["Retry-After"]) > 3000
    other = Letter.objects.filter(site__hostname="localhost").exclude(pk=letter.pk).first()
    found = lookup(from_address("203.0.113.50"), other.mailbox, other.code, "DEMO2026")
    assert found.status_code == 200 and other.subject in found.content.decode()


def test_the_lookup_limit_is_not_renewed_at_the_hour(settings):
    """Ten failures at 10:59:50 and ten more at 11:00:10 were allowed by the fixed hourly window."""
    settings.LOOKUP_RATE_LIMIT = 3
    letter = letter_of_main_site()
    boundary = 1_780_000_000 // 3600 * 3600 + 3600
    clock = mock.Mock()
    clock.time.return_value = boundary - 10
    client = from_address("198.51.100.20")
    with mock.patch.object(ratelimit, "time", clock):
        for n in range(3):
            assert lookup(client, letter.mailbox, f"XJ00000000{n}", "WRONG123").status_code == 400
        clock.time.return_value = boundary + 10
        refused = lookup(client, letter.mailbox, letter.code, "DEMO2026")
    assert refused.status_code == 429 and letter.subject not in refused.content.decode()
