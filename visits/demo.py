"""Demo visits: plausible daily page views and distinct visitors for the demo's sites from
1 January 2025 to yesterday (today is left to the live counter). Generated from a fixed seed
per site, so every load gives the same figures; days that already have a row are left alone,
so loading again adds only the days since the last load."""

from __future__ import annotations

import datetime
import math
import random

from django.utils import timezone

from .models import DailyVisits

FIRST_DAY = datetime.date(2025, 1, 1)
MAIN_SITE_VIEWS = 9_000  # a weekday's views on the provincial site; city sites get a fifth or so
WEEKDAY_SHARE = (1.0, 0.97, 0.95, 0.93, 0.88, 0.42, 0.36)  # Monday … Sunday
HOLIDAYS = {(1, 1), (5, 1), (5, 2), (5, 3), (10, 1), (10, 2), (10, 3), (10, 4), (10, 5)}


def day_views(rng: random.Random, base: float, day: datetime.date) -> int:
    share = WEEKDAY_SHARE[day.weekday()]
    if (day.month, day.day) in HOLIDAYS:
        share *= 0.3
    if day.day <= 15:  # 征期: the filing period in the first half of every month
        share *= 1.25
    if day.month in (3, 4, 5, 6):  # 个人所得税综合所得汇算清缴
        share *= 1.35
    growth = 1 + 0.12 * (day - FIRST_DAY).days / 365
    season = 1 + 0.05 * math.sin(day.timetuple().tm_yday / 58)
    return max(1, round(base * share * growth * season * rng.uniform(0.85, 1.15)))


class VisitsLoader:
    def __init__(self, loader=None):
        self.loader = loader

    def run(self, sites) -> int:
        yesterday = timezone.localdate() - datetime.timedelta(days=1)
        created = 0
        for number, site in enumerate(sites):
            base = MAIN_SITE_VIEWS if site.is_default_site else MAIN_SITE_VIEWS * (0.22 - 0.04 * number)
            rng = random.Random(f"visits-demo-{site.hostname}")
            have = set(DailyVisits.objects.filter(site=site, day__gte=FIRST_DAY).values_list("day", flat=True))
            rows = []
            day = FIRST_DAY
            while day <= yesterday:
                views = day_views(rng, base, day)  # drawn for every day: the same figures whatever exists
                visitors = round(views / rng.uniform(2.6, 3.4))
                if day not in have:
                    rows.append(DailyVisits(site=site, day=day, views=views, visitors=visitors))
                day += datetime.timedelta(days=1)
            DailyVisits.objects.bulk_create(rows, batch_size=500, ignore_conflicts=True)
            created += len(rows)
        if self.loader is not None and created:
            self.loader.note(f"{created} days of demo visits")
        return created
