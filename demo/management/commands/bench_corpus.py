"""Generated articles spread over the columns of every site (``make bench``, page serving).

Adds ``--pages`` articles, numbered ``bench-1`` … ``bench-N``, to the Chinese article
columns of all the sites of the cluster in turn (article *n* always goes to the same column),
so the main site and each city site get long column listings. Re-running adds only the
numbers still missing, so it is cheap on a scratch database that already holds them. The
text is built from sentences of the demo content (as in ``bench_search``), the dates spread
over the last five years. Run it on a scratch database only.
"""

from __future__ import annotations

import random
import time
from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from wagtail.models import Page, Site

from demo.management.commands.bench_search import SENTENCE
from demo.planner import refresh_statistics
from home.models import ArticlePage, ColumnPage
from search.index import searchable_text

SLUG_PREFIX = "bench-"
BATCH = 200


def article_columns() -> list:
    """Columns whose children are plain articles, on every site, in a stable order."""
    columns = []
    for site in Site.objects.select_related("root_page").order_by("-is_default_site", "hostname"):
        candidates = (
            ColumnPage.objects.live()
            .descendant_of(site.root_page)
            .filter(locale__language_code="zh-hans")
            .exclude(slug__startswith=SLUG_PREFIX)
            .order_by("path")
        )
        for column in candidates:
            children = Page.objects.child_of(column)
            if children.type(ArticlePage).exists() and not children.not_exact_type(ArticlePage, ColumnPage).exists():
                columns.append(column)
    return columns


class Command(BaseCommand):
    help = "Add generated articles to the article columns of every site until --pages exist."

    def add_arguments(self, parser):
        parser.add_argument("--pages", type=int, default=10_000, help="generated articles in all (default 10,000)")

    def handle(self, *args, pages, **options):
        columns = article_columns()
        if not columns:
            raise CommandError("No article columns: run `manage.py load_demo` on this database first.")
        present = set(Page.objects.filter(slug__startswith=SLUG_PREFIX).values_list("slug", flat=True))
        missing = [n for n in range(1, pages + 1) if f"{SLUG_PREFIX}{n}" not in present]
        sites = {column.get_site().hostname for column in columns}
        if not missing:
            self.stdout.write(
                f"corpus ready: {pages} generated articles in {len(columns)} columns of {len(sites)} sites"
            )
            return
        sentences = sorted(
            {
                sentence
                for page in Page.objects.live().specific().exclude(slug__startswith=SLUG_PREFIX).iterator()
                for sentence in SENTENCE.findall(searchable_text(page))
            }
        )
        if len(sentences) < 20:
            raise CommandError("Too little demo text to build a corpus from.")
        self.stdout.write(
            f"generating {len(missing)} articles in {len(columns)} columns of {len(sites)} sites "
            f"({', '.join(sorted(sites))})…"
        )
        now = timezone.now()
        started = time.perf_counter()
        for start in range(0, len(missing), BATCH):
            with transaction.atomic():
                for number in missing[start : start + BATCH]:
                    rng = random.Random(number)  # the same text for the same number on every run
                    body = rng.sample(sentences, rng.randint(4, 12))
                    columns[number % len(columns)].add_child(
                        instance=ArticlePage(
                            title=body[0][:30].rstrip("，。；：") + f"（{number}）",
                            slug=f"{SLUG_PREFIX}{number}",
                            date=now - timedelta(minutes=rng.randint(60, 5 * 365 * 24 * 60)),
                            summary=body[1][:200],
                            body=[("paragraph", "".join(f"<p>{s}</p>" for s in body[2:]))],
                        )
                    )
        self.stdout.write(f"generated in {time.perf_counter() - started:.0f} s")
        if refresh_statistics():
            self.stdout.write("statistics refreshed (ANALYZE)")
