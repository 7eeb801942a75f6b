"""Shared helpers of the annual report tests: applications decided on given days, and the
demo's report pages."""

from __future__ import annotations

from datetime import date

from annualreports.models import DisclosureReportPage
from inforequests import services
from tests.helpers import site_of
from tests.inforequests.helpers import apply

ORGANISATION = {"id_type": "credit_code", "contact_name": "钱经办"}


def decided(key: str, received: date, on: date, outcome: str, reason: str = "", **changes):
    """An application received on ``received`` and answered on ``on``."""
    application = apply(key, on=received, **changes)
    services.decide(application, None, outcome, reason, "经审查，现答复如下。", on=on)
    application.refresh_from_db()
    return application


def organisation(applicant_type: str, name: str, number: str) -> dict:
    return {**ORGANISATION, "applicant_type": applicant_type, "name": name, "id_number": number}


def report_of(key: str = "main", year: int = 2025) -> DisclosureReportPage:
    return DisclosureReportPage.objects.descendant_of(site_of(key).root_page).get(year=year)
