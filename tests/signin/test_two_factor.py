"""Two-factor sign-in for staff (issue #24, item 4): superusers and the members of the groups
marked under 设置 → 双因素认证 give a TOTP code after the password, through Wagtail's own
/admin/login/; those without an authenticator enrol first (QR code inline, recovery codes);
no admin address lets them past; a superuser resets a lost factor; enrolment, reset and every
wrong code are in the audit log (报告 → 站点历史)."""

import re
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from wagtail.models import ModelLogEntry

from signin.models import TwoFactorPolicy
from tests.helpers import demo_totp_code, second_step

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
LOGIN = "/admin/login/"
VERIFY = "/admin/2fa/"
SETUP = "/admin/2fa/setup/"
JIA = ("jia_editor", "demo-jia-2026")
JIA_EDITORS = "甲市税务局·编辑"


def user(username):
    return get_user_model().objects.get(username=username)


def password_only(username, password, address="192.0.2.10") -> Client:
    client = Client(REMOTE_ADDR=address)
    assert client.post(LOGIN, {"username": username, "password": password}).status_code == 302
    return client


def code_of(device: TOTPDevice) -> str:
    return f"{TOTP(device.bin_key).token():06d}"


def wrong_code() -> str:
    """Six digits that are not the demo authenticator's current code."""
    return f"{(int(demo_totp_code()) + 1) % 1_000_000:06d}"


def mark(group_name: str) -> None:
    TwoFactorPolicy.load().groups.add(Group.objects.get(name=group_name))


def entries(action: str, username: str):
    return ModelLogEntry.objects.filter(action=action, object_id=str(user(username).pk))


def test_the_demo_admin_signs_in_with_the_code_of_the_secret_the_readme_documents():
    readme = (ROOT / "README.md").read_text()
    secret = re.search(r"authenticator key\s+`([A-Z2-7]{16,})`", readme).group(1)
    from base64 import b32decode

    code = f"{TOTP(b32decode(secret)).token():06d}"
    client = password_only("admin", "demo-admin-2026")
    held = client.get("/admin/")
    assert held.status_code == 302 and held["Location"].startswith(VERIFY)
    page = client.get(held["Location"]).content.decode()
    assert "输入动态验证码" in page and 'name="code"' in page
    assert client.post(held["Location"], {"code": code})["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "/admin/",
        "/admin/pages/",
        "/admin/users/",
        "/admin/login-lockouts/",
        "/admin/settings/signin/twofactorpolicy/",
        "/admin/2fa/reset/1/",
        "/admin/api/main/pages/",
        "/admin/account/",
        "/django-admin/",
        "/django-admin/auth/group/",
    ],
)
def test_no_admin_address_lets_a_password_only_superuser_through(path):
    client = password_only("admin", "demo-admin-2026")
    for method in (client.get, client.post):
        response = method(path)
        assert response.status_code == 302 and response["Location"].startswith(VERIFY), (path, method)


def test_outside_the_admin_a_password_only_superuser_is_anonymous():
    client = password_only("admin", "demo-admin-2026")
    # Wagtail's user bar (shown to signed-in editors on public pages) is not there.
    assert "wagtail-userbar" not in client.get("/", HTTP_HOST="localhost:8000").content.decode()
    verified = Client(HTTP_HOST="localhost:8000")
    verified.force_login(user("admin"))
    assert "wagtail-userbar" in verified.get("/").content.decode()


def test_a_wrong_code_is_refused_and_logged():
    client = password_only("admin", "demo-admin-2026", address="192.0.2.11")
    response = second_step(client, wrong_code())
    assert response.status_code == 400 and "验证码不正确" in response.content.decode()
    assert client.get("/admin/").status_code == 302
    assert second_step(client, "not-a-recovery-code").status_code == 400  # not even the form of one
    assert second_step(client, "0123456789").status_code == 400
    failures = entries("signin.2fa_failed", "admin")
    assert failures.count() == 3 and failures.first().data["ip_address"] == "192.0.2.11"


def test_editors_outside_the_marked_groups_sign_in_with_the_password():
    client = password_only(*JIA)
    assert client.get("/admin/").status_code == 200


def test_a_marked_group_must_enrol_with_a_qr_code_and_gets_recovery_codes():
    mark(JIA_EDITORS)
    client = password_only(*JIA)
    held = client.get("/admin/pages/")
    assert held.status_code == 302 and held["Location"].startswith(SETUP)
    assert client.get("/admin/").status_code == 302
    page = client.get(held["Location"])
    html = page.content.decode()
    assert page.status_code == 200 and "no-store" in page["Cache-Control"]
    assert "<svg" in html and "http" not in html.split("<svg", 1)[1].split("</svg>", 1)[0].replace(
        "http://www.w3.org/2000/svg", ""
    )  # inline, no outside service
    device = TOTPDevice.objects.get(user=user("jia_editor"), confirmed=False)
    shown = re.search(r'class="signin-secret">([A-Z2-7 ]+)<', html).group(1).replace(" ", "")
    from base64 import b32encode

    assert shown == b32encode(device.bin_key).decode()
    # the same device when the page is reloaded (the QR code the phone scanned stays valid)
    client.get(SETUP)
    assert TOTPDevice.objects.filter(user=user("jia_editor")).count() == 1
    wrong = client.post(SETUP, {"code": "12345x"})
    assert wrong.status_code == 400 and "验证码是 6 位数字" in wrong.content.decode()
    done = client.post(SETUP, {"code": code_of(device)})
    codes = re.findall(r"<li><code>([0-9a-f]{10})</code></li>", done.content.decode())
    assert done.status_code == 200 and len(codes) == 10 and "离开本页后不会再显示" in done.content.decode()
    assert client.get("/admin/").status_code == 200
    assert entries("signin.2fa_enrolled", "jia_editor").count() == 1
    # Next sign-in, phone left at home: a recovery code, once.
    other = password_only(*JIA, address="192.0.2.12")
    assert other.get("/admin/")["Location"].startswith(VERIFY)
    assert second_step(other, codes[0].upper())["Location"] == "/admin/"
    assert other.get("/admin/").status_code == 200
    again = password_only(*JIA, address="192.0.2.13")
    assert second_step(again, codes[0]).status_code == 400
    assert StaticDevice.objects.get(user=user("jia_editor")).token_set.count() == 9
    assert entries("signin.2fa_recovery_used", "jia_editor").count() == 1


