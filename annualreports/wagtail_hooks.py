"""What the app adds: the records behind each figure of a report (a link on every figure of the
report page's panel)."""

from django.urls import path
from wagtail import hooks

from portal import converters  # noqa: F401 - registers <id:…> (portal/converters.py)

from . import admin_views


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [
        path("annual-reports/<id:page_id>/records/", admin_views.RecordsView.as_view(), name="annualreports_records")
    ]
