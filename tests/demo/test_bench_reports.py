"""``manage.py bench_reports`` (``BENCH_REPORTS`` in ``make bench``) at a tiny size: it builds its
site's applications and disclosed items once, with a valid page tree, and times the report."""

import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from wagtail.models import Page, Site

from annualreports.models import DisclosureReportPage
from disclosure.models import CatalogueEntry
from home.models import PolicyDocumentPage
from inforequests.models import Application

pytestmark = pytest.mark.django_db


def test_the_reports_benchmark_builds_its_records_once_and_times_the_report(tmp_path):
    target = tmp_path / "reports.json"
    out = io.StringIO()
    call_command("bench_reports", applications=50, items=40, repeat=1, json_path=str(target), stdout=out)
    report = out.getvalue()
    site = Site.objects.get(hostname="bench-reports.localhost")
    assert Application.objects.filter(site=site).count() == 50
    items = Page.objects.live().descendant_of(site.root_page).filter(slug__startswith="bench-item-")
    assert items.count() == 40
    assert PolicyDocumentPage.objects.filter(pk__in=items).count() == 16  # two in five
    assert CatalogueEntry.objects.filter(site=site, page__in=items).count() == 40
    assert all(not problems for problems in Page.find_problems())  # treebeard's paths and numchild hold
    article = items.order_by("path").last().specific
    response = Client(HTTP_HOST=site.hostname).get(article.get_url_parts()[2])
    assert response.status_code == 200 and article.title in response.content.decode()
    for row in ("政府信息公开工作年度报告: compute", "政府信息公开工作年度报告: XLSX", "page (uncached)"):
        assert row in report
    page = DisclosureReportPage.objects.descendant_of(site.root_page).get(year=2025)
    new_in_2025 = Application.objects.filter(site=site, received_on__year=2025).count()
    assert page.figures["requests"]["new"]["total"] == new_in_2025
    saved = json.loads(target.read_text(encoding="utf-8"))
    (result,) = saved.values()
    assert result["records"]["applications"] == 50
    assert result["rows"]["政府信息公开工作年度报告: compute"]["queries"] == 3

    again = io.StringIO()
    call_command("bench_reports", applications=50, items=40, repeat=1, json_path=str(target), stdout=again)
    assert "50 applications (0 added)" in again.getvalue()
    assert items.count() == 40
    assert DisclosureReportPage.objects.descendant_of(site.root_page).count() == 1


def test_the_reports_benchmark_refuses_a_database_without_the_demo():
    Site.objects.update(is_default_site=False)
    with pytest.raises(CommandError, match="load_demo"):
        call_command("bench_reports", applications=1, items=1, stdout=io.StringIO())
