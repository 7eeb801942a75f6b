from django.apps import AppConfig


class SigninConfig(AppConfig):
    """Staff sign-in: login throttling beyond django-axes, password-reset limits and the
    second factor (TOTP, django-otp). Issue #24."""

    name = "signin"
    verbose_name = "后台登录安全"
    default_auto_field = "django.db.models.BigAutoField"
