"""The admin's sign-in with the wider throttles, the password reset with limits, and the
second step: enrolment of an authenticator, the code at each sign-in, and a superuser's reset
of someone's second factor."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from wagtail.admin.views import account

from . import services, throttle
from .forms import CodeForm, VerifyForm


class LoginView(account.LoginView):
    """Wagtail's admin login: a locked account or address answers 429, and a successful
    sign-in marks the browser as known for the account (``throttle.remember_device``)."""

    def form_invalid(self, form):
        response = super().form_invalid(form)
        if getattr(form, "locked", False):
            response.status_code = 429
        return response

    def form_valid(self, form):
        response = super().form_valid(form)
        throttle.remember_device(self.request, response, form.get_user().get_username())
        return response


class PasswordResetView(account.PasswordResetView):
    """Wagtail's password reset, limited per address (a 429 page, which says nothing about any
    account) and per e-mail address (past the limit no mail goes out, and the page is the same
    "sent if the address is known" page as always)."""

    def post(self, request, *args, **kwargs):
        if throttle.reset_address_exceeded(request):
            return throttle.RESET_BY_ADDRESS.refuse(request, _("从您的网络地址申请重置密码的次数过多，请稍后再试。"))
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        if throttle.reset_requested(self.request, form.cleaned_data["email"]):
            return super().form_valid(form)
        return HttpResponseRedirect(self.get_success_url())


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return target
    return reverse("wagtailadmin_home")


def _page(request, template, context, status=200):
    response = TemplateResponse(request, template, {"next": _next_url(request), **context}, status=status)
    add_never_cache_headers(response)  # the QR code and the recovery codes are secrets
    return response


def _signed_in_needing_second_step(request):
    user = request.user
    if not user.is_authenticated:
        return redirect(reverse("wagtailadmin_login"))
    return None


@require_http_methods(["GET", "POST"])
def verify(request):
    """The code at sign-in (or a recovery code)."""
    refused = _signed_in_needing_second_step(request)
    if refused:
        return refused
    if request.user.is_verified():
        return redirect(_next_url(request))
    if services.confirmed_device(request.user) is None:
        return redirect(reverse("signin_setup"))
    form = VerifyForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            if services.verify(request, form.cleaned_data["code"]):
                return redirect(_next_url(request))
        else:
            services.record_failure(request, request.user, during="sign-in")
        form.add_error(
            "code" if not form.errors else None,
            _("验证码不正确。请输入应用中当前显示的验证码；连续输错后须等待片刻才能再试。"),
        )
        status = 400
    return _page(request, "signin/verify.html", {"form": form}, status)


@require_http_methods(["GET", "POST"])
def setup(request):
    """Enrolment: the QR code (and the key to type in), then a code from the app to confirm;
    the recovery codes are shown once."""
    refused = _signed_in_needing_second_step(request)
    if refused:
        return refused
    user = request.user
    if services.confirmed_device(user) is not None:
        # Enrolled already: a second enrolment only after a superuser's reset.
        return redirect(reverse("signin_verify") + ("?next=" + request.GET["next"] if "next" in request.GET else ""))
    device = services.pending_device(user)
    form = CodeForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            codes = services.enrol(request, device, form.cleaned_data["code"])
            if codes is not None:
                return _page(request, "signin/recovery_codes.html", {"codes": codes})
            form.add_error("code", _("验证码不正确。请确认手机时间准确，并输入应用中当前显示的验证码。"))
        else:
            services.record_failure(request, user, during="enrolment")
        status = 400
    context = {
        "form": form,
        "qr_svg": services.qr_svg(device),
        "secret": services.secret_text(device),
        "required": services.requires_two_factor(user),
    }
    return _page(request, "signin/setup.html", context, status)


@require_http_methods(["GET", "POST"])
def reset(request, user_id: int):
    """A superuser removes a user's second factor (after a confirmation)."""
    if not (request.user.is_authenticated and request.user.is_superuser):
        raise PermissionDenied
    target = get_object_or_404(get_user_model(), pk=user_id)
    if request.method == "POST":
        services.reset(target, request.user)
        message = _("已重置 %(user)s 的双因素认证，其下次登录时须重新绑定身份验证器。")
        messages.success(request, message % {"user": target.get_username()})
        return redirect(reverse("wagtailusers_users:edit", args=[target.pk]))
    context = {"target": target, "enrolled": services.confirmed_device(target) is not None}
    return _page(request, "signin/reset.html", context)
