"""The public's question form, the guest's answer form and the host console's forms."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.forms import ErrorSummaryMixin, PlainCharField, PublicForm
from portal.uploads import safe_name, sniff

from .queries import guests_of

MAX_IMAGE_BYTES = 5 * 1024 * 1024


class QuestionForm(PublicForm):
    name = PlainCharField(
        label=_("网名"),
        max_length=20,
        required=False,
        help_text=_("将随问题公开显示；不填则显示为“网友”。请勿填写真实姓名、电话等个人信息。"),
        widget=forms.TextInput(attrs={"autocomplete": "nickname"}),
    )
    content = PlainCharField(
        label=_("您的问题"),
        min_length=10,
        max_length=500,
        help_text=_("10 至 500 字。问题经主持人审核后才会显示。"),
        widget=forms.Textarea(attrs={"rows": 6}),
    )


class GuestAnswerForm(ErrorSummaryMixin, forms.Form):
    text = PlainCharField(label=_("回答"), max_length=5000, widget=forms.Textarea(attrs={"rows": 5}))


class HostEntryForm(forms.Form):
    text = PlainCharField(
        label=_("主持人发言"), max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    image = forms.FileField(label=_("图片（JPG 或 PNG，5 MB 以内）"), required=False)
    image_alt = forms.CharField(label=_("图片替代文字"), max_length=200, required=False)

    def clean_image(self):
        upload = self.cleaned_data.get("image")
        if not upload:
            return None
        content_type = sniff(upload)
        if upload.size > MAX_IMAGE_BYTES or content_type not in ("image/jpeg", "image/png"):
            raise forms.ValidationError(_("请上传 5 MB 以内的 JPG 或 PNG 图片。"))
        upload.name = safe_name(upload.name, content_type)  # stored publicly under /media/
        return upload

    def clean(self):
        cleaned = super().clean()
        if not (cleaned.get("text") or "").strip() and not cleaned.get("image"):
            raise forms.ValidationError(_("请填写发言内容或上传图片。"))
        if cleaned.get("image") and not (cleaned.get("image_alt") or "").strip():
            self.add_error("image_alt", _("请为图片填写替代文字。"))
        return cleaned


class CorrectionForm(forms.Form):
    text = PlainCharField(label=_("更正后的内容"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))


class GuestChoiceForm(forms.Form):
    guest = forms.ModelChoiceField(label=_("嘉宾"), queryset=None, required=False, empty_label=_("不指定"))

    def __init__(self, *args, interview=None, required=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["guest"].queryset = guests_of(interview)
        self.fields["guest"].required = required
        if required:
            self.fields["guest"].empty_label = _("请选择嘉宾")


class InviteForm(GuestChoiceForm):
    hours = forms.IntegerField(
        label=_("有效时长（小时）"), min_value=1, max_value=24 * 14, initial=48, help_text=_("从现在起计算。")
    )


class WrittenReplyForm(GuestChoiceForm):
    text = PlainCharField(label=_("书面答复"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4}))
