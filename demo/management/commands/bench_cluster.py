"""A province on one install (``make bench`` with ``BENCH_SITES``; issue #27).

Measures the portal with the demo cluster as it is, then opens ``--cities`` city sites and
``--counties`` county sites (spread over the cities) through 站点开通 itself
(``cluster.services.open_site``, the "city" and "county" site templates), gives each new site
``--articles`` articles, and measures again, printing both columns side by side:

- per page type (home, column, article, guide index) on the main site, a city and a county:
  queries and the median of ``--repeat`` uncached renders (page cache off, site data warm);
- the admin for the main site's administrator and for a county editor: page explorer,
  dashboard, 来信办理, the 栏目更新监测, link and search reports (time and queries);
- cluster-wide and site search (p95), ``sitemap.xml`` (the index) and its first file;
- the worker's resident memory after serving every site's home page once;
- what a publish on a county site, an image save and a snippet save purge, and the first
  uncached request after each;
- the time 站点开通 takes for one county site (median).

With ``--pages``, ``--guides`` and ``--letters`` (``scripts/bench`` passes 200,000, 20,000 and
100,000) the opened cluster is then filled to a province's size in bulk (``demo/bulk.py``:
generated articles and policy documents over every site's columns, service guides under each
site's 办事指南, letters in its mailboxes, all indexed for search), once: a second run finds
them there. Each stage's time is printed, and the search rows are measured for a few more
words (发票, 个人所得税, 退税, 社保费, 增值税).

Opening is idempotent: the sites (``bench-city-N``, ``bench-county-N`` under ``.localhost``)
are kept, so a second run measures at once; its first column then comes from ``--baseline``,
figures that ``--save`` measured on a database holding the demo only (``scripts/bench`` does
both, in the same run). In-process, with Django's test client: the
figures are per render, not under load. Run it on a scratch database only.
"""

from __future__ import annotations

import gc
import json
import os
import re
import statistics
import time
from contextlib import contextmanager

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice
from wagtail.models import Page, Site

from cluster.models import SiteTemplate
from cluster.services import SiteSpec, open_site
from correspondence.models import Letter
from demo import bulk
from demo.planner import refresh_statistics
from editorial.roles import site_group
from faq.models import FAQ
from guides.models import ServiceGuidePage, Theme
from home.models import ArticlePage, ColumnPage
from interviews.models import Guest
from portal import pagecache
from portal.models import PortalImage

PURGE_ACTIONS = (
    "publish (county article)",
    "image save",
    "snippet save (主题分类)",
    "snippet publish (常见问题)",
    "snippet save (访谈嘉宾)",
)
PAGE_TYPES = [("home", ""), ("column", "gzdt/"), ("article", None), ("guide index", "nsfw/bszn/")]
ADMIN_VIEWS = [
    ("page explorer", "/admin/pages/{root}/"),
    ("dashboard", "/admin/"),
    ("来信办理", "/admin/letters/"),
    ("栏目更新监测", "/admin/reports/stale-columns/"),
    ("link report", "/admin/reports/broken-links/"),
    ("search report", "/admin/reports/search-terms/"),
]


