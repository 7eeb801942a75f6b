"""Demo second factor: the 站点管理员 groups must use it (besides superusers), and the demo
accounts that must (``admin`` and ``<site>_admin``) get an authenticator with one published key,
``DEMO_TOTP_SECRET`` (README "Demo accounts"; ``load_demo`` prints it). Never on a real site."""

from __future__ import annotations

from base64 import b32decode

from django.contrib.auth import get_user_model
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import services
from .models import TwoFactorPolicy

DEMO_TOTP_SECRET = "SHILIDEMOTOTPKEY"  # base32, as typed into an authenticator app


def demo_key_hex() -> str:
    return b32decode(DEMO_TOTP_SECRET).hex()


def run(loader, groups, usernames) -> None:
    """Mark ``groups`` (first run only: later changes in the admin stay) and give every demo
    account that needs a second factor the demo authenticator (unless it has one)."""
    if not TwoFactorPolicy.objects.exists():
        TwoFactorPolicy.load().groups.set(groups)
        loader.note("two-factor policy")
    for user in get_user_model().objects.filter(username__in=usernames).order_by("pk"):
        if services.requires_two_factor(user) and not TOTPDevice.objects.filter(user=user).exists():
            services.demo_device(user, demo_key_hex())
            loader.note(f"demo authenticator for {user.get_username()}")
