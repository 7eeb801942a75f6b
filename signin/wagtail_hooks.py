"""The second factor in the admin: the superuser's reset (a button on each user in
设置 → 用户), and its log actions (报告 → 站点历史)."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.widgets.button import ListingButton
from wagtail.log_actions import LogFormatter

from . import services, views


@hooks.register("register_admin_urls")
def register_reset_url():
    return [path("2fa/reset/<int:user_id>/", views.reset, name="signin_reset")]


@hooks.register("register_user_listing_buttons")
def reset_button(user, request_user):
    if request_user.is_superuser:
        yield ListingButton(
            _("重置双因素认证"),
            url=reverse("signin_reset", args=[user.pk]),
            icon_name="key",
            priority=60,
        )


class TwoFactorFormatter(LogFormatter):
    def format_message(self, log_entry):
        data = log_entry.data or {}
        extra = []
        if data.get("ip_address"):
            extra.append(str(_("网络地址 %(ip)s")) % {"ip": data["ip_address"]})
        if "left" in data:
            extra.append(str(_("剩余 %(left)s 个恢复码")) % {"left": data["left"]})
        text = f"{self.label}：{data.get('username', '')}"
        return f"{text}（{'，'.join(extra)}）" if extra else text


@hooks.register("register_log_actions")
def register_two_factor_actions(actions):
    for action, label in (
        (services.ENROLLED, _("绑定双因素认证")),
        (services.RESET, _("重置双因素认证")),
        (services.FAILED, _("双因素验证码错误")),
        (services.RECOVERY_USED, _("使用恢复码登录")),
    ):
        actions.register_action(action)(type("TwoFactorFormatter", (TwoFactorFormatter,), {"label": label}))