def rss_mb() -> float:
    with open(f"/proc/{os.getpid()}/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1e6


def timed(client: Client, path: str, repeat: int) -> tuple[float, float, int] | None:
    """(median ms, p95 ms, queries) of ``repeat`` requests after a warm-up one; None when the
    view is not open to this user (a report of another role)."""
    response = client.get(path)
    if response.status_code in (302, 403):
        return None
    if response.status_code != 200:
        raise CommandError(f"{client.defaults.get('HTTP_HOST')}{path}: {response.status_code}")
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        client.get(path)
        times.append((time.perf_counter() - start) * 1000)
    with CaptureQueriesContext(connection) as captured:
        client.get(path)
    times.sort()
    return statistics.median(times), times[min(len(times) - 1, int(len(times) * 0.95))], len(captured)


def staff(username: str, host: str) -> Client:
    """A signed-in client, second factor included (as after /admin/2fa/)."""
    client = Client(HTTP_HOST=host)
    user = get_user_model().objects.get(username=username)
    client.force_login(user)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


@contextmanager
def counted_purges():
    """The version keys a block bumps: ('all',) or site ids."""
    bumped = []
    original = pagecache._bump

    def bump(key):
        bumped.append(key)
        original(key)

    pagecache._bump = bump
    try:
        yield bumped
    finally:
        pagecache._bump = original


class Command(BaseCommand):
    help = "Measure the portal at the demo's size and at a province's (1 + cities + counties sites)."

    def add_arguments(self, parser):
        parser.add_argument("--cities", type=int, default=16)
        parser.add_argument("--counties", type=int, default=120)
        parser.add_argument("--articles", type=int, default=10, help="articles given to each opened site")
        parser.add_argument("--pages", type=int, default=0, help="pages in all after the bulk build (0: none)")
        parser.add_argument("--guides", type=int, default=0, help="service guides in all after the bulk build")
        parser.add_argument("--letters", type=int, default=0, help="letters in all after the bulk build")
        parser.add_argument("--repeat", type=int, default=15)
        parser.add_argument("--save", metavar="FILE", help="only measure this database as it is, into FILE (JSON)")
        parser.add_argument(
            "--baseline", metavar="FILE", help="the first column from FILE (--save on a database of the demo only)"
        )

    def handle(self, *args, cities, counties, articles, repeat, save=None, baseline=None, **options):
        pages, guides, letters = options.get("pages", 0), options.get("guides", 0), options.get("letters", 0)
        self.repeat = repeat
        main = Site.objects.filter(is_default_site=True).first()
        county = Site.objects.filter(hostname="linjiang.localhost").first()
        if main is None or county is None:
            raise CommandError("Run `manage.py load_demo` on this database first.")
        self.port = main.port
        self.editor = self.county_editor(county)
        self.articles(county, articles)  # the demo's county site starts empty
        if baseline:
            with open(baseline) as file:
                before = {
                    key: tuple(value) if isinstance(value, list) else value for key, value in json.load(file).items()
                }
        else:
            with override_settings(PAGE_CACHE_SECONDS=0, SEARCH_RATE_LIMIT=10**9):
                before = self.measure(main, county)
        if save:
            with open(save, "w") as file:
                json.dump(before, file, ensure_ascii=False, indent=1)
            self.stdout.write(f"{before['sites']} sites measured: {save}")
            return
        opening = self.open_sites(main, cities, counties, articles)
        if pages or guides or letters:
            self.bulk(pages, guides, letters)
        # one address searching hundreds of times: the per-address limit (search/views.py) is lifted
        with override_settings(PAGE_CACHE_SECONDS=0, SEARCH_RATE_LIMIT=10**9):
            after = self.measure(main, county)
            words = self.search_words() if pages else []
        with override_settings(PAGE_CACHE_SECONDS=300):
            after.update(self.purges(county))
        self.report(before, after, opening)
        for line in words:
            self.stdout.write(line)

    # ---- the province ------------------------------------------------------------------
    def open_sites(self, main: Site, cities: int, counties: int, articles: int) -> list[float]:
        city_template = SiteTemplate.objects.get(key="city")
        county_template = SiteTemplate.objects.get(key="county")
        opened_times = []
        city_sites = []
        started = time.perf_counter()
        for number in range(1, cities + 1):
            opened = open_site(self.spec(f"城{number:02d}市", f"bench-city-{number}", city_template, main, number))
            city_sites.append(opened.site)
            self.articles(opened.site, articles)
        for number in range(1, counties + 1):
            parent = city_sites[(number - 1) % len(city_sites)] if city_sites else main
            start = time.perf_counter()
            opened = open_site(
                self.spec(f"县{number:03d}县", f"bench-county-{number}", county_template, parent, number)
            )
            if opened.done:
                opened_times.append(time.perf_counter() - start)
            self.articles(opened.site, articles)
        total = Site.objects.count()
        self.stdout.write(f"cluster of {total} sites ready in {time.perf_counter() - started:.0f} s")
        return opened_times

    def bulk(self, pages: int, guides: int, letters: int) -> None:
        """Fill the cluster to ``pages`` pages, ``guides`` guides and ``letters`` letters."""
        started = time.perf_counter()
        self.stdout.write(f"bulk build to {pages:,} pages, {guides:,} guides, {letters:,} letters …")
        done = bulk.build(pages=pages, guides=guides, letters=letters, out=self.stdout.write)
        added = done["added"]
        if not any(added.values()):
            self.stdout.write("  the corpus is there already (kept from an earlier run): nothing added")
        else:
            columns, indexes, mailboxes = done["places"]
            self.stdout.write(
                f"  added {added['articles']:,} articles ({columns} columns), {added['guides']:,} guides "
                f"({indexes} guide indexes), {added['letters']:,} letters ({mailboxes} mailboxes) "
                f"in {time.perf_counter() - started:.0f} s"
            )
            times = ", ".join(f"{stage} {seconds:.1f} s" for stage, seconds in done["times"].items())
            self.stdout.write(f"  stages: {times}")
            if added["articles"]:
                shares = ", ".join(
                    f"{term} {done['terms'].get(term, 0) / added['articles']:.0%}" for term in bulk.PROBE_TERMS
                )
                self.stdout.write(f"  articles that contain: {shares}")
        self.stdout.write(
            f"  cluster now: {Page.objects.count():,} pages, {ServiceGuidePage.objects.count():,} guides, "
            f"{Letter.objects.count():,} letters"
        )

    def search_words(self) -> list[str]:
        """p50 / p95 of cluster-wide and site search for each probe word, with its hits."""
        lines = ["", f"{'search (p50 / p95 ms, hits)':<44} {'cluster-wide':>24}   {'site':>24}"]
        visitor = Client(HTTP_HOST=f"localhost:{self.port}")
        for word in bulk.PROBE_TERMS:
            cells = []
            for scope in ("&scope=all", ""):
                path = f"/search/?q={word}{scope}"
                median, p95, _ = timed(visitor, path, self.repeat)
                hits = re.search(r"共找到 (\d+) 条结果", visitor.get(path).content.decode())
                cells.append(f"{median:8.1f} {p95:7.1f} {hits.group(1) if hits else '?':>7}")
            lines.append(f"{word:<44} {cells[0]}   {cells[1]}")
        return lines

    def spec(self, name: str, slug: str, template, parent: Site, number: int) -> SiteSpec:
        level = "C" if slug.startswith("bench-city") else "X"
        return SiteSpec(
            name=f"国家税务总局{name}税务局",
            hostname=f"{slug}.localhost",
            template=template,
            parent=parent,
            organisation_code=f"BENCH{level}{number:05d}",
            site_code=f"bm9{'1' if level == 'C' else '2'}{number:06d}",
            email=f"bgs@{slug}.tax-shili.example",
            address=f"示例省{name}政务路{number}号",
        )

    def articles(self, site: Site, count: int) -> None:
        column = ColumnPage.objects.child_of(site.root_page).filter(slug="gzdt").first()
        if column is None or ArticlePage.objects.child_of(column).count() >= count:
            return
        for number in range(count):
            column.add_child(
                instance=ArticlePage(
                    title=f"{site.site_name}工作动态（{number + 1}）",
                    slug=f"bench-news-{number + 1}",
                    summary="本局召开会议，部署近期纳税服务工作。",
                    body=[("paragraph", "<p>本局召开会议，部署近期纳税服务和便民办税工作。</p>")],
                )
            )

    def county_editor(self, county: Site):
        user, created = get_user_model().objects.get_or_create(username="bench_county_editor")
        if created:
            user.set_unusable_password()
            user.save()
        group = site_group(county, "editor") or Group.objects.get(name__endswith="·编辑")
        user.groups.add(group)
        return user

    # ---- measurements --------------------------------------------------------------------
    def measure(self, main: Site, county: Site) -> dict:
        refresh_statistics()
        results = {"sites": Site.objects.count()}
        city = Site.objects.get(hostname="jia.localhost")
        for label, site in (("main", main), ("city", city), ("county", county)):
            client = Client(HTTP_HOST=f"{site.hostname}:{site.port}")
            for page_type, path in PAGE_TYPES:
                if path is None:
                    column = ColumnPage.objects.descendant_of(site.root_page).filter(slug="gzdt").first()
                    article = ArticlePage.objects.live().descendant_of(column).order_by("path").first()
                    path = article.url_path[len(site.root_page.url_path) :]
                results[f"{label} {page_type}"] = timed(client, "/" + path, self.repeat)
        admin = staff("sheng_admin", f"localhost:{self.port}")
        editor = staff(self.editor.username, f"linjiang.localhost:{self.port}")
        for who, client, root in (
            ("main admin", admin, main.root_page_id),
            ("county editor", editor, county.root_page_id),
        ):
            for label, path in ADMIN_VIEWS:
                results[f"{who}: {label}"] = timed(client, path.format(root=root), max(3, self.repeat // 3))
        visitor = Client(HTTP_HOST=f"localhost:{self.port}")
        results["search, cluster-wide"] = timed(visitor, "/search/?q=发票&scope=all", self.repeat)
        results["search, site"] = timed(visitor, "/search/?q=发票", self.repeat)
        results["sitemap.xml"] = timed(visitor, "/sitemap.xml", max(3, self.repeat // 3))  # the index
        results["sitemap file (first 1,000 pages)"] = timed(visitor, "/sitemap-pages.xml", max(3, self.repeat // 3))
        gc.collect()
        before = rss_mb()
        for site in Site.objects.all():
            Client(HTTP_HOST=f"{site.hostname}:{site.port}").get("/")
        gc.collect()
        results["memory"] = (before, rss_mb())
        return results

    def purges(self, county: Site) -> dict:
        results = {}
        visitor = Client(HTTP_HOST=f"linjiang.localhost:{self.port}")
        article = ArticlePage.objects.live().descendant_of(county.root_page).first()
        image = PortalImage.objects.exclude(title__startswith="党政机关").order_by("pk").first()
        theme = Theme.objects.order_by("pk").first()
        faq = FAQ.objects.filter(live=True).order_by("pk").first()
        guest = Guest.objects.filter(interview_links__isnull=False).order_by("pk").first()
        actions = [
            ("publish (county article)", lambda: article.save_revision().publish() if article else None),
            ("image save", lambda: image.save()),
            ("snippet save (主题分类)", lambda: theme.save()),
            ("snippet publish (常见问题)", lambda: faq.save_revision().publish()),
            ("snippet save (访谈嘉宾)", lambda: guest.save()),
        ]
        for label, action in actions:
            visitor.get("/")
            with counted_purges() as bumped:
                action()
            keys = set(bumped)
            sites = Site.objects.count() if pagecache.GLOBAL_VERSION in keys else len(keys)
            start = time.perf_counter()
            visitor.get("/")
            results[label] = (sites, (time.perf_counter() - start) * 1000)
        return results

    # ---- the table -----------------------------------------------------------------------
    def report(self, before: dict, after: dict, opening: list[float]) -> None:
        out = self.stdout.write
        out(f"\n{'':44} {before['sites']:>4} sites {'':14} {after['sites']:>4} sites")
        out(f"{'':44} {'p50 ms':>8} {'p95':>7} {'queries':>7}   {'p50 ms':>8} {'p95':>7} {'queries':>7}")
        for key, value in before.items():
            if key not in ("sites", "memory"):
                out(f"{key:<44} {_cells(value)}   {_cells(after[key])}")
        (b0, b1), (a0, a1) = before["memory"], after["memory"]
        memory = "memory after every home page (MB)"
        out(f"{memory:<44} {b1:8.0f} {'':15}   {a1:8.0f}   (before serving: {b0:.0f} → {a0:.0f})")
        for label in PURGE_ACTIONS:
            sites, first = after[label]
            out(f"{label:<44} purges {sites} site(s) of {after['sites']}; next request {first:.1f} ms")
        if opening:
            median = statistics.median(opening)
            out(f"站点开通 of one county site: median {median:.1f} s ({len(opening)} opened this run)")
        else:
            out("站点开通: every site was open already (kept from an earlier run)")


def _cells(value) -> str:
    if value is None:
        return f"{'(not open to this user)':>24}"
    return f"{value[0]:8.1f} {value[1]:7.1f} {value[2]:7d}"
