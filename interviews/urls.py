"""Non-page URLs of interviews: the polling endpoint and the guest console."""

from django.urls import path

from . import views

app_name = "interviews"

urlpatterns = [
    path("<int:pk>/transcript.json", views.transcript_json, name="transcript"),
    path("<int:pk>/guest/", views.guest_console_account, name="guest_account"),
    path("<int:pk>/guest/answer/", views.guest_answer_account, name="guest_account_answer"),
    path("<int:pk>/guest/<str:token>/", views.guest_console_token, name="guest_token"),
    path("<int:pk>/guest/<str:token>/answer/", views.guest_answer_token, name="guest_token_answer"),
]
