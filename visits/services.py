"""Writes of visit figures: :func:`flush` moves the counters in the cache into ``DailyVisits``
(``manage.py flush_visits``, every five minutes from cron; the staff report flushes too).

**Nothing lost, nothing counted twice.** Views are *taken* from the cache atomically (Redis:
``GETSET key 0``; other caches: subtract what was read, under a flush lock), so views pushed
while a flush runs stay in the cache for the next one, and two flushers (two machines' cron,
cron and a staff member opening the report) never take the same view. What was taken is added
to the day's row with an ``F()`` increment in one transaction (the row created first when it
is missing, a concurrent creation caught); if that write fails, the views are put back in the
cache. The one window left is a flusher killed between its take and its commit: those views are
lost (never doubled). Visitors are not added up: the row keeps the larger of what it holds and
the day's sketch estimate, so flushing again changes nothing.

The counters of the last ``counter.KEEP_SECONDS`` (three days) are looked at, so a flush must
run at least once a day; every five minutes keeps the report close to live.
"""

from __future__ import annotations

import datetime
import logging
import secrets
import time
from dataclasses import dataclass

from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import F
from django.db.models.functions import Greatest, Least
from django.utils import timezone
from wagtail.models import Site

from portal.cache import CacheUnavailable, strict

from . import counter
from .models import DailyVisits

logger = logging.getLogger(__name__)

LOCK_KEY = "visits:flush-lock"
LOCK_SECONDS = 300
DAYS = 3  # today and the two days before: the counters' lifetime


@dataclass
class Flushed:
    views: int = 0
    rows: int = 0
    skipped: bool = False  # another flush held the lock


def _add(site_id: int, day: datetime.date, views: int, visitors: int) -> None:
    """Add ``views`` to the day's row and raise its visitors to at least ``visitors``."""
    rows = DailyVisits.objects.filter(site_id=site_id, day=day)
    # An estimate is never taken above the day's views (a sketch can overshoot a small count).
    changes = {"views": F("views") + views, "visitors": Greatest(F("visitors"), Least(visitors, F("views") + views))}
    with transaction.atomic():
        if rows.update(**changes) or not views:
            return
        try:
            with transaction.atomic():
                DailyVisits.objects.create(site_id=site_id, day=day, views=views, visitors=min(visitors, views))
        except IntegrityError:  # another flusher created it meanwhile
            rows.update(**changes)


def flush(wait: float = 10.0) -> Flushed:
    """Push this process's own tally, then move every site's counted views and visitor
    estimates of the last three days from the cache into ``DailyVisits``. Waits up to ``wait``
    seconds for another flush to finish (then reports ``skipped``)."""
    counter.push()
    result = Flushed()
    store = strict(cache)
    token = secrets.token_hex(8)
    deadline = time.monotonic() + wait
    try:
        while not store.add(LOCK_KEY, token, LOCK_SECONDS):
            if time.monotonic() >= deadline:
                result.skipped = True
                return result
            time.sleep(0.1)
    except CacheUnavailable:
        logger.warning("visits not flushed: the cache does not answer")
        result.skipped = True
        return result
    try:
        _flush(result)
    finally:
        try:
            if store.get(LOCK_KEY) == token:
                store.delete(LOCK_KEY)
        except CacheUnavailable:
            pass  # it expires
    return result


def _flush(result: Flushed) -> None:
    today = timezone.localdate()
    days = [today - datetime.timedelta(days=n) for n in range(DAYS)]
    site_ids = list(Site.objects.values_list("pk", flat=True))
    pairs = [(site_id, day) for day in days for site_id in site_ids]
    backend = counter.store()
    visitors = backend.count_visitors([counter.visitors_key(*pair) for pair in pairs])
    taken = backend.take_views([counter.views_key(*pair) for pair in pairs])
    waiting = [pair for pair in pairs if counter.views_key(*pair) in taken or counter.visitors_key(*pair) in visitors]
    for number, (site_id, day) in enumerate(waiting):
        views = taken.get(counter.views_key(site_id, day), 0)
        try:
            _add(site_id, day, views, visitors.get(counter.visitors_key(site_id, day), 0))
        except Exception:
            for site_id, day in waiting[number:]:  # this row and the ones not written yet
                views = taken.get(counter.views_key(site_id, day), 0)
                if views:
                    backend.give_back(counter.views_key(site_id, day), views)
            raise
        result.views += views
        result.rows += 1
