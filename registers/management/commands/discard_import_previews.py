"""Discard register import previews left unconfirmed (daily from cron: their rows hold the
identity numbers of the file, kept only until staff confirm or discard the import)."""

from django.core.management.base import BaseCommand

from registers import services


class Command(BaseCommand):
    help = "Discard register import previews left unconfirmed for more than --hours (default 24)."

    def add_arguments(self, parser):
        parser.add_argument("--hours", type=int, default=24)

    def handle(self, *args, hours, **options):
        if hours < 1:
            self.stderr.write("--hours must be at least 1.")
            raise SystemExit(2)
        count = services.discard_stale_previews(hours)
        self.stdout.write(f"{count} import preview(s) discarded.")
