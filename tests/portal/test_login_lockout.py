"""Admin logins: 5 failures lock that username from that address for 30 minutes (django-axes,
in the database); superusers see and lift lockouts under 设置 → 登录锁定."""

import json
import re
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db.models import F
from django.test import Client
from django.utils.timezone import localtime

from tests.portal.test_settings import CLEAN_ENV, ROOT

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/"
LOCKOUTS = "/admin/login-lockouts/"
ADMIN = ("admin", "demo-admin-2026")
JIA = ("jia_editor", "demo-jia-2026")


def client_at(address: str, **extra) -> Client:
    return Client(REMOTE_ADDR=address, **extra)


def log_in(client: Client, username: str, password: str):
    return client.post(LOGIN, {"username": username, "password": password})


def lock_out(client: Client, username: str, times: int = 5):
    for _ in range(times):
        log_in(client, username, "wrong-password")


def logged_in(client: Client) -> bool:
    return client.get("/admin/").status_code == 200


def test_five_failures_lock_that_user_at_that_address_even_with_the_right_password():
    client = client_at("198.51.100.7")
    lock_out(client, "admin", times=4)
    assert log_in(client, "admin", "wrong-password").status_code == 429  # the 5th failure locks
    response = log_in(client, *ADMIN)
    assert response.status_code == 429
    html = response.content.decode()
    assert "登录已被暂时锁定" in html and "请在 30 分钟后再试" in html and "网站管理员" in html
    assert not logged_in(client)


def test_four_failures_do_not_lock():
    client = client_at("198.51.100.8")
    lock_out(client, "admin", times=4)
    assert log_in(client, *ADMIN).status_code == 302
    assert logged_in(client)


def test_the_lockout_page_says_it_in_english_too():
    client = client_at("198.51.100.9")
    lock_out(client, "admin")
    response = log_in(client, *ADMIN)
    assert response.status_code == 429
    english = response.content.decode().split('<div lang="en">', 1)[1]
    assert "Sign-in temporarily locked" in english and "30 minutes" in english and "site administrator" in english


def test_the_same_user_from_another_address_still_logs_in():
    lock_out(client_at("198.51.100.10"), "admin")
    other = client_at("198.51.100.11")
    assert log_in(other, *ADMIN).status_code == 302
    assert logged_in(other)


def test_another_user_from_the_same_address_still_logs_in():
    lock_out(client_at("198.51.100.12"), "admin")
    client = client_at("198.51.100.12")
    assert log_in(client, *JIA).status_code == 302
    assert logged_in(client)


def test_the_lockout_ends_after_30_minutes():
    client = client_at("198.51.100.13")
    lock_out(client, "admin")
    attempts = AccessAttempt.objects.filter(username="admin", ip_address="198.51.100.13")
    attempts.update(attempt_time=F("attempt_time") - timedelta(minutes=29))
    assert log_in(client, *ADMIN).status_code == 429  # 29 minutes on (that try counts, too)
    attempts.update(attempt_time=F("attempt_time") - timedelta(minutes=30, seconds=1))
    assert log_in(client, *ADMIN).status_code == 302
    assert logged_in(client)


def test_a_lockout_is_kept_in_the_database():
    lock_out(client_at("198.51.100.14"), "admin")
    attempt = AccessAttempt.objects.get(username="admin", ip_address="198.51.100.14")
    assert attempt.failures_since_start == 5


