"""The annual reports at a bureau's size (``make bench`` with ``BENCH_REPORTS=1``; issue #23).

Opens one site, ``bench-reports.localhost``, through 站点开通 (the city template, under the main
site) and fills it, with bulk inserts, until it holds ``--applications`` 政府信息公开申请 over
``--year`` − 1 and ``--year`` (a mix of applicant types, outcomes and reasons, a few still open,
about 3 % taken to 行政复议 or 行政诉讼) and ``--items`` disclosed items: live articles and policy
documents (规章, 行政规范性文件 and other documents, some repealed or expired) in its 信息公开目录
column, each with its 信息索引. Everything is kept: a second run tops up what is missing (by
number: ``BR…`` codes, ``bench-item-N`` slugs) and measures at once.

Then it times each report of ``REPORTS`` for that site and ``--year`` (``--repeat`` runs after
a warm-up: median, max and queries), and, for the 政府信息公开工作年度报告, the report page (one
``DisclosureReportPage``, made once; its figures refreshed each run), its XLSX and PDF and an
uncached render of the page. It prints a table and writes it, with the machine and database,
to ``--json`` (``.bench/reports.json``, one entry per database vendor).

The bulk-built pages skip what Wagtail does per page (revisions, the search index, signals):
the reports read the page tables only. Run it on a scratch database with the demo loaded.
"""

from __future__ import annotations

import json
import os
import platform
import random
import statistics
import time
import unicodedata
import uuid
from datetime import date, datetime, timedelta
from datetime import time as clock
from pathlib import Path

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, models, transaction
from django.db.models import F
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.utils import timezone
from wagtail.models import Page, Site

from annualreports import exports, figures, website
from annualreports.models import DisclosureReportPage
from cluster.models import SiteTemplate
from cluster.services import SiteSpec, open_site
from demo.planner import refresh_statistics
from disclosure.models import CatalogueEntry, Genre
from home.models import ArticlePage, ColumnPage, PolicyDocumentPage
from inforequests.models import ApplicantType, Application, ApplicationPage, Delivery, IdType, Review
from inforequests.outcomes import REASONS, Outcome

# One entry per report: the name printed and its computation, called as compute(site, year).
REPORTS = {
    "政府信息公开工作年度报告": figures.compute,
    "政府网站工作年度报表": website.compute,
}

HOSTNAME = "bench-reports.localhost"
ORGANISATION = "BENCHR00001"
CODE_PREFIX = "BR"  # BR00000001 …: the bench applications (real codes start GK)
SLUG_PREFIX = "bench-item-"
BATCH = 500
JSON_PATH = Path(settings.BASE_DIR) / ".bench" / "reports.json"

APPLICANTS = [  # (type, weight): mostly people, then companies and law firms
    (ApplicantType.PERSON, 70),
    (ApplicantType.COMMERCIAL, 17),
    (ApplicantType.RESEARCH, 2),
    (ApplicantType.NONPROFIT, 2),
    (ApplicantType.LEGAL_SERVICE, 6),
    (ApplicantType.OTHER_ORG, 3),
]
OUTCOMES = [
    (Outcome.DISCLOSED, 45),
    (Outcome.PARTIAL, 10),
    (Outcome.WITHHELD, 8),
    (Outcome.UNAVAILABLE, 20),
    (Outcome.NOT_PROCESSED, 10),
    (Outcome.OTHER, 7),
]
POLICY_KINDS = [
    (PolicyDocumentPage.Kind.RULES, 10),
    (PolicyDocumentPage.Kind.NORMATIVE, 50),
    (PolicyDocumentPage.Kind.OTHER, 40),
]
TOPICS = ("增值税留抵退税", "个人所得税汇算", "发票开具", "社会保险费缴纳", "出口退税", "税收优惠备案", "纳税信用评价")


def pad(text: str, width: int) -> str:
    """``text`` padded to ``width`` columns of a terminal, where a Chinese character takes two."""
    used = sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)
    return text + " " * max(0, width - used)


def pick(rng: random.Random, weighted: list[tuple]) -> object:
    return rng.choices([value for value, _w in weighted], [w for _v, w in weighted])[0]


