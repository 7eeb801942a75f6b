from django.urls import path

from portal import converters  # noqa: F401 - registers <id:…> (portal/converters.py)

from . import downloads

urlpatterns = [
    path("<id:pk>/<str:which>/", downloads.download, name="form_download"),
]
