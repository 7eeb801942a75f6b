"""Where one uncached render of each benchmarked page spends its time (``make bench``'s pages).

``manage.py profile_pages`` renders each page of ``bench_pages`` with Django's test client and
the page cache off (after a warm-up request, as a worker that has served the site before),
``--repeat`` times (20), and prints per page: the median wall time of a render, its queries
and their time, and a cProfile breakdown by where the time goes — SQL (the database driver),
template rendering, URL building (Wagtail's page URLs and Django's ``reverse``), page
instantiation (model instances built from rows, ``specific``), the rest. ``--page home``
limits it to pages whose name starts with that; ``--top 25`` also prints the functions with
the most cumulative time. ``--cold`` purges the cluster's page cache versions before every
render, so each one also reloads the site data (``portal/sitedata.py``): what the first
visitor after a publish gets. Run it with the server's settings (the bench uses
``portal.settings.production``).
"""

from __future__ import annotations

import cProfile
import pstats
import statistics
import time

from django.core.management.base import BaseCommand
from django.db import connection, reset_queries
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings

from demo.management.commands.bench_pages import pages
from portal import pagecache

# Cumulative time of entry points (file, function) per label. The labels overlap: the
# template render includes the queries, URLs and model instances the templates ask for.
ENTRY_POINTS = {
    "SQL (driver and cursor)": [
        ("django/db/backends/utils.py", "execute"),
        ("django/db/backends/utils.py", "executemany"),
        ("django/db/models/sql/compiler.py", "results_iter"),
    ],
    "page instantiation (rows to models)": [
        ("django/db/models/base.py", "from_db"),
        ("wagtail/models/__init__.py", "specific"),
        ("wagtail/query.py", "_get_specific_items"),
    ],
    "URL building": [
        ("wagtail/models/__init__.py", "get_url_parts"),
        ("wagtail/models/__init__.py", "get_url"),
        ("wagtail/models/__init__.py", "relative_url"),
        ("wagtail/models/__init__.py", "full_url"),
        ("django/urls/base.py", "reverse"),
    ],
    "templates (whole render, incl. the above when called from them)": [
        ("django/template/response.py", "rendered_content"),
    ],
}


def _cumulative(stats: pstats.Stats, file_part: str, name: str) -> float:
    """Cumulative seconds of the outermost calls of functions matching (file, name): calls
    of the same function from inside itself are not counted twice (cProfile's cumulative
    time already excludes recursion)."""
    total = 0.0
    for (filename, _line, function), (_cc, _nc, _tt, ct, callers) in stats.stats.items():
        if function == name and filename.replace("\\", "/").endswith(file_part):
            # Leave out the calls made by a function of the same bucket entry (nested).
            nested = sum(
                caller_ct
                for (cfile, _cl, cfunc), (_a, _b, _c, caller_ct) in callers.items()
                if cfunc == name and cfile.replace("\\", "/").endswith(file_part)
            )
            total += ct - nested
    return total


class Command(BaseCommand):
    help = "Profile one uncached render of each benchmarked page: SQL, templates, URLs, page instantiation."

    def add_arguments(self, parser):
        parser.add_argument("--repeat", type=int, default=20)
        parser.add_argument("--page", default="", help="only pages whose name starts with this")
        parser.add_argument("--top", type=int, default=0, help="also print the N functions with most cumulative time")
        parser.add_argument("--cold", action="store_true", help="purge the site data before every render")

    def handle(self, *args, repeat, page, top, cold, **options):
        def get(client, path):
            if cold:
                pagecache.purge_all()
            return client.get(path)

        with override_settings(PAGE_CACHE_SECONDS=0):
            for name, site, found in pages():
                if not name.startswith(page):
                    continue
                path = found.get_url_parts()[2]
                client = Client(HTTP_HOST=site.hostname, HTTP_X_FORWARDED_PROTO="https")
                client.get(path)
                client.get(path)
                times = []
                for _ in range(repeat):
                    start = time.perf_counter()
                    get(client, path)
                    times.append((time.perf_counter() - start) * 1000)
                with CaptureQueriesContext(connection) as captured:
                    get(client, path)
                queries = captured.captured_queries
                sql_ms = sum(float(q["time"]) for q in queries) * 1000
                reset_queries()
                profiler = cProfile.Profile()
                runs = max(5, repeat // 2)
                profiler.enable()
                for _ in range(runs):
                    get(client, path)
                profiler.disable()
                stats = pstats.Stats(profiler)
                total = stats.total_tt / runs * 1000
                self.stdout.write(
                    f"{name:<28} {site.hostname}{path}\n"
                    f"  render median {statistics.median(times):6.1f} ms (min {min(times):.1f}, {repeat} renders); "
                    f"{len(queries)} queries, {sql_ms:.1f} ms in the database"
                )
                self.stdout.write(f"  under cProfile {total:6.1f} ms a render ({runs} renders), of which:")
                for label, entries in ENTRY_POINTS.items():
                    spent = sum(_cumulative(stats, file_part, func) for file_part, func in entries) / runs * 1000
                    self.stdout.write(f"    {label:<58} {spent:6.1f} ms")
                if top:
                    stats.sort_stats("cumulative").print_stats(top)
