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
from wagtail.models import ModelLogEntry

from tests.helpers import second_step
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
    """Into the admin: for ``admin`` (who must use a second factor) after the code as well."""
    response = client.get("/admin/")
    if response.status_code == 302 and response["Location"].startswith("/admin/2fa/"):
        second_step(client)
        response = client.get("/admin/")
    return response.status_code == 200


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


def rows(html: str) -> dict[str, list[str]]:
    """The lockout listing's rows by address: {网络地址: [用户名, 网络地址, 失败次数, 最近一次尝试, 锁定到期时间]}."""
    listing = html.split('id="listing-results"', 1)[1]
    table = listing.split("<tbody>", 1)[1].split("</tbody>", 1)[0] if "<tbody>" in listing else ""
    found = {}
    for row in re.findall(r"<tr\b.*?</tr>", table, re.S):
        cells = re.findall(r"<td\b[^>]*>(.*?)</td>", row, re.S)
        username = re.search(r'<div class="title-wrapper">(.*?)</div>', cells[0], re.S).group(1)
        texts = [username] + [re.sub(r"<[^>]+>", "", cell) for cell in cells[1:]]
        texts = [" ".join(text.split()) for text in texts]
        found[texts[1]] = texts
    return found


def unlock_url(html: str, username: str, address: str) -> str:
    label = f"解除 {username}（{address}）的锁定"
    return re.search(rf'<a href="([^"]+)"[^>]*aria-label="{label}"[^>]*>.*?解除锁定\s*</a>', html, re.S).group(1)


def test_superusers_see_current_lockouts_and_no_expired_ones():
    lock_out(client_at("198.51.100.20"), "jia_editor")
    lock_out(client_at("198.51.100.21"), "yi_editor", times=3)  # not locked
    lock_out(client_at("198.51.100.22"), "host")
    AccessAttempt.objects.filter(username="host").update(attempt_time=F("attempt_time") - timedelta(minutes=31))
    response = staff("admin").get(LOCKOUTS)
    assert response.status_code == 200
    html = response.content.decode()
    assert "登录锁定" in html and "连续登录失败 5 次后，将被锁定 30 分钟" in html
    for heading in ["用户名", "网络地址", "失败次数", "最近一次尝试", "锁定到期时间"]:
        assert heading in html
    listed = rows(html)
    assert set(listed) == {"198.51.100.20"}  # yi_editor is under the limit, host's lock has expired
    attempt = AccessAttempt.objects.get(username="jia_editor")
    assert listed["198.51.100.20"] == [
        "jia_editor",
        "198.51.100.20",
        "5",
        localtime(attempt.attempt_time).strftime("%Y-%m-%d %H:%M:%S"),
        localtime(attempt.attempt_time + timedelta(minutes=30)).strftime("%Y-%m-%d %H:%M:%S"),
    ]
    assert unlock_url(html, "jia_editor", "198.51.100.20") == f"{LOCKOUTS}delete/{attempt.pk}/"


def test_failures_from_several_browsers_are_added_up_as_axes_does():
    address = "198.51.100.27"
    lock_out(client_at(address, HTTP_USER_AGENT="Browser A"), "sheng_editor", times=3)
    assert "198.51.100.27" not in rows(staff("admin").get(LOCKOUTS).content.decode())
    lock_out(client_at(address, HTTP_USER_AGENT="Browser B"), "sheng_editor", times=2)
    listed = rows(staff("admin").get(LOCKOUTS).content.decode())
    assert listed[address][:3] == ["sheng_editor", address, "5"]  # 3 + 2 failures, one row
    newest = AccessAttempt.objects.filter(ip_address=address).order_by("-attempt_time").first()
    assert listed[address][3] == localtime(newest.attempt_time).strftime("%Y-%m-%d %H:%M:%S")
    # Browser A's 3 failures are needed to reach 5: the lock ends when they age out.
    first = AccessAttempt.objects.get(ip_address=address, user_agent="Browser A")
    assert listed[address][4] == localtime(first.attempt_time + timedelta(minutes=30)).strftime("%Y-%m-%d %H:%M:%S")
    third_browser = client_at(address, HTTP_USER_AGENT="Browser C")
    assert log_in(third_browser, "sheng_editor", "demo-sheng-editor-2026").status_code == 429  # axes agrees


