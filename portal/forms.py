"""What every form the public can post to shares: a honeypot field, a minimum fill time,
the captcha, and checks that reject unreadable bytes and markup in free text.

The error summary at the top of a form (templates/portal/includes/error_summary.html)
links each message to its field."""

import re
import time

from django import forms
from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from portal.captcha import PortalCaptchaField

_MARKUP = re.compile(r"<\s*[a-zA-Z/!?]|javascript\s*:", re.IGNORECASE)
_SIGNER_SALT = "portal.forms.started"


def validate_plain_text(value: str) -> None:
    """Free text is plain text: no undecodable bytes (shown as U+FFFD after decoding),
    no control characters, no HTML tags."""
    if "\ufffd" in value:
        raise ValidationError(_("内容中有无法识别的字符，请检查输入法或编码后重新填写。"), code="encoding")
    if any(ord(char) < 32 and char not in "\n\r\t" for char in value):
        raise ValidationError(_("内容中有无法显示的控制字符，请删除后重新提交。"), code="control")
    if _MARKUP.search(value):
        raise ValidationError(_("内容中不能包含网页代码（如以“<”开头的标签），请改用文字描述。"), code="markup")


class PlainCharField(forms.CharField):
    default_validators = [validate_plain_text]


class ErrorSummaryMixin:
    """``error_summary()`` for templates/portal/includes/error_summary.html: (anchor id,
    message) for every error; form-wide errors point at the summary itself."""

    SUMMARY_ID = "form-errors"

    def error_summary(self) -> list[tuple[str, str]]:
        items = [(self.SUMMARY_ID, str(message)) for message in self.non_field_errors()]
        for name, errors in self.errors.items():
            if name == "__all__":
                continue
            field = self[name]
            anchor = field.field.widget.id_for_label(field.auto_id) or field.auto_id
            items += [(anchor, f"{field.label}：{message}") for message in errors]
        return items


class PublicForm(ErrorSummaryMixin, forms.Form):
    """Base form for public submissions: honeypot + minimum fill time + captcha.

    ``website`` is hidden from people (and from assistive technology) but filled by bots;
    ``started`` is a signed timestamp of when the form was shown."""

    website = forms.CharField(label=_("网址（请留空）"), required=False)
    started = forms.CharField(widget=forms.HiddenInput, required=False)
    captcha = PortalCaptchaField()

    spam_message = _("提交未成功，请刷新页面后重新填写。")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.error_messages.update(self.plain_messages(field))
        self.fields["website"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})
        if not self.is_bound:
            self.initial["started"] = signing.TimestampSigner(salt=_SIGNER_SALT).sign(str(time.time()))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("website"):
            raise ValidationError(self.spam_message, code="honeypot")
        try:
            started = float(
                signing.TimestampSigner(salt=_SIGNER_SALT).unsign(cleaned.get("started") or "", max_age=24 * 3600)
            )
        except (signing.BadSignature, ValueError):
            raise ValidationError(_("页面已过期，请重新填写并提交。"), code="expired") from None
        if time.time() - started < settings.FORM_MIN_FILL_SECONDS:
            raise ValidationError(_("提交过快，请检查填写内容后再次提交。"), code="too_fast")
        return cleaned

    @staticmethod
    def plain_messages(field) -> dict:
        """Error messages in plain words (Django's stock Chinese ones read like code)."""
        choice = isinstance(field, forms.ChoiceField)
        return {
            "required": _("请选择一项。") if choice else _("此项必填，请填写。"),
            "max_length": _("最多 %(limit_value)d 个字，现在是 %(show_value)d 个字。"),
            "min_length": _("至少 %(limit_value)d 个字，现在只有 %(show_value)d 个字。"),
            "invalid_choice": _("请从列表中选择。"),
            **(
                {"invalid": _("请填写正确的电子邮箱地址，例如 name@example.com。")}
                if isinstance(field, forms.EmailField)
                else {}
            ),
        }

    def fresh_copy(self):
        """An unbound form holding what the visitor typed (to show a new captcha without
        losing their text and without showing errors)."""
        keep = {name: self.data.get(name) for name in self.fields if name not in ("captcha", "started", "website")}
        return type(self)(initial={k: v for k, v in keep.items() if v is not None}, **self.copy_kwargs())

    def copy_kwargs(self) -> dict:
        return {}


def require_valid(form: forms.Form) -> None:
    """For staff actions that answer with messages rather than a re-rendered form: raise
    one ``ValidationError`` listing every problem, each prefixed with its field's label."""
    if form.is_valid():
        return
    problems = []
    for name, errors in form.errors.items():
        label = "" if name == "__all__" else f"{form[name].label}："
        problems += [f"{label}{error}" for error in errors]
    raise ValidationError(problems)
