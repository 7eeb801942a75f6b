"""热门搜索: the popular searches offered on the page of a search that found nothing.

Nobody can write into the list by searching:

1. **Editors' terms first.** *设置 → 热门搜索词* (``PopularSearch``, per language, in their order).
2. **Then, automatically, only what many people searched on several days.** A logged query is
   offered when, in the last ``SEARCH_POPULAR_DAYS`` days, it found something, was searched on
   at least ``SEARCH_POPULAR_MIN_DAYS`` different days and by at least
   ``SEARCH_POPULAR_MIN_VISITORS`` visitors (a visitor counts once per query and day; summed
   over the days), and passes ``personal.publishable`` (no personal data, no run of six
   digits, no e-mail, no web address, no advertisement's contact hint, no letter writer's
   name). One address searching the same thing all day counts once a day; a handful of
   addresses must keep at it for days, and a phone number never passes.
   ``SEARCH_POPULAR_AUTOMATIC = False`` leaves the editors' terms alone on the page.

**Distinct visitors without storing addresses.** :func:`first_search_today` hashes the query
and the visitor's address with a random salt made for the day (BLAKE2b, keyed) and keeps only
that digest, as a cache key that expires with the day; the salt itself expires the day after.
The database keeps the count (``SearchTermDay.visitors``), never an address or a digest; once
the salt is gone, yesterday's digests cannot be tied to an address even by trying them all.
When the cache does not answer, the visitor is not counted (the list then grows more slowly,
it never fills with one address's searches).
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, time, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Q, Sum
from django.utils import timezone
from wagtail.models import Locale

from portal.ratelimit import client_ip

from .models import PopularSearch, SearchTermDay
from .personal import publishable

LIST_LENGTH = 8
CANDIDATES = 50  # automatic candidates checked for personal data, most searched first


def _seconds_left_today() -> int:
    now = timezone.localtime()
    midnight = timezone.make_aware(datetime.combine(now.date() + timedelta(days=1), time.min))
    return max(60, int((midnight - now).total_seconds()) + 60)


def _salt(day: str) -> str | None:
    key = f"search:visitor-salt:{day}"
    cache.add(key, secrets.token_hex(16), 2 * 24 * 3600)
    return cache.get(key)


def first_search_today(request, logged: str) -> bool:
    """True the first time today this visitor searches this query (``logged``: the query as
    the log writes it, ``logged_form``)."""
    day = timezone.localdate().isoformat()
    salt = _salt(day)
    if not salt:
        return False
    digest = hashlib.blake2b(
        f"{logged}\x00{client_ip(request)}".encode(), key=salt.encode(), digest_size=16
    ).hexdigest()
    return bool(cache.add(f"search:seen:{day}:{digest}", 1, _seconds_left_today()))


def curated(locale: Locale | None = None) -> list[str]:
    locale = locale or Locale.get_active()
    return list(PopularSearch.objects.filter(locale=locale).values_list("query", flat=True))


def automatic() -> list[str]:
    """Logged queries that enough visitors searched on enough days, without personal data."""
    if not settings.SEARCH_POPULAR_AUTOMATIC:
        return []
    since = timezone.localdate() - timedelta(days=settings.SEARCH_POPULAR_DAYS - 1)
    rows = (
        SearchTermDay.objects.filter(date__gte=since)
        .values("query")
        .annotate(
            total=Sum("searches"),
            found=Sum("searches") - Sum("empty"),
            visitor_days=Sum("visitors"),
            days=Count("date", filter=Q(visitors__gt=0)),
        )
        .filter(
            found__gt=0,
            visitor_days__gte=settings.SEARCH_POPULAR_MIN_VISITORS,
            days__gte=settings.SEARCH_POPULAR_MIN_DAYS,
        )
        .order_by("-visitor_days", "-total", "query")
        .values_list("query", flat=True)
    )
    return publishable(list(rows[:CANDIDATES]))


def popular_searches(locale: Locale | None = None) -> list[str]:
    """The public list: the editors' terms, then the automatic ones, at most eight."""
    terms = curated(locale)
    terms += [query for query in automatic() if query not in terms]
    return terms[:LIST_LENGTH]
