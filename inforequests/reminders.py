"""The applications' part of the daily reminder job (registered in portal/reminders.py, run
by ``manage.py send_letter_reminders``): first close the applications whose 补正期限 has
passed (treated as withdrawn, 第三十条), then remind the handler and the page's notification
address of applications due within 2 working days or overdue, at most once a day each."""

from __future__ import annotations

from collections import defaultdict

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from portal.workdays import WorkCalendar

from . import services
from .models import Application, ApplicationReminder

DUE_SOON_WORKDAYS = 2


def send_reminders(command) -> None:
    today = timezone.localdate()
    closed = services.close_unclarified(today)
    if closed:
        command.stdout.write(f"closed {len(closed)} application(s) not clarified in time")
    soon = WorkCalendar.load().add_workdays(today, DUE_SOON_WORKDAYS)
    due = Application.objects.filter(
        status__in=Application.CLOCK_RUNNING,
        due_date__lte=soon,
    ).select_related("assignee", "page")
    batches = defaultdict(list)
    with transaction.atomic():
        for application in due:
            application.overdue = application.due_date < today
            kind = ApplicationReminder.Kind.OVERDUE if application.overdue else ApplicationReminder.Kind.DUE_SOON
            recipients = {
                address
                for address in (application.assignee and application.assignee.email, application.page.notify_email)
                if address
            }
            if not recipients:
                command.stderr.write(f"{application.code}: no one to remind (no handler or notification e-mail)")
            elif _record(application, kind, today):
                batches[tuple(sorted(recipients))].append(application)
    sent = 0
    for recipients, batch in batches.items():
        subject = f"政府信息公开申请办理提醒：{len(batch)} 件申请即将到期或已超期"
        body = render_to_string("inforequests/email/reminder.txt", {"applications": batch})
        try:
            with transaction.atomic():
                send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, list(recipients))
        except Exception as error:  # retried on the next run
            ApplicationReminder.objects.filter(application__in=batch, sent_on=today).delete()
            command.stderr.write(f"reminder to {', '.join(recipients)} failed: {error}")
            continue
        sent += len(batch)
    command.stdout.write(f"reminded {sent} application(s) in {len(batches)} e-mail(s)")


def _record(application, kind, today) -> bool:
    try:
        with transaction.atomic():
            ApplicationReminder.objects.create(application=application, kind=kind, sent_on=today)
    except IntegrityError:
        return False
    return True
