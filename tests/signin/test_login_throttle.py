"""Login throttling that holds when the attacker changes address or account (issue #24, item 3):
axes' per-username-and-address lock, plus a captcha and then a lock per account across addresses
and per address across accounts (signin/throttle.py), that never lock out the editor's own
browser; and limits on password reset that do not tell whether an account exists.

Every client has its own REMOTE_ADDR (the portal reads the client address from REMOTE_ADDR, or
from X-Forwarded-For behind TRUSTED_PROXY_COUNT proxies: portal.ratelimit.client_ip, which
axes uses too through AXES_CLIENT_IP_CALLABLE)."""

import re

import pytest
from axes.models import AccessAttempt
from captcha.models import CaptchaStore
from django.contrib.auth import get_user_model
from django.test import Client

from tests.helpers import deliver_queued_mail

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/"
RESET = "/admin/password_reset/"
JIA = ("jia_editor", "demo-jia-2026")


def at(address: str, **extra) -> Client:
    return Client(REMOTE_ADDR=address, **extra)


def log_in(client: Client, username: str, password: str, **extra):
    return client.post(LOGIN, {"username": username, "password": password, **extra})


def signed_in(client: Client) -> bool:
    return client.get("/admin/").status_code == 200


def captcha_answer(html: str) -> dict:
    key = re.search(r'name="captcha_0" value="([^"]+)"', html).group(1)
    return {"captcha_0": key, "captcha_1": CaptchaStore.objects.get(hashkey=key).response}


def with_captcha(client: Client, username: str, password: str):
    """The login as a person does it past the threshold: the form shows a captcha, answered."""
    form = client.get(LOGIN, {"username": username}).content.decode()
    if 'name="captcha_0"' not in form:  # a fresh form shows it only for the address' own count
        form = log_in(client, username, "").content.decode()
    return log_in(client, username, password, **captcha_answer(form))


# ---- one account, many addresses --------------------------------------------------------
def test_twelve_addresses_guessing_one_account_do_not_get_in_with_the_right_password():
    for n in range(12):
        log_in(at(f"203.0.113.{n + 1}"), JIA[0], f"guess-{n}")
    attacker = at("203.0.113.99")
    response = log_in(attacker, *JIA)
    assert response.status_code == 200
    html = response.content.decode()
    assert "请先输入验证码再登录" in html and 'name="captcha_1"' in html
    assert not signed_in(attacker)


def test_past_the_threshold_a_post_without_the_captcha_is_not_even_counted():
    for n in range(10):
        log_in(at(f"203.0.113.{n + 1}"), JIA[0], "wrong")
    before = AccessAttempt.objects.filter(username=JIA[0]).count()
    for n in range(30):  # a botnet without captcha solving gets nowhere and locks nobody out
        assert log_in(at(f"198.18.0.{n + 1}"), JIA[0], "wrong").status_code == 200
    assert AccessAttempt.objects.filter(username=JIA[0]).count() == before
    editor = at("192.0.2.50")
    assert with_captcha(editor, *JIA).status_code == 302  # the editor answers the captcha and gets in
    assert signed_in(editor)


def test_thirty_failures_with_solved_captchas_lock_the_account_for_new_browsers_only():
    editor = at("192.0.2.60")
    assert log_in(editor, *JIA).status_code == 302  # signed in here before: this browser is known
    editor.post("/admin/logout/")
    for n in range(30):
        attacker = at(f"203.0.113.{n + 1}")
        if n < 10:
            log_in(attacker, JIA[0], "wrong")
        else:
            with_captcha(attacker, JIA[0], "wrong")
    stranger = at("203.0.113.200")
    locked = log_in(stranger, *JIA)
    assert locked.status_code == 429 and "已被暂时锁定" in locked.content.decode()
    assert not signed_in(stranger)
    # The editor's own browser: no captcha, no lock, straight in.
    assert log_in(editor, *JIA).status_code == 302
    assert signed_in(editor)


def test_the_device_cookie_cannot_be_forged():
    for n in range(10):
        log_in(at(f"203.0.113.{n + 1}"), JIA[0], "wrong")
    forger = at("203.0.113.150")
    forger.cookies["portal_signin_device"] = '{"u": ["jia_editor"]}'
    assert "请先输入验证码再登录" in log_in(forger, *JIA).content.decode()


# ---- one address, many accounts ---------------------------------------------------------
def test_twenty_failures_over_five_accounts_from_one_address_are_stopped():
    attacker = at("203.0.113.77")
    accounts = ["jia_editor", "yi_editor", "host", "sheng_editor", "jia_reviewer"]
    answers = [log_in(attacker, accounts[n % 5], f"guess-{n}") for n in range(20)]
    # Never more than 4 failures per account (under axes' 5), yet from the 11th try on the
    # address must answer a captcha first.
    assert [r.status_code for r in answers] == [200] * 20
    assert all("请先输入验证码再登录" not in r.content.decode() for r in answers[:10])
    assert all("请先输入验证码再登录" in r.content.decode() for r in answers[10:])
    assert AccessAttempt.objects.filter(ip_address="203.0.113.77").count() == 5
    assert (
        sum(AccessAttempt.objects.filter(ip_address="203.0.113.77").values_list("failures_since_start", flat=True))
        == 10
    )
    response = log_in(attacker, *JIA)
    assert "请先输入验证码再登录" in response.content.decode() and not signed_in(attacker)
    assert 'name="captcha_1"' in attacker.get(LOGIN).content.decode()  # shown at once from that address
    # Someone at another address is not bothered.
    assert log_in(at("192.0.2.70"), *JIA).status_code == 302


# ---- the old protection stays ------------------------------------------------------------
def test_axes_still_locks_one_account_at_one_address_after_five():
    client = at("203.0.113.90")
    for _ in range(5):
        log_in(client, JIA[0], "wrong")
    assert log_in(client, *JIA).status_code == 429


# ---- password reset -----------------------------------------------------------------------
def reset(client: Client, email: str):
    return client.post(RESET, {"email": email})


def test_password_reset_mails_one_address_at_most_three_times_an_hour():
    email = get_user_model().objects.get(username="jia_editor").email
    answers = [reset(at(f"203.0.113.{n + 1}"), email) for n in range(6)]
    assert [r.status_code for r in answers] == [302] * 6  # the same page every time
    assert all(r["Location"] == "/admin/password_reset/done/" for r in answers)
    sent = [m for m in deliver_queued_mail() if email in m.to]
    assert len(sent) == 3


def test_password_reset_from_one_address_is_refused_after_five_requests():
    client = at("203.0.113.88")
    emails = [u.email for u in get_user_model().objects.exclude(email="").order_by("pk")[:6]]
    answers = [reset(client, email) for email in emails]
    assert [r.status_code for r in answers] == [302] * 5 + [429]
    assert "申请重置密码的次数过多" in answers[5].content.decode()
    assert len(deliver_queued_mail()) == 5
    assert reset(at("192.0.2.80"), emails[5]).status_code == 302  # another address is not held


def test_password_reset_answers_alike_for_unknown_addresses_and_counts_them():
    known = get_user_model().objects.get(username="jia_editor").email
    unknown = "nobody@tax-shili.example"
    a = reset(at("203.0.113.41"), known)
    b = reset(at("203.0.113.42"), unknown)
    assert (a.status_code, a["Location"]) == (b.status_code, b["Location"])
    for n in range(3):
        c = reset(at(f"203.0.113.{50 + n}"), unknown)
        assert (c.status_code, c["Location"]) == (a.status_code, a["Location"])
