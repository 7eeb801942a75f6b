"""Non-page URLs of interviews: the polling endpoint and the guest console."""

from django.urls import path

from portal import converters  # noqa: F401 - registers <id:…> (portal/converters.py)

from . import views

app_name = "interviews"

urlpatterns = [
    path("<id:pk>/transcript.json", views.transcript_json, name="transcript"),
    path("<id:pk>/guest/", views.guest_console_account, name="guest_account"),
    path("<id:pk>/guest/answer/", views.guest_answer_account, name="guest_account_answer"),
    path("<id:pk>/guest/<str:token>/", views.guest_console_token, name="guest_token"),
    path("<id:pk>/guest/<str:token>/answer/", views.guest_answer_token, name="guest_token_answer"),
]
