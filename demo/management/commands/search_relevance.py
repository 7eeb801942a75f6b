"""Top-1, top-3 and MRR of the relevance set (``tests/data/search_queries*.json``) on this database.

Run on a database with the demo loaded (``manage.py load_demo``)::

    manage.py search_relevance            # the measures, then each query whose page is not in the top three
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client
from wagtail.models import Site

from search.relevance import load_cases, measure


class Command(BaseCommand):
    help = "Measure search relevance (top-1, top-3, MRR) over the relevance set."

    def add_arguments(self, parser):
        parser.add_argument("--quiet", action="store_true", help="the measures only, not the misses")

    def handle(self, *args, quiet, **options):
        site = Site.objects.filter(is_default_site=True).first()
        if site is None:
            raise CommandError("No demo site: run `manage.py load_demo` on this database first.")
        cases = load_cases(Path(settings.BASE_DIR) / "tests" / "data")
        result = measure(Client(HTTP_HOST=f"{site.hostname}:{site.port}"), cases)
        self.stdout.write(f"{connection.vendor}: {result.line()}")
        if not quiet:
            for case, links in result.misses:
                self.stdout.write(f"  miss {case['query']!r} → want {case['expected']}; got {links[:3]}")
