"""Remind staff of letters due within 2 working days and of overdue ones.

Run daily from cron, e.g. ``0 8 * * * manage.py send_letter_reminders``. Safe to run twice:
a letter gets at most one reminder of each kind a day (``LetterReminder``).
Recipients: the assignee, the handling department's mailbox, else the mailbox's default
department.
"""

from collections import defaultdict

from django.conf import settings
from django.core.mail import send_mail
from django.core.management.base import BaseCommand
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from correspondence.models import Letter, LetterReminder
from portal.workdays import WorkCalendar

DUE_SOON_WORKDAYS = 2


class Command(BaseCommand):
    help = "E-mail reminders about letters due within 2 working days and overdue letters."

    def handle(self, *args, **options):
        today = timezone.localdate()
        soon = WorkCalendar.load().add_workdays(today, DUE_SOON_WORKDAYS)
        letters = Letter.objects.filter(status__in=Letter.OPEN_STATUSES, due_date__lte=soon).select_related(
            "assignee", "department", "mailbox__department"
        )
        batches = defaultdict(list)
        for letter in letters:
            kind = LetterReminder.Kind.OVERDUE if letter.due_date < today else LetterReminder.Kind.DUE_SOON
            recipients = self.recipients(letter)
            if not recipients:
                self.stderr.write(f"{letter.code}: no one to remind (no assignee or department e-mail)")
                continue
            try:
                with transaction.atomic():
                    LetterReminder.objects.create(letter=letter, kind=kind, sent_on=today)
            except IntegrityError:
                continue  # already reminded today
            letter.overdue = kind == LetterReminder.Kind.OVERDUE
            batches[tuple(sorted(recipients))].append(letter)
        sent = 0
        for recipients, batch in batches.items():
            body = render_to_string("correspondence/email/reminder.txt", {"letters": batch})
            subject = f"来信办理提醒：{len(batch)} 封来信即将到期或已超期"
            try:
                send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, list(recipients))
            except Exception as error:  # keep going; unsent reminders are retried on the next run
                LetterReminder.objects.filter(letter__in=batch, sent_on=today).delete()
                self.stderr.write(f"reminder to {', '.join(recipients)} failed: {error}")
                continue
            sent += len(batch)
        self.stdout.write(f"reminded {sent} letter(s) in {len(batches)} e-mail(s)")

    @staticmethod
    def recipients(letter) -> set[str]:
        found = set()
        if letter.assignee and letter.assignee.email:
            found.add(letter.assignee.email)
        department = letter.department or letter.mailbox.department
        if department and department.email:
            found.add(department.email)
        return found
