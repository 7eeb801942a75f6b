from django import forms
from django.contrib.auth.models import Group
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting


@register_setting(icon="key")
class TwoFactorPolicy(BaseGenericSetting):
    """设置 → 双因素认证: the groups whose members must sign in with a second factor, besides
    every superuser (who always must). One for the whole cluster."""

    groups = models.ManyToManyField(
        Group,
        blank=True,
        related_name="+",
        verbose_name=_("须使用双因素认证的用户组"),
        help_text=_("这些用户组的成员登录后台时，除密码外还须输入身份验证器应用中的动态验证码。超级管理员总是需要。"),
    )

    panels = [FieldPanel("groups", widget=forms.CheckboxSelectMultiple)]

    class Meta:
        verbose_name = _("双因素认证")
