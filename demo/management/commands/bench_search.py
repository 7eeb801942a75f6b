"""Search latency on the demo content and on a generated corpus (``make bench``).

Runs a fixed list of 50 citizen queries (the first 50 of ``tests/data/search_queries.json``)
through the whole results view (segmentation, synonyms, ranking, type counts, snippets,
template), prints the median and 95th percentile, then adds generated articles until the
main site holds ``--pages`` pages and measures again. The generated articles are built
from sentences of the demo content, so their words are real. Run it on a scratch
database: ``make bench`` uses ``.bench/search.sqlite3`` (and ``portal_bench`` on
PostgreSQL when ``BENCH_POSTGRES_URL`` answers).
"""

from __future__ import annotations

import json
import random
import re
import statistics
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test import Client
from django.test.utils import override_settings
from wagtail.models import Page, Site

from home.models import ArticlePage, ColumnPage
from search.index import searchable_text

QUERIES = Path(settings.BASE_DIR) / "tests" / "data" / "search_queries.json"
CORPUS_SLUG = "bench-corpus"
SENTENCE = re.compile(r"[^。！？\n]{8,80}[。！？]")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


class Command(BaseCommand):
    help = "Print median and p95 search latency on the demo content and on a generated corpus."

    def add_arguments(self, parser):
        parser.add_argument("--pages", type=int, default=10_000, help="pages on the main site for the second run")
        parser.add_argument("--queries", type=int, default=50)
        parser.add_argument("--rounds", type=int, default=3, help="times each query is run (after one warm-up)")

    def handle(self, *args, pages, queries, rounds, **options):
        site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
        if site is None:
            raise CommandError("No demo site: run `manage.py load_demo` on this database first.")
        words = [case["query"] for case in json.loads(QUERIES.read_text(encoding="utf-8"))][:queries]
        engine = f"{connection.vendor}, {settings.WAGTAILSEARCH_BACKENDS['default']['BACKEND'].rsplit('.', 1)[-1]}"
        self.stdout.write(f"Search latency over {len(words)} queries × {rounds} rounds ({engine})")
        self.measure(site, words, rounds)
        added = self.generate(site, pages)
        if added is not None:
            self.measure(site, words, rounds)

    def main_site_pages(self, site) -> int:
        return Page.objects.descendant_of(site.root_page, inclusive=True).count()

    def measure(self, site, words: list[str], rounds: int) -> None:
        client = Client(HTTP_HOST=f"{site.hostname}:{site.port}")
        timings = []
        # one address asking hundreds of times: the per-address limit (search/views.py) is lifted
        with override_settings(DEBUG=False, SEARCH_RATE_LIMIT=10**9):
            for query in words:
                client.get("/search/", {"q": query})  # warm-up (jieba's dictionary, caches)
                for _ in range(rounds):
                    start = time.perf_counter()
                    response = client.get("/search/", {"q": query})
                    timings.append((time.perf_counter() - start) * 1000)
                    if response.status_code != 200:
                        raise CommandError(f"/search/?q={query} answered {response.status_code}")
        self.stdout.write(
            f"  {self.main_site_pages(site):>6} pages: median {statistics.median(timings):6.1f} ms, "
            f"p95 {percentile(timings, 0.95):6.1f} ms, max {max(timings):6.1f} ms ({len(timings)} searches)"
        )

    def generate(self, site, target: int) -> int | None:
        """Add articles under a hidden column until the main site holds ``target`` pages."""
        missing = target - self.main_site_pages(site)
        if missing <= 0:
            return None
        sentences = sorted(
            {
                sentence
                for page in Page.objects.live().specific().iterator()
                for sentence in SENTENCE.findall(searchable_text(page))
            }
        )
        if len(sentences) < 20:
            raise CommandError("Too little demo text to build a corpus from.")
        rng = random.Random(2026)
        column = ColumnPage.objects.child_of(site.root_page).filter(slug=CORPUS_SLUG).first()
        if column is None:
            column = site.root_page.add_child(
                instance=ColumnPage(title="基准测试语料", slug=CORPUS_SLUG, show_in_menus=False)
            )
        self.stdout.write(f"  generating {missing} articles from {len(sentences)} demo sentences…")
        started = time.perf_counter()
        for number in range(missing):
            body = rng.sample(sentences, rng.randint(4, 12))
            title = body[0][:30].rstrip("，。；：") + f"（{number + 1}）"
            with transaction.atomic():
                column.add_child(
                    instance=ArticlePage(
                        title=title,
                        slug=f"bench-{number + 1}",
                        summary=body[1][:200],
                        body=[("paragraph", "".join(f"<p>{s}</p>" for s in body[2:]))],
                    )
                )
        self.stdout.write(f"  generated in {time.perf_counter() - started:.0f} s")
        return missing
