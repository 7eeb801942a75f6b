"""E-mail the people responsible for stale columns and columns due within three days.

Run daily from cron (see README); ``--dry-run`` lists what would be sent, ``--today``
evaluates another day (YYYY-MM-DD). Safe to run twice: see ``monitoring.reminders``."""

from datetime import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from monitoring import reminders


class Command(BaseCommand):
    help = "E-mail reminders about stale columns and columns due within three days (栏目更新提醒)."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="List the reminders without sending them.")
        parser.add_argument("--today", help="Evaluate as of this day (YYYY-MM-DD) instead of today.")

    def handle(self, *args, dry_run=False, today=None, **options):
        if today:
            try:
                day = datetime.strptime(today, "%Y-%m-%d").date()
            except ValueError as error:
                raise CommandError("--today must be YYYY-MM-DD") from error
        else:
            day = timezone.localdate()
        run = reminders.plan(day)
        for recipient, statuses in run.to_send.items():
            titles = "、".join(f"{status.site_name}/{status.title}({status.state})" for status in statuses)
            self.stdout.write(f"{recipient}: {titles}")
        for status in run.no_address:
            self.stderr.write(f"no address for {status.site_name}/{status.title}: set 负责人邮箱 or the site e-mail")
        if dry_run:
            self.stdout.write(f"dry run: {len(run.to_send)} e-mail(s) would be sent")
            return
        sent = reminders.send(run, day)
        for recipient in run.failed:
            self.stderr.write(f"reminder to {recipient} could not be queued (see the log); tried again next run")
        self.stdout.write(
            f"{sent} e-mail(s) queued; {len(run.already_reminded)} page(s) reminded in the last "
            f"{reminders.REMIND_AGAIN_DAYS} days skipped"
        )
