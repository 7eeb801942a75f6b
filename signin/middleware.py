"""Staff who must use a second factor (``services.requires_two_factor``) and have only given
their password are held at the second step: every admin address (``/admin/``, ``/django-admin/``)
sends them to it (to enrolment if they have no authenticator yet), and everywhere else they are
anonymous (private pages, documents), until the session is verified. After
``django_otp.middleware.OTPMiddleware``."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth.models import AnonymousUser
from django.shortcuts import redirect
from django.urls import reverse

from .services import confirmed_device, requires_two_factor

ADMIN_PREFIXES = ("/admin/", "/django-admin/")


def _open_paths() -> tuple[str, ...]:
    return (
        reverse("wagtailadmin_login"),
        reverse("wagtailadmin_logout"),
        reverse("signin_verify"),
        reverse("signin_setup"),
    )


class TwoFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not user.is_verified() and requires_two_factor(user):
            path = request.path_info
            if path.startswith(ADMIN_PREFIXES):
                if path not in _open_paths():
                    target = "signin_verify" if confirmed_device(user) else "signin_setup"
                    url = reverse(target)
                    if request.method == "GET":
                        url += "?" + urlencode({"next": request.get_full_path()})
                    return redirect(url)
            else:
                request.user = AnonymousUser()
        return self.get_response(request)