def test_an_enrolled_user_cannot_enrol_a_second_device_without_a_reset():
    client = password_only("admin", "demo-admin-2026")
    assert client.get(SETUP)["Location"].startswith(VERIFY)
    assert client.post(SETUP, {"code": "123456"})["Location"].startswith(VERIFY)
    assert TOTPDevice.objects.filter(user=user("admin")).count() == 1


def test_a_superuser_resets_a_lost_second_factor():
    target = user("sheng_admin")
    assert TOTPDevice.objects.filter(user=target, confirmed=True).exists()  # the demo device
    admin = Client()
    admin.force_login(user("admin"))
    listing = admin.get("/admin/users/").content.decode()
    assert f"/admin/2fa/reset/{target.pk}/" in listing and "重置双因素认证" in listing
    assert "确认重置" in admin.get(f"/admin/2fa/reset/{target.pk}/").content.decode()
    assert admin.post(f"/admin/2fa/reset/{target.pk}/").status_code == 302
    assert not TOTPDevice.objects.filter(user=target).exists()
    assert not StaticDevice.objects.filter(user=target).exists()
    entry = entries("signin.2fa_reset", "sheng_admin").get()
    assert entry.user == user("admin")
    # At the next sign-in: enrolment again.
    client = password_only("sheng_admin", "demo-sheng-admin-2026")
    assert client.get("/admin/")["Location"].startswith(SETUP)


def test_only_superusers_reset_second_factors():
    target = user("sheng_admin")
    site_admin = Client()
    site_admin.force_login(user("jia_admin"))
    assert site_admin.post(f"/admin/2fa/reset/{target.pk}/").status_code in (302, 403)
    assert TOTPDevice.objects.filter(user=target).exists()
    assert f"/admin/2fa/reset/{target.pk}/" not in site_admin.get("/admin/users/").content.decode()


def test_the_site_administrator_marks_groups_in_the_settings():
    admin = Client()
    admin.force_login(user("admin"))
    url = "/admin/settings/signin/twofactorpolicy/"
    form = admin.get(url, follow=True).content.decode()
    assert "须使用双因素认证的用户组" in form and JIA_EDITORS in form
    group = Group.objects.get(name=JIA_EDITORS)
    kept = list(TwoFactorPolicy.load().groups.values_list("pk", flat=True))
    edit_url = admin.get(url, follow=True).redirect_chain[-1][0] if admin.get(url).status_code == 302 else url
    assert admin.post(edit_url, {"groups": [*kept, group.pk]}).status_code == 302
    assert TwoFactorPolicy.load().groups.filter(pk=group.pk).exists()
    assert password_only(*JIA).get("/admin/")["Location"].startswith(SETUP)


def test_enrolment_reset_and_failures_are_in_the_site_history_for_superusers():
    mark(JIA_EDITORS)
    client = password_only(*JIA)
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=user("jia_editor"))
    assert client.post(SETUP, {"code": f"{(int(code_of(device)) + 1) % 1_000_000:06d}"}).status_code == 400
    # django-otp makes the next try wait a second after a failure: that second has passed
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_timestamp=None)
    client.post(SETUP, {"code": code_of(device)})
    admin = Client()
    admin.force_login(user("admin"))
    admin.post(f"/admin/2fa/reset/{user('jia_editor').pk}/")
    history = admin.get("/admin/reports/site-history/").content.decode()
    for label in ("绑定双因素认证：jia_editor", "重置双因素认证：jia_editor"):
        assert label in history
    assert "双因素验证码错误：jia_editor" in history


def test_the_demo_marks_the_site_administrators_and_gives_them_the_demo_device():
    marked = set(TwoFactorPolicy.load().groups.values_list("name", flat=True))
    sites = ("示例省税务局", "甲市税务局", "乙市税务局", "临江县税务局")  # the county: opened through 站点开通
    assert marked == {f"{site}·站点管理员" for site in sites}
    for username in ("admin", "sheng_admin", "jia_admin", "yi_admin"):
        assert TOTPDevice.objects.filter(user=user(username), confirmed=True).exists(), username
    assert not TOTPDevice.objects.filter(user=user("jia_editor")).exists()


def test_the_second_step_offers_to_sign_out_instead():
    client = password_only("admin", "demo-admin-2026")
    page = client.get(VERIFY).content.decode()
    assert 'action="/admin/logout/"' in page and "退出，改用其他账户登录" in page
    client.post("/admin/logout/")
    assert client.get("/admin/")["Location"].startswith(LOGIN)
