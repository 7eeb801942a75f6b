"""The follow-up form of "这条回答对您有帮助吗？": the vote, an optional comment for staff, the captcha."""

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.forms import PlainCharField, PublicForm

HELPFUL_CHOICES = [("yes", _("有帮助")), ("no", _("没帮助"))]


class FeedbackForm(PublicForm):
    helpful = forms.ChoiceField(label=_("这条回答对您有帮助吗？"), choices=HELPFUL_CHOICES, widget=forms.RadioSelect)
    comment = PlainCharField(
        label=_("意见或建议"),
        required=False,
        max_length=500,
        help_text=_("选填，500 字以内。只有网站工作人员能看到，不会公开；请勿填写姓名、电话等个人信息。"),
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    field_order = ["helpful", "comment"]
