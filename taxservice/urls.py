from django.urls import path

from portal import converters  # noqa: F401 - registers <id:…> (portal/converters.py)

from . import views

urlpatterns = [
    path("calendar/<id:pk>.ics", views.filing_calendar_ics, name="filing_calendar_ics"),
]
