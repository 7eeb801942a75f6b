"""The second factor: who needs it, enrolment, verification, reset. Every enrolment, reset,
recovery-code use and failed code is a Wagtail log entry on the user (报告 → 站点历史)
and a log line."""

from __future__ import annotations

import logging
import secrets

import segno
from django.db import transaction
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from wagtail.log_actions import log

from .models import TwoFactorPolicy

logger = logging.getLogger(__name__)

ENROLLED = "signin.2fa_enrolled"
RESET = "signin.2fa_reset"
FAILED = "signin.2fa_failed"
RECOVERY_USED = "signin.2fa_recovery_used"

DEVICE_NAME = "authenticator"
RECOVERY_NAME = "recovery"
RECOVERY_CODES = 10


def _model(user):
    """``request.user`` is a lazy object (twice over with django-otp's middleware), which
    Wagtail's log registry does not see through: the user row itself."""
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(pk=user.pk)


def requires_two_factor(user) -> bool:
    """Superusers, and members of the groups marked under 设置 → 双因素认证."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return TwoFactorPolicy.groups.through.objects.filter(group__user=user).exists()  # one query


def confirmed_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def pending_device(user) -> TOTPDevice:
    """The authenticator being enrolled (unconfirmed): the same one until it is confirmed, so
    the QR code does not change when the page is reloaded."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False, name=DEVICE_NAME).first()
    return device or TOTPDevice.objects.create(user=user, confirmed=False, name=DEVICE_NAME)


def qr_svg(device: TOTPDevice) -> str:
    """The ``otpauth://`` address as an inline SVG (no image file, no outside service)."""
    return segno.make(device.config_url, error="m").svg_inline(scale=4, border=2, dark="#000", light="#fff")


def secret_text(device: TOTPDevice) -> str:
    """The key as the authenticator apps take it when typed in (base32, in groups of four)."""
    from base64 import b32encode

    key = b32encode(device.bin_key).decode()
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


def _new_recovery_codes(user) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_NAME, confirmed=True)
    codes = [secrets.token_hex(5) for _ in range(RECOVERY_CODES)]  # 10 hex digits each
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def enrol(request, device: TOTPDevice, code: str) -> list[str] | None:
    """Confirm the pending authenticator with a code from it: returns the recovery codes (shown
    once), or ``None`` (the failure is logged) when the code is wrong."""
    user = request.user
    if not device.verify_token(code):
        record_failure(request, user, during="enrolment")
        return None
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        codes = _new_recovery_codes(user)
        log(instance=_model(user), action=ENROLLED, user=_model(user), data={"username": user.get_username()})
    otp_login(request, device)
    logger.info("Second factor enrolled by %s", user.get_username())
    return codes


def verify(request, token: str) -> bool:
    """Check a code from the authenticator, or a recovery code (used up); the session is then
    verified. A wrong code is logged; django-otp slows down repeated failures on the device."""
    user = request.user
    device = confirmed_device(user)
    if device is not None and token.isdigit() and len(token) == 6 and device.verify_token(token):
        otp_login(request, device)
        return True
    recovery = StaticDevice.objects.filter(user=user, confirmed=True).first()
    if recovery is not None and not (token.isdigit() and len(token) == 6) and recovery.verify_token(token):
        otp_login(request, recovery)
        left = recovery.token_set.count()
        data = {"username": user.get_username(), "left": left}
        log(instance=_model(user), action=RECOVERY_USED, user=_model(user), data=data)
        logger.warning("Recovery code used by %s (%d left)", user.get_username(), left)
        return True
    record_failure(request, user, during="sign-in")
    return False


def record_failure(request, user, during: str) -> None:
    from portal.ratelimit import client_ip

    address = client_ip(request)
    log(
        instance=_model(user),
        action=FAILED,
        user=_model(user),
        data={"username": user.get_username(), "during": during, "ip_address": address},
    )
    logger.warning("Wrong second-factor code for %s from %s (%s)", user.get_username(), address, during)


def reset(user, by) -> int:
    """Remove every second factor of ``user`` (a lost phone): they enrol again at their next
    sign-in. Returns the devices removed."""
    with transaction.atomic():
        count = TOTPDevice.objects.filter(user=user).delete()[0]
        count += StaticDevice.objects.filter(user=user).delete()[0]
        data = {"username": user.get_username(), "by": by.get_username()}
        log(instance=_model(user), action=RESET, user=_model(by), data=data)
    logger.warning("Second factor of %s reset by %s", user.get_username(), by.get_username())
    return count


def demo_device(user, secret_hex: str) -> TOTPDevice:
    """A confirmed authenticator with a known key (the demo only: the key is published)."""
    device, _created = TOTPDevice.objects.update_or_create(
        user=user, name=DEVICE_NAME, defaults={"key": secret_hex, "confirmed": True}
    )
    return device
