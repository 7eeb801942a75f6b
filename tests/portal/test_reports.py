"""The staff reports share one base (``portal/reports.py``): who may open them, which
sites they cover, and spreadsheets that Excel reads and cannot run."""

import csv
import io

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.test import Client
from openpyxl import load_workbook
from wagtail.models import Site

from search.models import SearchTermDay
from tests.helpers import staff_client

pytestmark = pytest.mark.django_db

REPORTS = [
    "/admin/reports/broken-links/",
    "/admin/reports/search-terms/",
    "/admin/reports/faq-feedback/",
    "/admin/reports/stale-columns/",
]
SITE_REPORTS = ["/admin/reports/broken-links/", "/admin/reports/stale-columns/", "/admin/submissions/"]


def rows(response) -> list[list[str]]:
    assert response.content.startswith(b"\xef\xbb\xbf"), "a CSV without a BOM: Excel shows Chinese as garbage"
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_every_report_opens_for_a_superuser_and_exports_bom_csv_and_xlsx():
    admin = staff_client("admin")
    for url in REPORTS + ["/admin/reports/publication-statistics/", "/admin/submissions/"]:
        assert admin.get(url).status_code == 200, url
        table = rows(admin.get(url, {"export": "csv"}))
        assert table and all(cell for cell in table[0]), (url, table[:1])
        xlsx = admin.get(url, {"export": "xlsx"})
        assert "no-store" in xlsx["Cache-Control"] and "private" in xlsx["Cache-Control"]
        sheet = load_workbook(io.BytesIO(xlsx.content)).active
        assert [cell.value for cell in next(sheet.iter_rows())] == table[0], url


def test_a_cell_that_a_spreadsheet_would_run_is_exported_as_text():
    SearchTermDay.record('=HYPERLINK("http://evil.example")', 0)
    table = rows(staff_client("admin").get("/admin/reports/search-terms/", {"export": "csv"}))
    assert ['\'=hyperlink("http://evil.example")', "1", "1"] in table  # the log keeps queries lower-cased
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in table for cell in row)


def refused(response) -> bool:
    """Wagtail's admin answers a PermissionDenied with the dashboard and a message."""
    return response.status_code == 403 or (response.status_code == 302 and response["Location"] == "/admin/")


def test_a_user_without_a_site_or_the_permission_is_refused(db):
    nobody = Client(HTTP_HOST="localhost:8000")
    user = get_user_model().objects.create_user("nobody", password="x", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))  # may open the admin, nothing more
    nobody.force_login(user)
    assert nobody.get("/admin/").status_code == 200
    for url in REPORTS + ["/admin/submissions/"]:
        assert refused(nobody.get(url)), url


def test_a_city_editor_cannot_open_another_sites_report():
    jia = staff_client("jia_editor")
    yi_site = Site.objects.get(hostname="yi.localhost")
    jia_site = Site.objects.get(hostname="jia.localhost")
    for url in SITE_REPORTS:
        assert jia.get(url, {"site": jia_site.pk}).status_code == 200, url
        assert refused(jia.get(url, {"site": yi_site.pk})), url
