"""Shared helpers of the 依申请公开 tests: the demo's pages and an application made through
the services on a given day."""

from __future__ import annotations

import datetime

from django.utils import timezone
from wagtail.models import Site

from inforequests import services
from inforequests.models import ApplicationPage
from tests.helpers import HOSTS

PERSON = {
    "applicant_type": "person",
    "name": "赵小明",
    "id_type": "id_card",
    "id_number": "119900199001010010",
    "phone": "13900009999",
    "email": "zhao.xm@example.com",
    "info_title": "2025年度税收宣传月活动经费预算",
    "info_description": "示例省税务局2025年度税收宣传月活动的经费预算和使用情况。",
    "delivery": "email",
}


def page_of(key: str = "main") -> ApplicationPage:
    site = Site.objects.get(hostname=HOSTS[key])
    return ApplicationPage.objects.descendant_of(site.root_page).get()


def apply(key: str = "main", on: datetime.date | None = None, **changes):
    """An application received on ``on`` (today by default) and registered that day."""
    page = page_of(key)
    when = timezone.make_aware(datetime.datetime.combine(on, datetime.time(9))) if on else None
    application, password = services.submit(page, page.get_site(), {**PERSON, **changes}, [], "zh-hans", when=when)
    services.register(application, None, on)
    application.refresh_from_db()
    application.password = password
    return application