def test_behind_a_trusted_proxy_the_address_comes_from_x_forwarded_for(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = "10.0.0.2"
    visitor = client_at(proxy, HTTP_X_FORWARDED_FOR="203.0.113.50")
    lock_out(visitor, "admin")
    assert AccessAttempt.objects.filter(username="admin", ip_address="203.0.113.50").exists()
    assert not AccessAttempt.objects.filter(ip_address=proxy).exists()
    assert log_in(visitor, *ADMIN).status_code == 429
    # another visitor behind the same proxy is not locked out
    other = client_at(proxy, HTTP_X_FORWARDED_FOR="203.0.113.51")
    assert log_in(other, *ADMIN).status_code == 302


def test_without_a_trusted_proxy_x_forwarded_for_is_ignored(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    client = client_at("198.51.100.15")
    for n in range(5):  # a new forged address on every try changes nothing
        client.post(LOGIN, {"username": "admin", "password": "wrong"}, HTTP_X_FORWARDED_FOR=f"203.0.113.{n}")
    assert AccessAttempt.objects.get(username="admin", ip_address="198.51.100.15").failures_since_start == 5
    assert log_in(client, *ADMIN).status_code == 429


# ---- the admin view -------------------------------------------------------------------
def staff(username: str, **extra) -> Client:
    client = Client(**extra)
    client.force_login(get_user_model().objects.get(username=username))
    return client


def test_superusers_see_current_lockouts_and_no_expired_ones():
    lock_out(client_at("198.51.100.20"), "jia_editor")
    lock_out(client_at("198.51.100.21"), "yi_editor", times=3)  # not locked
    lock_out(client_at("198.51.100.22"), "host")
    AccessAttempt.objects.filter(username="host").update(attempt_time=F("attempt_time") - timedelta(minutes=31))
    response = staff("admin").get(LOCKOUTS)
    assert response.status_code == 200
    html = response.content.decode()
    assert "登录锁定" in html and "解除锁定" in html
    assert "jia_editor" in html and "198.51.100.20" in html
    assert "yi_editor" not in html and "198.51.100.22" not in html
    row = re.search(r"<tr>\s*<td>jia_editor</td>(.*?)</tr>", html, re.S).group(1)
    attempt = AccessAttempt.objects.get(username="jia_editor")
    expires = localtime(attempt.attempt_time + timedelta(minutes=30)).strftime("%Y-%m-%d %H:%M")
    assert "<td>5</td>" in row and expires in row


def test_the_lockouts_view_is_in_the_settings_menu_for_superusers_only():
    assert LOCKOUTS in staff("admin").get("/admin/").content.decode()
    assert LOCKOUTS not in staff("jia_editor").get("/admin/").content.decode()


def test_editors_cannot_see_or_lift_lockouts():
    lock_out(client_at("198.51.100.23"), "yi_editor")
    editor = staff("jia_editor")
    refused = editor.get(LOCKOUTS)  # Wagtail answers PermissionDenied with a redirect and a message
    assert refused.status_code == 302 and refused["Location"] == "/admin/"
    response = editor.post(f"{LOCKOUTS}reset/", {"username": "yi_editor", "ip_address": "198.51.100.23"})
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert AccessAttempt.objects.filter(username="yi_editor").exists()


def test_the_unlock_button_lifts_the_lockout_and_needs_the_csrf_token():
    locked = client_at("198.51.100.24")
    lock_out(locked, "jia_editor")
    lock_out(client_at("198.51.100.25"), "jia_editor")  # another address: stays locked
    admin = staff("admin", enforce_csrf_checks=True)
    reset = f"{LOCKOUTS}reset/"
    assert admin.get(reset).status_code == 405
    row = {"username": "jia_editor", "ip_address": "198.51.100.24"}
    assert admin.post(reset, row).status_code == 403  # no CSRF token
    assert AccessAttempt.objects.filter(ip_address="198.51.100.24").exists()

    page = admin.get(LOCKOUTS).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    response = admin.post(reset, {**row, "csrfmiddlewaretoken": token}, follow=True)
    html = response.content.decode()
    assert response.status_code == 200 and "已解除 jia_editor（198.51.100.24）的登录锁定" in html
    assert 'value="198.51.100.24"' not in html  # its row is gone
    assert 'value="198.51.100.25"' in html
    assert log_in(locked, *JIA).status_code == 302


def test_axes_reset_username_lifts_the_lockout(capsys):
    client = client_at("198.51.100.26")
    lock_out(client, "admin")
    assert log_in(client, *ADMIN).status_code == 429
    call_command("axes_reset_username", "admin")
    assert "attempts removed" in capsys.readouterr().out
    assert log_in(client, *ADMIN).status_code == 302


# ---- settings --------------------------------------------------------------------------
PROBE = """
import json, django
from django.conf import settings
django.setup()
print(json.dumps({name: str(getattr(settings, name, None)) for name in [
    "TRUSTED_PROXY_COUNT", "AXES_CLIENT_IP_CALLABLE", "AXES_IPWARE_PROXY_COUNT", "AXES_HANDLER",
    "AXES_COOLOFF_TIME", "AXES_FAILURE_LIMIT", "SESSION_COOKIE_AGE", "SESSION_EXPIRE_AT_BROWSER_CLOSE",
]}))
"""


def probe(module: str, **env) -> dict:
    import subprocess
    import sys

    production = {"SECRET_KEY": "lockout-test-" + "Zq8-vYb2_Lm4nP0rS6tU" * 2, "ALLOWED_HOSTS": "tax.example.gov.cn"}
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env={**CLEAN_ENV, **production, "DJANGO_SETTINGS_MODULE": module, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_production_reads_one_proxy_count_for_rate_limits_and_lockouts():
    values = probe("portal.settings.production")
    assert values["TRUSTED_PROXY_COUNT"] == "1"
    assert values["AXES_CLIENT_IP_CALLABLE"] == "portal.ratelimit.login_client_ip"
    assert values["AXES_IPWARE_PROXY_COUNT"] == "None"  # not used: ipware is not installed
    assert values["AXES_HANDLER"] == "axes.handlers.database.AxesDatabaseHandler"
    assert values["AXES_COOLOFF_TIME"] == "0:30:00" and values["AXES_FAILURE_LIMIT"] == "5"
    assert probe("portal.settings.production", TRUSTED_PROXY_COUNT="2")["TRUSTED_PROXY_COUNT"] == "2"
    assert probe("portal.settings.dev")["TRUSTED_PROXY_COUNT"] == "0"


def test_staff_sessions_last_8_hours_unless_configured():
    values = probe("portal.settings.production")
    assert values["SESSION_COOKIE_AGE"] == str(8 * 3600) and values["SESSION_EXPIRE_AT_BROWSER_CLOSE"] == "False"
    values = probe("portal.settings.production", SESSION_COOKIE_AGE="1800", SESSION_EXPIRE_AT_BROWSER_CLOSE="1")
    assert values["SESSION_COOKIE_AGE"] == "1800" and values["SESSION_EXPIRE_AT_BROWSER_CLOSE"] == "True"
