"""Included by the root URLconf in the language-aware routes, before Wagtail's pages: a
column's URLs here are ``/feeds/<id>.xml`` and ``/subscribe/<id>/``, its English
version's ``/en/feeds/<id>.xml`` … (Wagtail's page URLs cannot end in ``.xml``, and home's
columns do not route to this app: see ``views.py``)."""

from django.urls import path

from portal import converters  # noqa: F401 - registers <id:…> (portal/converters.py)

from . import views

urlpatterns = [
    path("feeds/<id:pk>.xml", views.column_feed, name="column_feed"),
    path("subscribe/<id:pk>/", views.subscribe, name="subscription_form"),
    path("subscribe/<id:pk>/sent/", views.sent, name="subscription_sent"),
    path("subscribe/confirm/<str:token>/", views.confirm, name="subscription_confirm"),
    path("subscribe/unsubscribe/<str:token>/", views.unsubscribe, name="subscription_unsubscribe"),
]
