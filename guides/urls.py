from django.urls import path

from . import downloads

urlpatterns = [
    path("<int:pk>/<str:which>/", downloads.download, name="form_download"),
]
