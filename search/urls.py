from django.urls import path

from . import views

# Included without a namespace under the language prefix (portal/urls.py): {% url "search" %}.
urlpatterns = [
    path("", views.search, name="search"),
    path("suggest/", views.suggest, name="search_suggest"),
]
