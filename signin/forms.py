"""The admin login form with the wider throttles (``throttle.py``), and the forms of the
second factor (a TOTP code from an authenticator app, or a recovery code)."""

from __future__ import annotations

from axes.handlers.proxy import AxesProxyHandler
from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms.auth import LoginForm

from portal.captcha import PortalCaptchaField

from . import throttle


class ThrottledLoginForm(LoginForm):
    """Wagtail's login form (``WAGTAILADMIN_USER_LOGIN_FORM``). Past the captcha threshold of
    the account or the address, the captcha is checked before the password; a post refused here
    never reaches authentication, so axes counts nothing for it."""

    error_messages = {
        **LoginForm.error_messages,
        "captcha": _("这个账户或您的网络地址登录失败次数较多，请先输入验证码再登录。"),
        "locked": _("这个账户或您的网络地址登录失败次数过多，已被暂时锁定；请稍后再试，或在以前登录过的浏览器上登录。"),
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.throttle = None
        if request is not None and request.method == "POST":
            username = (self.data.get("username") or "").strip()
            self.throttle = throttle.login_throttle(request, username)
            if self.throttle.state != throttle.OPEN:
                self.fields["captcha"] = PortalCaptchaField()
        elif request is not None and throttle.address_needs_captcha(request):
            self.fields["captcha"] = PortalCaptchaField()

    @property
    def locked(self) -> bool:
        return self.throttle is not None and self.throttle.state == throttle.LOCKED

    def clean(self):
        username = (self.data.get("username") or "").strip()
        held = self.throttle is not None and self.throttle.state != throttle.OPEN and username
        if held and AxesProxyHandler.is_locked(self.request, {"username": username}):
            # axes' own lock of this username at this address answers first (its 429 page).
            return super().clean()
        if self.locked:
            raise forms.ValidationError(self.error_messages["locked"], code="locked")
        if "captcha" in self.fields and "captcha" in self._errors:
            # The password is not checked (and no failure counted) without the right captcha.
            raise forms.ValidationError(self.error_messages["captcha"], code="captcha")
        return super().clean()


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("动态验证码"),
        help_text=_("打开身份验证器应用，输入其中显示的 6 位数字。"),
        max_length=6,
        min_length=6,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": ""}),
    )

    def clean_code(self):
        code = self.cleaned_data["code"].strip()
        if not code.isdigit():
            raise forms.ValidationError(_("验证码是 6 位数字。"))
        return code


class VerifyForm(forms.Form):
    code = forms.CharField(
        label=_("动态验证码或恢复码"),
        help_text=_("输入身份验证器应用中显示的 6 位数字；手机不在身边时，可输入一个恢复码（每个只能用一次）。"),
        max_length=16,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": ""}),
    )

    def clean_code(self):
        return "".join(self.cleaned_data["code"].split()).lower()