def bulk_add_children(parent: Page, pages: list[Page]) -> None:
    """Insert ``pages`` (specific pages, all of one type, not saved) as the last children of
    ``parent``, table by table with one INSERT per batch, as Django's save() would write them
    row by row: the tree's paths and the parent's ``numchild`` stay valid. No revision, search
    index entry or signal: callers fill ``live``, dates and the rest themselves."""
    if not pages:
        return
    model = type(pages[0])
    chain = [*reversed(model._meta.get_parent_list()), model]  # Page first
    parent = Page.objects.get(pk=parent.pk)  # fresh numchild
    last = Page.objects.child_of(parent).order_by("-path").values_list("path", flat=True).first()
    step = int(last[-Page.steplen :], 36) if last else 0
    content_type = ContentType.objects.get_for_model(model)
    for page in pages:
        step += 1
        page.path = Page._get_path(parent.path, parent.depth + 1, step)
        page.depth = parent.depth + 1
        page.numchild = 0
        page.url_path = f"{parent.url_path}{page.slug}/"
        page.content_type = content_type
        page.locale_id = parent.locale_id
        page.draft_title = page.title
    for base in chain:
        fields = [f for f in base._meta.local_concrete_fields if not isinstance(f, models.AutoField)]
        if base is Page:
            returned = Page._base_manager._insert(pages, fields=fields, returning_fields=[Page._meta.pk])
            for page, (pk,) in zip(pages, returned, strict=True):
                page.id = pk
                for later in chain[1:]:
                    for link in later._meta.parents.values():
                        setattr(page, link.attname, pk)
        else:
            base._base_manager._insert(pages, fields=fields)
    Page.objects.filter(pk=parent.pk).update(numchild=F("numchild") + len(pages))


