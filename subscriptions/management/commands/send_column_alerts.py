"""E-mail the subscribers of columns about their new articles.

Run from cron, e.g. ``0 9 * * * manage.py send_column_alerts``: every confirmed address with
new articles in its columns since its last alert gets one mail listing them (whatever the
number of columns), so nobody gets more than one mail a run; running again sends nothing
until something new is published. A mail that fails is retried on the next run.
"""

from django.core.management.base import BaseCommand

from subscriptions import services


class Command(BaseCommand):
    help = "E-mail each column subscriber the articles published since their last alert (one mail each)."

    def handle(self, *args, **options):
        run = services.send_alerts()
        for reason in run.failed:
            self.stderr.write(f"alert mail failed: {reason}")
        self.stdout.write(f"sent {run.mails} alert mail(s) listing {run.articles} article(s)")
