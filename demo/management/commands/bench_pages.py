"""The pages ``make bench`` measures under gunicorn, with their cost per uncached render.

``manage.py bench_pages --queries-json`` prints the number of pages and a JSON list: for each main page type (home,
a column, an article, the service-guide index, a guide, a policy document, the form library,
an archived interview, a city site's home page, the English home page; with ``--cluster``: the
home, a column, an article and a guide on the main site, 甲市 and the county 临江县, as
``BENCH_SITES`` measures them at the demo's size and at a province's) its ``Host`` header,
path, database queries of one uncached render (Django's test client, after one warm-up
request, with the page cache off) and response size in bytes. ``scripts/bench_pages.py``
reads it and points wrk at each page. Run it with the same settings as the server.
"""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from wagtail.models import Page, Site

from demo.management.commands.bench_corpus import SLUG_PREFIX
from guides.models import FormLibraryPage, LocalGuidePage, ServiceGuideIndexPage, ServiceGuidePage
from home.models import ArticlePage, ColumnPage, HomePage, PolicyDocumentPage
from interviews.models import InterviewPage, Status


def _chinese(queryset, root):
    return queryset.live().descendant_of(root, inclusive=True).filter(locale__language_code="zh-hans").order_by("path")


def pages() -> list[tuple[str, Site, object]]:
    """(name, site, page) for each page type, chosen the same way on every run."""
    main = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    if main is None:
        raise CommandError("No demo site: run `manage.py load_demo` on this database first.")
    city = Site.objects.exclude(pk=main.pk).select_related("root_page").order_by("hostname").first()
    root = main.root_page
    # The top-level column with the most articles below it (its listing is the longest).
    columns = _chinese(ColumnPage.objects.child_of(root), root)
    column = max(columns, key=lambda c: ArticlePage.objects.descendant_of(c).count())
    demo_articles = _chinese(ArticlePage.objects.exact_type(ArticlePage), root).exclude(slug__startswith=SLUG_PREFIX)
    article = demo_articles.filter(attachments__isnull=False).first() or demo_articles.first()
    interview = next(
        (p for p in _chinese(InterviewPage.objects.all(), root).specific() if p.status() == Status.ENDED), None
    )
    english = HomePage.objects.live().filter(locale__language_code="en").first()
    chosen = [
        ("home", main, root),
        ("column", main, column),
        ("article", main, article),
        ("guide index", main, _chinese(ServiceGuideIndexPage.objects.all(), root).first()),
        ("service guide", main, _chinese(ServiceGuidePage.objects.all(), root).first()),
        ("policy document", main, _chinese(PolicyDocumentPage.objects.all(), root).first()),
        ("form library", main, _chinese(FormLibraryPage.objects.all(), root).first()),
        ("interview archive", main, interview),
        (f"city home ({city.hostname})" if city else "city home", city, city.root_page if city else None),
        ("English home", main, english),
    ]
    return [(name, site, page) for name, site, page in chosen if site is not None and page is not None]


CLUSTER_SITES = [("main", None), ("city", "jia.localhost"), ("county", "linjiang.localhost")]


def cluster_pages() -> list[tuple[str, Site, object]]:
    """Home, the 工作动态 column, its first article and the first guide (a city's or a
    county's own guide, or its local page of a province guide) of each of the three sites."""
    chosen = []
    for label, hostname in CLUSTER_SITES:
        sites = Site.objects.select_related("root_page")
        site = (
            sites.filter(is_default_site=True).first() if hostname is None else sites.filter(hostname=hostname).first()
        )
        if site is None:
            raise CommandError("No demo cluster: run `manage.py load_demo` on this database first.")
        root = site.root_page
        column = _chinese(ColumnPage.objects.filter(slug="gzdt"), root).first()
        guides = [_chinese(model.objects.all(), root).first() for model in (ServiceGuidePage, LocalGuidePage)]
        chosen += [
            (f"{label} home", site, root),
            (f"{label} column", site, column),
            (f"{label} article", site, column and _chinese(ArticlePage.objects.child_of(column), root).first()),
            (f"{label} guide", site, next((guide for guide in guides if guide is not None), None)),
        ]
    return chosen


class Command(BaseCommand):
    help = "Print, as JSON, the benchmarked pages with their queries and size per uncached render."

    def add_arguments(self, parser):
        parser.add_argument("--queries-json", action="store_true", help="print the JSON list (the only output)")
        parser.add_argument("--cluster", action="store_true", help="the pages of a province's three kinds of site")

    def handle(self, *args, queries_json, cluster, **options):
        result = []
        with override_settings(PAGE_CACHE_SECONDS=0):
            for name, site, page in cluster_pages() if cluster else pages():
                if page is None:  # (the demo's county has no guide of its own until bench_cluster adds them)
                    continue
                path = page.get_url_parts()[2]
                # As behind the TLS proxy (production redirects plain HTTP).
                client = Client(HTTP_HOST=site.hostname, HTTP_X_FORWARDED_PROTO="https")
                client.get(path)  # warm-up: Wagtail's site-root cache, template loading
                with CaptureQueriesContext(connection) as captured:
                    response = client.get(path)
                if response.status_code != 200:
                    raise CommandError(f"{site.hostname}{path} answered {response.status_code}")
                result.append(
                    {
                        "page": name,
                        "host": site.hostname,
                        "path": path,
                        "queries": len(captured),
                        "bytes": len(response.content),
                    }
                )
        if queries_json:
            self.stdout.write(
                json.dumps(
                    {"page_count": Page.objects.count(), "site_count": Site.objects.count(), "pages": result},
                    ensure_ascii=False,
                )
            )
        else:
            for row in result:
                self.stdout.write(
                    f"{row['page']:<28} {row['host']}{row['path']}  {row['queries']} queries, {row['bytes']} bytes"
                )
