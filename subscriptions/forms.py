"""The sign-up form for a column's e-mail alerts: an address, consent, the captcha."""

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.forms import PublicForm


class SubscribeForm(PublicForm):
    email = forms.EmailField(
        label=_("电子邮箱"),
        max_length=254,
        help_text=_("我们会向这个地址发送一封确认邮件，点击其中的链接后订阅才生效。"),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    consent = forms.BooleanField(
        label=_("我同意网站保存我的电子邮箱地址，只用于发送本栏目的更新提醒；退订后地址即被删除。"),
    )

    field_order = ["email", "consent"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["consent"].error_messages["required"] = _("请勾选同意后再提交。")
