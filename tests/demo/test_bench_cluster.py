"""``manage.py bench_cluster`` (``BENCH_SITES`` in ``make bench``) on a small province: it opens
its sites through 站点开通 and prints both columns of figures."""

import io

import pytest
from django.core.management import call_command
from wagtail.models import Site

from portal.models import SiteIdentity

pytestmark = pytest.mark.django_db


def test_the_province_benchmark_opens_its_sites_and_reports_both_sizes(tmp_path):
    baseline = tmp_path / "base.json"
    call_command("bench_cluster", repeat=1, save=str(baseline), stdout=io.StringIO())
    assert Site.objects.count() == 4  # measured only
    out = io.StringIO()
    call_command("bench_cluster", cities=1, counties=2, articles=2, repeat=1, baseline=str(baseline), stdout=out)
    report = out.getvalue()
    counties = SiteIdentity.objects.filter(site__hostname__startswith="bench-county-")
    assert counties.count() == 2
    assert {identity.parent_site.hostname for identity in counties} == {"bench-city-1.localhost"}
    assert "4 sites" in report and f"{Site.objects.count()} sites" in report
    for row in ("county article", "county editor: page explorer", "search, cluster-wide", "sitemap.xml"):
        assert row in report
    assert "publish (county article)                     purges 1 site(s) of 7" in report
    assert "站点开通 of one county site: median" in report
    again = io.StringIO()
    call_command("bench_cluster", cities=1, counties=2, articles=2, repeat=1, stdout=again)
    assert "every site was open already" in again.getvalue()
