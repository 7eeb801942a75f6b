"""``manage.py flush_visits``: the visit counters in the cache into ``DailyVisits`` (cron,
every five minutes; see ``visits.services.flush``)."""

from django.core.management.base import BaseCommand

from visits import services


class Command(BaseCommand):
    help = "Move the visit counters from the cache into the database (run every few minutes)."

    def handle(self, *args, **options):
        result = services.flush()
        if result.skipped:
            self.stderr.write("another flush is running, or the cache does not answer: nothing flushed")
            return
        if options["verbosity"] >= 1:
            self.stdout.write(f"{result.views} views flushed into {result.rows} site-days")