def test_the_lockouts_view_is_in_the_settings_menu_for_superusers_only():
    assert LOCKOUTS in staff("admin").get("/admin/").content.decode()
    assert LOCKOUTS not in staff("jia_editor").get("/admin/").content.decode()


def test_editors_cannot_see_or_lift_lockouts():
    lock_out(client_at("198.51.100.23"), "yi_editor")
    attempt = AccessAttempt.objects.get(username="yi_editor")
    editor = staff("jia_editor")
    refused = editor.get(LOCKOUTS)  # Wagtail answers PermissionDenied with a redirect and a message
    assert refused.status_code == 302 and refused["Location"] == "/admin/"
    lift = f"{LOCKOUTS}delete/{attempt.pk}/"
    assert editor.get(lift).status_code == 302
    response = editor.post(lift)
    assert response.status_code == 302 and response["Location"] == "/admin/"
    # scripts (fetch, XHR) get the plain 403
    assert editor.get(LOCKOUTS, HTTP_X_REQUESTED_WITH="XMLHttpRequest").status_code == 403
    assert editor.post(lift, HTTP_X_REQUESTED_WITH="XMLHttpRequest").status_code == 403
    assert AccessAttempt.objects.filter(username="yi_editor").exists()
    # nor are axes' records in the group editor's permissions
    groups = staff("admin").get("/admin/groups/new/").content.decode()
    assert "access attempt" not in groups.lower()


def test_the_unlock_button_lifts_the_lockout_and_needs_the_csrf_token():
    locked = client_at("198.51.100.24")
    lock_out(locked, "jia_editor")
    lock_out(client_at("198.51.100.25"), "jia_editor")  # another address: stays locked
    assert log_in(locked, *JIA).status_code == 429
    admin = staff("admin", enforce_csrf_checks=True)
    url = unlock_url(admin.get(LOCKOUTS).content.decode(), "jia_editor", "198.51.100.24")
    assert admin.post(url).status_code == 403  # no CSRF token
    assert AccessAttempt.objects.filter(ip_address="198.51.100.24").exists()

    confirm = admin.get(url)
    assert confirm.status_code == 200
    page = confirm.content.decode()
    assert "解除锁定" in page and "jia_editor" in page and "198.51.100.24" in page
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    response = admin.post(url, {"csrfmiddlewaretoken": token}, follow=True)
    html = response.content.decode()
    assert response.status_code == 200 and "已解除 jia_editor（198.51.100.24）的登录锁定" in html
    assert set(rows(html)) == {"198.51.100.25"}  # its row is gone, the other address stays locked
    assert log_in(locked, *JIA).status_code == 302
    assert logged_in(locked)
    assert log_in(client_at("198.51.100.25"), *JIA).status_code == 429


def test_lifting_a_lockout_is_in_the_site_history(caplog):
    lock_out(client_at("198.51.100.28"), "yi_editor")
    attempt = AccessAttempt.objects.get(username="yi_editor", ip_address="198.51.100.28")
    admin = staff("admin")
    with caplog.at_level("INFO", logger="portal.lockouts"):
        assert admin.post(f"{LOCKOUTS}delete/{attempt.pk}/").status_code == 302
    assert "Login lockout lifted by admin: 'yi_editor' from '198.51.100.28'" in caplog.text
    entry = ModelLogEntry.objects.get(action="portal.lift_lockout")
    assert entry.user.username == "admin" and entry.label == "yi_editor（198.51.100.28）"
    history = admin.get("/admin/reports/site-history/").content.decode()
    assert "解除登录锁定" in history and "yi_editor（198.51.100.28）" in history


def test_there_is_no_way_to_add_or_edit_axes_records():
    lock_out(client_at("198.51.100.29"), "yi_editor")
    attempt = AccessAttempt.objects.get(username="yi_editor")
    admin = staff("admin")
    assert admin.get(f"{LOCKOUTS}new/").status_code == 404
    assert admin.get(f"{LOCKOUTS}edit/{attempt.pk}/").status_code == 404
    html = admin.get(LOCKOUTS).content.decode()
    assert f"{LOCKOUTS}new/" not in html and f"{LOCKOUTS}edit/" not in html


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
