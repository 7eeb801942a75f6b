"""The daily reminder job (``send_letter_reminders``) also reminds of applications due soon or
overdue, once a day, and closes those not clarified in time; the demo's applications cover
every outcome and reason of the annual report's table 三; new sites get the application page."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from post_office.models import Email
from wagtail.models import Site

from inforequests import services
from inforequests.models import Application, ApplicationPage, Review
from inforequests.outcomes import REASONS, Outcome

from .helpers import apply, page_of

pytestmark = pytest.mark.django_db


def run_reminders() -> str:
    out = StringIO()
    call_command("send_letter_reminders", stdout=out, stderr=StringIO())
    return out.getvalue()


def test_overdue_applications_are_reminded_once_a_day():
    page = page_of()
    application = apply(on=datetime.date(2025, 9, 26))  # due 2025-10-30, long past
    before = Email.objects.filter(to=[page.notify_email]).count()
    assert "reminded" in run_reminders()
    mails = Email.objects.filter(to=[page.notify_email])
    assert mails.count() == before + 1
    mail = mails.latest("pk")
    assert "政府信息公开申请办理提醒" in mail.subject and application.code in mail.message and "已超期" in mail.message
    run_reminders()  # the same day again: no second mail
    assert Email.objects.filter(to=[page.notify_email]).count() == before + 1


def test_the_job_closes_applications_whose_clarification_deadline_passed():
    application = apply(on=datetime.date(2025, 9, 26))
    services.request_clarification(
        application, None, "请补正", datetime.date(2025, 10, 10), on=datetime.date(2025, 9, 29)
    )
    assert "not clarified in time" in run_reminders()
    application.refresh_from_db()
    assert application.outcome_label == "其他处理（申请人无正当理由逾期不补正，行政机关不再处理其申请）"


def test_the_demo_covers_every_outcome_and_reason_on_the_main_site():
    main = Site.objects.get(is_default_site=True)
    decided = Application.objects.filter(site=main, status=Application.Status.DECIDED)
    assert set(decided.values_list("outcome", flat=True)) == set(Outcome.values)
    every_reason = {reason for reasons in REASONS.values() for reason in reasons}
    assert set(decided.exclude(reason="").values_list("reason", flat=True)) == every_reason
    assert decided.filter(clarified_on__isnull=False).exists() and decided.filter(extended=True).exists()
    assert decided.exclude(third_party="").exists() and decided.filter(paused_workdays__gt=0).exists()
    kinds = set(Review.objects.filter(application__site=main).values_list("kind", flat=True))
    assert {Review.Kind.RECONSIDERATION, Review.Kind.LAWSUIT} <= kinds
    # a year of them, some carried over from 2024 and into 2026
    assert decided.filter(received_on__year=2024, decided_on__year=2025).exists()
    assert decided.filter(received_on__year=2025, decided_on__year=2026).exists()
    for hostname in ("localhost", "jia.localhost", "yi.localhost"):
        site = Site.objects.get(hostname=hostname)
        assert ApplicationPage.objects.descendant_of(site.root_page).live().exists()
        assert Application.objects.filter(site=site).count() >= 6


def test_the_old_disclosure_mailbox_is_gone_from_the_demo_and_the_templates():
    from cluster.models import SiteTemplateNode
    from correspondence.models import MailboxPage

    assert not MailboxPage.objects.filter(kind="disclosure").exists()
    for key in ("city", "county"):
        nodes = SiteTemplateNode.objects.filter(template__key=key)
        assert nodes.filter(slug="ysqgk", page_type="inforequests.ApplicationPage", parent_slug="xxgk").exists()
        assert not nodes.filter(page_type="correspondence.MailboxPage", mailbox_kind="disclosure").exists()


def test_templates_made_before_the_procedure_trade_their_mailbox_for_the_application_page():
    import importlib

    from django.apps import apps

    from cluster.models import SiteTemplate, SiteTemplateNode

    migration = importlib.import_module("cluster.migrations.0005_application_page")
    template = SiteTemplate.objects.get(key="city")
    SiteTemplateNode.objects.filter(template=template, slug="ysqgk").delete()
    SiteTemplateNode.objects.create(
        template=template,
        sort_order=99,
        parent_slug="hdjl",
        slug="ysqgk",
        title="依申请公开",
        page_type="correspondence.MailboxPage",
        mailbox_kind="disclosure",
    )
    migration.replace(apps, None)
    node = SiteTemplateNode.objects.get(template=template, slug="ysqgk")
    assert (node.page_type, node.parent_slug) == ("inforequests.ApplicationPage", "xxgk")
    migration.replace(apps, None)  # once only
    assert SiteTemplateNode.objects.filter(template=template, slug="ysqgk").count() == 1