class Command(BaseCommand):
    help = "Time the annual reports of a site with many applications and disclosed items."

    def add_arguments(self, parser):
        parser.add_argument("--applications", type=int, default=10_000, help="applications in all (default 10,000)")
        parser.add_argument("--items", type=int, default=20_000, help="disclosed items in all (default 20,000)")
        parser.add_argument("--year", type=int, default=2025, help="the report's year (default 2025)")
        parser.add_argument("--repeat", type=int, default=5, help="timed runs of each step, after a warm-up")
        parser.add_argument("--json", dest="json_path", default=str(JSON_PATH), help="figures to (.bench/reports.json)")

    def handle(self, *args, applications, items, year, repeat, json_path, **options):
        main = Site.objects.filter(is_default_site=True).first()
        template = SiteTemplate.objects.filter(key="city").first()
        if main is None or template is None:
            raise CommandError("No demo cluster here: run `manage.py load_demo` on a scratch database first.")
        self.year, self.repeat = year, max(1, repeat)
        started = time.perf_counter()
        site = open_site(
            SiteSpec(
                name="国家税务总局基准市税务局",
                hostname=HOSTNAME,
                template=template,
                parent=main,
                organisation_code=ORGANISATION,
                site_code="bm9300000001",
                email="bgs@bench-reports.tax-shili.example",
                address="示例省基准市政务路1号",
            )
        ).site
        site = Site.objects.select_related("root_page").get(pk=site.pk)
        xxgk = ColumnPage.objects.child_of(site.root_page).get(slug="xxgk")
        column = ColumnPage.objects.child_of(xxgk).get(slug="xxgkml")
        form = ApplicationPage.objects.descendant_of(site.root_page).get()
        added_items = self.items(site, column, items)
        added_applications, added_reviews = self.applications(site, form, applications)
        build = time.perf_counter() - started
        if added_items or added_applications:
            refresh_statistics()
        counts = {
            "applications": Application.objects.filter(site=site).count(),
            "reviews": Review.objects.filter(application__site=site).count(),
            "items": CatalogueEntry.objects.filter(site=site).count(),
            "policies": PolicyDocumentPage.objects.live().descendant_of(site.root_page).count(),
        }
        self.stdout.write(
            f"{HOSTNAME}: {counts['applications']:,} applications ({added_applications:,} added), "
            f"{counts['reviews']:,} reviews ({added_reviews:,} added), {counts['items']:,} disclosed items "
            f"({added_items:,} added; {counts['policies']:,} policy documents) — ready in {build:.0f} s"
        )
        rows = self.measure(site, column)
        self.report(site, counts, build, rows, json_path)

    # ---- the records -------------------------------------------------------------------
    def items(self, site: Site, column: ColumnPage, target: int) -> int:
        present = set(Page.objects.child_of(column).filter(slug__startswith=SLUG_PREFIX).values_list("slug", flat=True))
        missing = [n for n in range(1, target + 1) if f"{SLUG_PREFIX}{n}" not in present]
        for start in range(0, len(missing), BATCH):
            policies, articles = [], []
            for number in missing[start : start + BATCH]:
                page = self.item(number)
                (policies if isinstance(page, PolicyDocumentPage) else articles).append(page)
            with transaction.atomic():
                for pages in (policies, articles):
                    bulk_add_children(column, pages)
                CatalogueEntry.objects.bulk_create([self.entry(site, page) for page in policies + articles])
        return len(missing)

    def item(self, number: int) -> ArticlePage:
        """Item ``number``: two in five are policy documents; dates over the seven years to ``--year``."""
        rng = random.Random(number)
        published = timezone.make_aware(
            datetime.combine(date(self.year - 6, 1, 1) + timedelta(days=rng.randrange(7 * 365)), clock(9, 30))
        )
        topic = rng.choice(TOPICS)
        fields = {
            "slug": f"{SLUG_PREFIX}{number}",
            "date": published,
            "live": True,
            "has_unpublished_changes": False,
            "first_published_at": published,
            "last_published_at": published,
            "summary": f"关于{topic}有关事项的说明。",
            "body": [("paragraph", f"<p>现将{topic}有关事项公告如下。</p>")],
            "translation_key": uuid.uuid4(),
        }
        if number % 5 >= 2:
            return ArticlePage(title=f"{topic}工作情况通报（{number}）", **fields)
        kind = pick(rng, POLICY_KINDS)
        written = timezone.localdate(published) - timedelta(days=rng.randrange(15))
        repealed, validity = None, PolicyDocumentPage.Validity.VALID
        share = rng.random()
        if share < 0.12:  # repealed on a day after it was issued, up to the report's year end
            last = date(self.year, 12, 31)
            repealed = min(last, written + timedelta(days=rng.randrange(60, 5 * 365)))
            validity = PolicyDocumentPage.Validity.EXPIRED
        elif share < 0.14:  # marked 失效 without a date
            validity = PolicyDocumentPage.Validity.EXPIRED
        return PolicyDocumentPage(
            title=f"国家税务总局基准市税务局关于{topic}有关事项的公告（{number}）",
            issuing_body="国家税务总局基准市税务局",
            document_number=f"基税发〔{written.year}〕{number}号",
            written_date=written,
            kind=kind,
            validity=validity,
            repealed_on=repealed,
            **fields,
        )

    def entry(self, site: Site, page: ArticlePage) -> CatalogueEntry:
        published = timezone.localdate(page.date)
        policy = isinstance(page, PolicyDocumentPage)
        return CatalogueEntry(
            site=site,
            page_id=page.pk,
            translation_key=page.translation_key,
            index_number=f"{ORGANISATION}/{published.year}-{page.slug.removeprefix(SLUG_PREFIX)}",
            year=published.year,
            genre=Genre.ANNOUNCEMENT if policy else Genre.BULLETIN,
            organisation="国家税务总局基准市税务局",
            document_number=page.document_number if policy else "",
            written_date=page.written_date if policy else None,
            published_date=published,
            validity=page.validity if policy else "",
        )

    def applications(self, site: Site, form: ApplicationPage, target: int) -> tuple[int, int]:
        present = set(
            Application.objects.filter(site=site, code__startswith=CODE_PREFIX).values_list("code", flat=True)
        )
        missing = [n for n in range(1, target + 1) if f"{CODE_PREFIX}{n:08d}" not in present]
        password = make_password("bench-reports")  # one hash for all: hashing 10,000 takes minutes
        reviews = 0
        for start in range(0, len(missing), BATCH):
            with transaction.atomic():
                made = Application.objects.bulk_create(
                    [self.application(site, form, n, password) for n in missing[start : start + BATCH]]
                )
                found = [review for application in made if (review := self.review(application))]
                Review.objects.bulk_create(found)
                reviews += len(found)
        return len(missing), reviews

    def application(self, site: Site, form: ApplicationPage, number: int, password: str) -> Application:
        """Application ``number``: received over two years; some still open, mostly from December."""
        rng = random.Random(-number)
        first = date(self.year - 1, 1, 1)
        received = first + timedelta(days=rng.randrange((date(self.year, 12, 31) - first).days + 1))
        applicant = pick(rng, APPLICANTS)
        person = applicant == ApplicantType.PERSON
        still_open = rng.random() < (0.4 if received.month == 12 and received.year == self.year else 0.01)
        fields = {}
        if not still_open:
            outcome = pick(rng, OUTCOMES)
            reasons = REASONS[outcome]
            fields = {
                "status": Application.Status.DECIDED,
                "outcome": outcome,
                "reason": rng.choice(reasons) if reasons else "",
                "decided_on": received + timedelta(days=rng.randint(3, 40)),
                "decision_text": "经审查，现答复如下。",
            }
        else:
            fields = {"status": rng.choice([Application.Status.PROCESSING, Application.Status.CLARIFYING])}
        return Application(
            page=form,
            site=site,
            code=f"{CODE_PREFIX}{number:08d}",
            password_hash=password,
            channel=rng.choice(["online", "online", "online", "post", "in_person"]),
            applicant_type=applicant,
            name=f"申请人{number}" if person else f"基准{number}有限公司",
            id_type=IdType.ID_CARD if person else IdType.CREDIT_CODE,
            id_number=f"BENCH{number:013d}",
            phone=f"1390000{number % 10000:04d}",
            info_title=f"{rng.choice(TOPICS)}相关文件",
            info_description="申请获取相关政府信息。",
            delivery=rng.choice(list(Delivery.values)),
            submitted_at=timezone.make_aware(datetime.combine(received, clock(10))),
            received_on=received,
            clock_start=received,
            due_date=received + timedelta(days=28),
            **fields,
        )

    def review(self, application: Application) -> Review | None:
        """About one decided application in thirty goes to 复议 or 诉讼; a third still pending."""
        rng = random.Random(application.code)
        if application.decided_on is None or rng.random() >= 0.03:
            return None
        filed = application.decided_on + timedelta(days=rng.randint(10, 60))
        result = rng.choice(list(Review.Result.values))
        concluded = None if result == Review.Result.PENDING else filed + timedelta(days=rng.randint(30, 150))
        return Review(
            application=application,
            kind=rng.choices(list(Review.Kind.values), [70, 20, 10])[0],
            filed_on=filed,
            body="示例省人民政府" if rng.random() < 0.7 else "示例市中级人民法院",
            result=result,
            concluded_on=concluded,
        )

    # ---- the timings -------------------------------------------------------------------
    def timed(self, action) -> dict:
        action()  # warm-up: imports, fonts, content types
        times = []
        for _ in range(self.repeat):
            start = time.perf_counter()
            action()
            times.append((time.perf_counter() - start) * 1000)
        with CaptureQueriesContext(connection) as captured:
            action()
        return {"median_ms": statistics.median(times), "max_ms": max(times), "queries": len(captured)}

    def measure(self, site: Site, column: ColumnPage) -> dict:
        rows = {}
        for name, compute in REPORTS.items():
            rows[f"{name}: compute"] = self.timed(lambda compute=compute: compute(site, self.year))
        page = self.report_page(site, column)
        rows["政府信息公开工作年度报告: XLSX"] = self.timed(lambda: exports.xlsx(page))
        rows["政府信息公开工作年度报告: PDF"] = self.timed(lambda: exports.pdf(page))
        client = Client(HTTP_HOST=f"{site.hostname}:{site.port}")
        path = page.get_url_parts()[2]

        def render():
            response = client.get(path)
            if response.status_code != 200:
                raise CommandError(f"{site.hostname}{path} answered {response.status_code}")

        with override_settings(PAGE_CACHE_SECONDS=0, ALLOWED_HOSTS=["*"]):
            rows["政府信息公开工作年度报告: page (uncached)"] = self.timed(render)
        return rows

    def report_page(self, site: Site, column: ColumnPage) -> DisclosureReportPage:
        """The site's report for the year, made once (published as staff would); its figures
        counted afresh on every run, since the records may have been topped up."""
        data = figures.compute(site, self.year)
        page = DisclosureReportPage.objects.descendant_of(site.root_page).filter(year=self.year).first()
        if page is None:
            page = DisclosureReportPage(
                title=f"国家税务总局基准市税务局{self.year}年政府信息公开工作年度报告",
                slug=f"ndbg-{self.year}",
                year=self.year,
                date=timezone.make_aware(datetime(self.year + 1, 1, 20, 9)),
                summary="基准测试用的年度报告。",
                body=[("paragraph", "<p>基准测试用的年度报告。</p>")],
                figures=data,
            )
            column.add_child(instance=page)
            page.save_revision().publish()
        else:
            DisclosureReportPage.objects.filter(pk=page.pk).update(figures=data)
            page.figures = data
        return page

    # ---- the table ---------------------------------------------------------------------
    def report(self, site: Site, counts: dict, build: float, rows: dict, path: str) -> None:
        out = self.stdout.write
        database = connection.vendor
        out(
            f"\nAnnual reports of {HOSTNAME} for {self.year} ({database}, {os.cpu_count()} cores; "
            f"{self.repeat} runs after a warm-up)"
        )
        out(f"{'':44} {'median ms':>10} {'max ms':>9} {'queries':>8}")
        for name, row in rows.items():
            out(f"{pad(name, 44)} {row['median_ms']:10.1f} {row['max_ms']:9.1f} {row['queries']:8d}")
        result = {
            "measured_at": timezone.now().isoformat(timespec="seconds"),
            "database": database,
            "cores": os.cpu_count(),
            "python": platform.python_version(),
            "site": HOSTNAME,
            "year": self.year,
            "repeat": self.repeat,
            "records": counts,
            "build_seconds": round(build, 1),
            "rows": {name: {key: round(value, 1) for key, value in row.items()} for name, row in rows.items()},
        }
        target = Path(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            saved = json.loads(target.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            saved = {}
        saved[database] = result
        target.write_text(json.dumps(saved, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        out(f"written to {target}")
