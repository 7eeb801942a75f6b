"""Remind staff of letters due within 2 working days and of overdue ones.

Run daily from cron, e.g. ``0 8 * * * manage.py send_letter_reminders``. Safe to run twice:
a letter gets at most one reminder of each kind a day (``LetterReminder``).
Recipients: the assignee, the handling department's mailbox, else the mailbox's default
department. A letter whose reply waits for sign-off (签批) also reminds its approvers (the
members of the mailbox's sign-off group who may sign it off, not its drafter), in a mail of
their own.

Then it runs the reminder jobs other apps register (portal/reminders.py), such as the
依申请公开 applications' deadlines.

The mails are queued in the outbox (portal/outbox.py) in one transaction with the reminder
records, so a letter is marked reminded exactly when its reminder is on its way; the sender
delivers them, each on its own.
"""

from collections import defaultdict

from django.conf import settings
from django.core.mail import send_mail
from django.core.management.base import BaseCommand
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from correspondence.models import Letter, LetterReminder
from correspondence.services import approvers
from portal import reminders
from portal.workdays import WorkCalendar

DUE_SOON_WORKDAYS = 2
HANDLERS, APPROVERS = "handlers", "approvers"
HANDLER_KINDS = (LetterReminder.Kind.DUE_SOON, LetterReminder.Kind.OVERDUE)


class Command(BaseCommand):
    help = "E-mail reminders about letters due within 2 working days and overdue letters."

    def handle(self, *args, **options):
        with transaction.atomic():
            self.remind()
        for job in reminders.jobs():
            job(self)

    def remind(self):
        today = timezone.localdate()
        soon = WorkCalendar.load().add_workdays(today, DUE_SOON_WORKDAYS)
        letters = Letter.objects.filter(status__in=Letter.OPEN_STATUSES, due_date__lte=soon).select_related(
            "assignee", "department", "mailbox__department"
        )
        self.approvers_of_mailbox = {}
        batches = defaultdict(list)  # (audience, recipients) -> letters
        for letter in letters:
            letter.overdue = letter.due_date < today
            kind = LetterReminder.Kind.OVERDUE if letter.overdue else LetterReminder.Kind.DUE_SOON
            recipients = self.recipients(letter)
            if not recipients:
                self.stderr.write(f"{letter.code}: no one to remind (no assignee or department e-mail)")
            elif self.record(letter, kind, today):
                batches[(HANDLERS, tuple(sorted(recipients)))].append(letter)
            if letter.awaiting_signoff:
                recipients = self.approvers(letter)
                if not recipients:
                    self.stderr.write(f"{letter.code}: no approver to remind (no sign-off group member with e-mail)")
                elif self.record(letter, LetterReminder.Kind.SIGNOFF, today):
                    batches[(APPROVERS, tuple(sorted(recipients)))].append(letter)
        sent = 0
        for (audience, recipients), batch in batches.items():
            if audience == APPROVERS:
                template = "correspondence/email/signoff_reminder.txt"
                subject = f"来信签批提醒：{len(batch)} 封来信的答复等待签批，即将到期或已超期"
                kinds = (LetterReminder.Kind.SIGNOFF,)
            else:
                template = "correspondence/email/reminder.txt"
                subject = f"来信办理提醒：{len(batch)} 封来信即将到期或已超期"
                kinds = HANDLER_KINDS
            body = render_to_string(template, {"letters": batch})
            try:
                with transaction.atomic():
                    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, list(recipients))
            except Exception as error:  # keep going; reminders that could not be queued are retried next run
                LetterReminder.objects.filter(letter__in=batch, kind__in=kinds, sent_on=today).delete()
                self.stderr.write(f"reminder to {', '.join(recipients)} failed: {error}")
                continue
            sent += len(batch)
        self.stdout.write(f"reminded {sent} letter(s) in {len(batches)} e-mail(s)")

    @staticmethod
    def record(letter, kind, today) -> bool:
        """Note today's reminder of this kind; False when the letter already had it."""
        try:
            with transaction.atomic():
                LetterReminder.objects.create(letter=letter, kind=kind, sent_on=today)
        except IntegrityError:
            return False
        return True

    @staticmethod
    def recipients(letter) -> set[str]:
        found = set()
        if letter.assignee and letter.assignee.email:
            found.add(letter.assignee.email)
        department = letter.department or letter.mailbox.department
        if department and department.email:
            found.add(department.email)
        return found

    def approvers(self, letter) -> set[str]:
        """The approvers' addresses (looked up once per mailbox), without the reply's drafter."""
        if letter.mailbox_id not in self.approvers_of_mailbox:
            self.approvers_of_mailbox[letter.mailbox_id] = list(
                approvers(letter).exclude(email="").values_list("pk", "email")
            )
        return {email for pk, email in self.approvers_of_mailbox[letter.mailbox_id] if pk != letter.draft_by_id}
