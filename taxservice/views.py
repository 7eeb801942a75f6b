"""The filing calendar's iCalendar feed (``/taxservice/calendar/<id>.ics``).

Wagtail's page URLs cannot end in ``.ics``, so the feed has a URL of its own; the calendar
page links it twice: as ``webcal://`` (calendar apps subscribe and refresh daily) and as a
plain download."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from wagtail.models import Site

from portal.addresses import site_authority

from . import ical
from .models import FilingCalendarPage

FEED_MAX_AGE = 3600  # calendar apps poll; an hour's staleness after an edit is acceptable


def ics_url(page) -> str:
    return reverse("filing_calendar_ics", args=[page.pk])


def webcal_url(request, page) -> str:
    """The feed for calendar apps, at the site's configured address (the page is cached for
    everyone: never the Host header)."""
    return f"webcal://{site_authority(request)}{ics_url(page)}"


def _event(deadline, hostname: str, page_url: str) -> dict:
    description = [_("申报纳税种类：%(types)s") % {"types": "、".join(deadline.tax_type_list)}]
    if deadline.note:
        description.append(_("顺延说明：%(note)s") % {"note": deadline.note})
    description.append(_("详见：%(url)s") % {"url": page_url})
    return {
        "uid": f"filing-deadline-{deadline.translation_key}@{hostname}",
        "date": deadline.date,
        "summary": _("征期截止：%(title)s") % {"title": deadline.display_title},
        "description": "\n".join(description),
        "url": page_url,
    }


def filing_calendar_ics(request, pk: int):
    page = get_object_or_404(FilingCalendarPage.objects.live().select_related("locale"), pk=pk)
    if page.get_view_restrictions().exists():
        raise Http404
    site = page.get_site() or Site.find_for_request(request)
    hostname = site.hostname if site else "localhost"
    page_url = page.get_full_url(request)
    with translation.override(page.locale.language_code):
        name = f"{site.site_name if site and site.site_name else ''} {page.title}".strip()
        events = [_event(d, hostname, page_url) for d in page.deadlines.order_by("date", "sort_order")]
        body = ical.calendar(name, events, stamp=page.last_published_at or timezone.now())
    response = HttpResponse(body.encode("utf-8"), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="filing-calendar.ics"'
    patch_cache_control(response, public=True, max_age=FEED_MAX_AGE)
    return response
