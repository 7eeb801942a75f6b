"""The captcha every public form uses: four digits shown as an image, with a Mandarin
audio alternative (WCAG 1.1.1) when espeak-ng is installed, and a way to get a new
challenge that works without JavaScript."""

import secrets

from captcha.fields import CaptchaField, CaptchaTextInput
from django.utils.translation import gettext_lazy as _


def digit_challenge() -> tuple[str, str]:
    """simple-captcha challenge function: (text shown, expected answer)."""
    digits = "".join(secrets.choice("0123456789") for _ in range(4))
    return digits, digits


class AccessibleCaptchaInput(CaptchaTextInput):
    template_name = "portal/widgets/captcha.html"


class PortalCaptchaField(CaptchaField):
    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("验证码"))
        kwargs.setdefault("help_text", _("请输入图片中的 4 位数字；看不清可收听语音验证码，或换一个。"))
        kwargs.setdefault("error_messages", {"invalid": _("验证码不正确或已过期，请重新输入新的验证码。")})
        kwargs["widget"] = AccessibleCaptchaInput(
            attrs={
                "autocomplete": "off",
                "inputmode": "numeric",
                "maxlength": "4",
                # A multi-part widget gets no automatic aria-describedby: tie hint and error here.
                "aria-describedby": "id_captcha_helptext id_captcha_error",
            }
        )
        super().__init__(**kwargs)
