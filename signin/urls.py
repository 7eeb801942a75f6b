"""Mounted in portal/urls.py before Wagtail's admin: its login and password-reset addresses
with the throttled views, and the second step under /admin/2fa/."""

from django.urls import path

from . import views

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="wagtailadmin_login"),
    path("password_reset/", views.PasswordResetView.as_view(), name="wagtailadmin_password_reset"),
    path("2fa/", views.verify, name="signin_verify"),
    path("2fa/setup/", views.setup, name="signin_setup"),
]
