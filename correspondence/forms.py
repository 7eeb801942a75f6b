"""The letter form, the lookup form, and the staff action forms."""

from __future__ import annotations

import re

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from portal.forms import PlainCharField, PublicForm
from portal.permissions import staff_of
from portal.uploads import safe_name, sniff

from .models import LetterDepartment

PHONE = re.compile(r"^[0-9+\-() ]{5,20}$")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(item, initial) for item in data if item]
        return [super().clean(data, initial)] if data else []


def check_attachments(files) -> list:
    """Uploaded attachments as (file, content type), refused whole with the reason when there
    are too many, one is too big or is not the PDF, JPG or PNG its bytes must show. Each keeps a
    name of our making: the writer's "passwd.html" becomes "passwd.pdf", the extension of what
    its bytes are (as interview images). Letters and 依申请公开 applications use it."""
    if len(files) > settings.LETTER_ATTACHMENT_MAX_FILES:
        raise ValidationError(
            _("最多上传 %(n)d 个附件。") % {"n": settings.LETTER_ATTACHMENT_MAX_FILES}, code="too_many"
        )
    checked = []
    for upload in files:
        if upload.size > settings.LETTER_ATTACHMENT_MAX_BYTES:
            raise ValidationError(_("“%(name)s”超过 5 MB。") % {"name": upload.name}, code="too_big")
        content_type = sniff(upload)
        if content_type is None:
            raise ValidationError(_("“%(name)s”不是有效的 PDF、JPG 或 PNG 文件。") % {"name": upload.name}, code="type")
        upload.name = safe_name(upload.name, content_type)
        checked.append((upload, content_type))
    return checked


class LetterForm(PublicForm):
    name = PlainCharField(label=_("姓名"), max_length=50, widget=forms.TextInput(attrs={"autocomplete": "name"}))
    phone = forms.CharField(
        label=_("联系电话"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    email = forms.EmailField(
        label=_("电子邮箱"),
        required=False,
        max_length=254,
        help_text=_("电话和邮箱至少填写一项。填写邮箱可收到受理与答复通知。"),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    category = forms.ChoiceField(label=_("来信类别"))
    subject = PlainCharField(label=_("标题"), min_length=4, max_length=100)
    content = PlainCharField(
        label=_("内容"),
        min_length=10,
        max_length=5000,
        help_text=_("10 至 5000 字。请写明时间、地点、事情经过和您的诉求。"),
        widget=forms.Textarea(attrs={"rows": 10}),
    )
    attachments = MultipleFileField(
        label=_("附件"),
        required=False,
        help_text=_("可选。最多 3 个文件，每个不超过 5 MB，只接受 PDF、JPG、PNG。"),
    )
    consent_publish = forms.BooleanField(
        label=_("同意在隐去个人信息后公开本信件及答复"),
        required=False,
    )

    field_order = ["name", "phone", "email", "category", "subject", "content", "attachments", "consent_publish"]

    def __init__(self, *args, mailbox=None, **kwargs):
        self.mailbox = mailbox
        super().__init__(*args, **kwargs)
        categories = mailbox.category_names if mailbox else []
        self.fields["category"].choices = [("", _("请选择"))] + [(name, name) for name in categories]
        if mailbox is not None and not mailbox.accepts_attachments:
            del self.fields["attachments"]

    def copy_kwargs(self) -> dict:
        return {"mailbox": self.mailbox}

    def clean_phone(self):
        phone = self.cleaned_data["phone"].strip()
        if phone and not PHONE.match(phone):
            raise ValidationError(_("请填写正确的电话号码，只能包含数字、空格和 + - ( )。"))
        return phone

    def clean_attachments(self):
        return check_attachments(self.cleaned_data.get("attachments") or [])

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("phone") and not cleaned.get("email") and "phone" not in self.errors:
            self.add_error("phone", _("电话和邮箱至少填写一项，以便我们联系您。"))
        return cleaned


class LookupForm(PublicForm):
    """信件查询: the code and password given when the letter was sent, and the captcha."""

    code = forms.CharField(
        label=_("查询码"), max_length=20, widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"})
    )
    password = forms.CharField(
        label=_("密码"), max_length=20, widget=forms.PasswordInput(attrs={"autocomplete": "off"})
    )


# ---- staff ------------------------------------------------------------------------------
class AssignForm(forms.Form):
    department = forms.ModelChoiceField(label=_("承办部门"), queryset=LetterDepartment.objects.none(), required=False)
    assignee = forms.ModelChoiceField(label=_("承办人"), queryset=None, required=False)
    note = forms.CharField(label=_("说明"), required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, letter, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = LetterDepartment.objects.filter(site_id=letter.site_id)
        self.fields["assignee"].queryset = staff_of(letter.mailbox)

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("department") and not cleaned.get("assignee"):
            raise ValidationError(_("请选择承办部门或承办人。"))
        return cleaned


class ReasonForm(forms.Form):
    text = forms.CharField(label=_("理由"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class ReplyForm(forms.Form):
    text = forms.CharField(label=_("答复内容"), max_length=10000, widget=forms.Textarea(attrs={"rows": 10}))
