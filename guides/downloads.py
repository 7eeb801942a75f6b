"""Form downloads: count, then hand over the file.

The count is incremented in the database (``F("download_count") + 1``), so two downloads
at the same moment both count; nothing reads the old value into Python first."""

from django.db.models import F
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_GET

from .models import FormItem

FILES = {"form": "document", "alt": "alt_document", "sample": "sample"}


def count_download(form_pk: int) -> None:
    FormItem.objects.filter(pk=form_pk).update(download_count=F("download_count") + 1)


@require_GET
def download(request, pk: int, which: str):
    if which not in FILES:
        raise Http404
    form = get_object_or_404(FormItem.objects.select_related(FILES[which]), pk=pk)
    document = getattr(form, FILES[which])
    if document is None:
        raise Http404
    count_download(form.pk)
    return redirect(document.url)
