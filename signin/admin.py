"""django-otp registers its devices in Django's admin (/django-admin/), where a superuser could
read any user's TOTP secret as a QR code and a crafted id past 2⁶³ answers 500. Staff enrol,
and superusers reset, second factors in Wagtail's admin only (signin/views.py): take the
devices out of Django's admin."""

from django.contrib import admin

# Imported first so their registrations have happened (this app comes before them in
# INSTALLED_APPS, and the admin's autodiscovery imports admin modules in that order).
from django_otp.plugins.otp_static import admin as static_admin  # noqa: F401
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp import admin as totp_admin  # noqa: F401
from django_otp.plugins.otp_totp.models import TOTPDevice

for model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(model):
        admin.site.unregister(model)
