from django.urls import path

from . import views

urlpatterns = [
    path("calendar/<int:pk>.ics", views.filing_calendar_ics, name="filing_calendar_ics"),
]
