"""Login throttling beyond django-axes' per-username-and-address lockout.

django-axes (settings ``AXES_*``) locks one username from one address after
``AXES_FAILURE_LIMIT`` failures and keeps every failure in its ``AccessAttempt`` records (in
the database, so all workers and machines agree). It cannot give the wider groupings their own
limits: ``AXES_LOCKOUT_PARAMETERS`` may list ``"username"`` and ``"ip_address"`` as well, but
all parameter sets share the one ``AXES_FAILURE_LIMIT`` and a set that matches is a hard lock,
so an attacker could lock the real editor out from anywhere. The wider limits are read here from
the same records:

- **one account, any address** (``LOGIN_CAPTCHA_AFTER`` failures in ``AXES_COOLOFF_TIME``) and
  **one address, any account** (the same number): the login form asks for a captcha before it
  checks the password. A post without the right captcha is refused before authentication, so it
  counts nowhere: without solving captchas an attacker cannot move any counter further.
- ``LOGIN_LOCK_AFTER`` failures (each past the captcha threshold needed a solved captcha): the
  account, or the address, is locked for new browsers until the failures age out.
- a browser the account has signed in from before carries a signed *device cookie* for that
  account (OWASP's "device cookies"): for that account it is not asked for the captcha and is
  not held by the two wider locks, only by axes' own per-address lock. So whatever an attacker
  does from elsewhere, the editor still signs in from the browser they always use.
"""

from __future__ import annotations

from dataclasses import dataclass

from axes.helpers import get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.core import signing
from django.db.models import Sum
from django.utils import timezone

from portal.ratelimit import LimitUnavailable, RateLimit, client_ip, login_client_ip

DEVICE_COOKIE = "portal_signin_device"
DEVICE_SALT = "signin.device"

OPEN, CAPTCHA, LOCKED = "open", "captcha", "locked"


@dataclass(frozen=True)
class Throttle:
    state: str  # OPEN, CAPTCHA or LOCKED
    account_failures: int
    address_failures: int


def _recent():
    attempts = AccessAttempt.objects.all()
    cool_off = get_cool_off()
    if cool_off is not None:
        attempts = attempts.filter(attempt_time__gte=timezone.now() - cool_off)
    return attempts


def _failures(attempts) -> int:
    return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0


def login_throttle(request, username: str) -> Throttle:
    """What the login form must ask of this request before it checks ``username``'s password."""
    if known_device(request, username):
        return Throttle(OPEN, 0, 0)
    attempts = _recent()
    account = _failures(attempts.filter(username__iexact=username)) if username else 0
    address = login_client_ip(request)
    by_address = _failures(attempts.filter(ip_address=address)) if address else 0
    worst = max(account, by_address)
    if worst >= settings.LOGIN_LOCK_AFTER:
        state = LOCKED
    elif worst >= settings.LOGIN_CAPTCHA_AFTER:
        state = CAPTCHA
    else:
        state = OPEN
    return Throttle(state, account, by_address)


def address_needs_captcha(request) -> bool:
    """Whether to show the captcha on a fresh login form (the username is not known yet)."""
    address = login_client_ip(request)
    return bool(address) and _failures(_recent().filter(ip_address=address)) >= settings.LOGIN_CAPTCHA_AFTER


# ---- device cookies ---------------------------------------------------------------------


def _device_usernames(request) -> list[str]:
    value = request.COOKIES.get(DEVICE_COOKIE)
    if not value:
        return []
    try:
        data = signing.loads(value, salt=DEVICE_SALT, max_age=settings.LOGIN_DEVICE_COOKIE_DAYS * 86400)
    except signing.BadSignature:
        return []
    return [name for name in data.get("u", []) if isinstance(name, str)]


def known_device(request, username: str) -> bool:
    return bool(username) and username.lower() in _device_usernames(request)


def remember_device(request, response, username: str) -> None:
    """After a successful sign-in: this browser is known for ``username`` (up to 5 accounts)."""
    names = [name for name in _device_usernames(request) if name != username.lower()]
    names = [username.lower(), *names][:5]
    response.set_cookie(
        DEVICE_COOKIE,
        signing.dumps({"u": names}, salt=DEVICE_SALT, compress=True),
        max_age=settings.LOGIN_DEVICE_COOKIE_DAYS * 86400,
        path="/admin/",
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


# ---- password reset ---------------------------------------------------------------------

# Sliding one-hour counts in the shared cache: the portal's own rate limit (portal/ratelimit.py).
RESET_BY_ADDRESS = RateLimit("reset-address", "PASSWORD_RESET_LIMIT_PER_ADDRESS", "PASSWORD_RESET_WINDOW")
RESET_BY_EMAIL = RateLimit("reset-email", "PASSWORD_RESET_LIMIT_PER_EMAIL", "PASSWORD_RESET_WINDOW")


def _exceeded(limit: RateLimit, subject: str) -> bool:
    """A count that cannot be read (the cache is down) does not refuse a reset."""
    try:
        return limit.exceeded_for(subject)
    except LimitUnavailable:
        return False


def reset_address_exceeded(request) -> bool:
    return _exceeded(RESET_BY_ADDRESS, client_ip(request))


def reset_requested(request, email: str) -> bool:
    """Count a reset request; whether the mail may go out (``False`` past the per-address or
    per-e-mail limit: the visitor sees the same page either way)."""
    email = email.strip().lower()
    allowed = not _exceeded(RESET_BY_EMAIL, email)
    RESET_BY_ADDRESS.hit(request)
    RESET_BY_EMAIL.hit_for(email)
    return allowed
