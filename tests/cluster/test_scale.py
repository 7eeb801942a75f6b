"""What a worker keeps per site stays kept at a province's size (issue #27)."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.cluster.test_navigation import add_county_sites
from tests.helpers import site_of

pytestmark = pytest.mark.django_db


def queries(host: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert Client(HTTP_HOST=host).get("/").status_code == 200
    return len(captured)


def test_each_sites_data_is_kept_after_serving_seventy_other_sites(settings):
    settings.PAGE_CACHE_SECONDS = 0  # every request rendered, with the site data of its site
    sites = add_county_sites(70, site_of("jia"))
    first = "localhost:8000"
    queries(first)
    kept = queries(first)  # the site data of the main site, kept
    for site in sites:
        queries(f"{site.hostname}:8000")
    assert queries(first) == kept  # still kept: no site data loaded again


def test_a_county_editors_dashboard_costs_the_same_at_30_sites():
    """Wagtail's 待审核 panel asked every approval task (two per site) about the user."""
    from django.contrib.auth import get_user_model
    from wagtail.models import Site

    from editorial.roles import setup_roles, site_group

    county = Site.objects.get(hostname="linjiang.localhost")
    editor = get_user_model().objects.create_user("county_editor_test", password="x")
    editor.groups.add(site_group(county, "editor"))
    client = Client(HTTP_HOST="linjiang.localhost:8000")
    client.force_login(editor)
    assert client.get("/admin/").status_code == 200

    def dashboard() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/admin/").status_code == 200
        return len(captured)

    before = dashboard()
    setup_roles(add_county_sites(27, site_of("jia")), note=lambda what: None)  # their groups and workflows
    Site.get_site_root_paths()  # Wagtail's table: a query per site once per change of a site
    assert dashboard() == before


def test_the_stale_columns_report_of_the_whole_cluster_costs_the_same_at_30_sites():
    """栏目更新监测 for the province's staff made six queries per site (871 at 140 sites)."""
    from wagtail.models import Site

    from tests.helpers import staff_client

    client = staff_client("admin")
    client.get("/admin/reports/stale-columns/")

    def report() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/admin/reports/stale-columns/").status_code == 200
        return len(captured)

    before = report()
    add_county_sites(27, site_of("jia"))
    Site.get_site_root_paths()
    assert report() == before


def test_the_publication_statistics_of_the_whole_cluster_cost_the_same_at_30_sites():
    """发文统计 counted each site's pages per month with a query of its own."""
    from wagtail.models import Site

    from tests.helpers import staff_client

    client = staff_client("admin")
    url = "/admin/reports/publication-statistics/"
    client.get(url)

    def report() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    before = report()
    add_county_sites(27, site_of("jia"))
    Site.get_site_root_paths()
    assert report() == before
