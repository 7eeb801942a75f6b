"""What a worker keeps per site stays kept, and what staff open costs the same, at a
province's size (issue #27)."""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from wagtail.models import Site

from editorial.roles import setup_roles, site_group
from tests.cluster.test_navigation import add_county_sites
from tests.helpers import site_of, staff_client

pytestmark = pytest.mark.django_db


def queries(client: Client, path: str = "/") -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


def same_at_30_sites(client: Client, path: str, prepare=lambda sites: None) -> tuple[int, int]:
    """The queries of ``path`` with the demo's sites and with 27 county sites more
    (``prepare`` gives them what the view reads), after a warm-up request and Wagtail's table
    of site root paths (a query per site once per change of a site) refilled."""
    queries(client, path)
    before = queries(client, path)
    prepare(add_county_sites(27, site_of("jia")))
    Site.get_site_root_paths()
    return before, queries(client, path)


def test_each_sites_data_is_kept_after_serving_seventy_other_sites(settings):
    settings.PAGE_CACHE_SECONDS = 0  # every request rendered, with the site data of its site
    sites = add_county_sites(70, site_of("jia"))
    first = Client(HTTP_HOST="localhost:8000")
    queries(first)
    kept = queries(first)  # the site data of the main site, kept
    for site in sites:
        queries(Client(HTTP_HOST=f"{site.hostname}:8000"))
    assert queries(first) == kept  # still kept: no site data loaded again


def test_a_county_editors_dashboard_costs_the_same_at_30_sites():
    """Wagtail's 待审核 panel asked every approval task (two per site) about the user."""
    county = Site.objects.get(hostname="linjiang.localhost")
    editor = get_user_model().objects.create_user("county_editor_test", password="x")
    editor.groups.add(site_group(county, "editor"))
    client = Client(HTTP_HOST="linjiang.localhost:8000")
    client.force_login(editor)

    def with_groups_and_workflows(sites):
        setup_roles(sites, note=lambda what: None)

    before, after = same_at_30_sites(client, "/admin/", with_groups_and_workflows)
    assert after == before


def test_the_stale_columns_report_of_the_whole_cluster_costs_the_same_at_30_sites():
    """栏目更新监测 for the province's staff made six queries per site (871 at 140 sites)."""
    before, after = same_at_30_sites(staff_client("admin"), "/admin/reports/stale-columns/")
    assert after == before


def test_the_publication_statistics_of_the_whole_cluster_cost_the_same_at_30_sites():
    """发文统计 counted each site's pages per month with a query of its own."""
    before, after = same_at_30_sites(staff_client("admin"), "/admin/reports/publication-statistics/")
    assert after == before
