from django.core.management.base import BaseCommand, CommandError
from wagtail.models import Site

from cluster.services import Refused, close_site, reopen_site


class Command(BaseCommand):
    help = "站点关停: take a site offline with a notice page (its pages and records stay); --reopen undoes it."

    def add_arguments(self, parser):
        parser.add_argument("hostname")
        parser.add_argument("--notice", default="", help="what visitors read instead of the site")
        parser.add_argument("--reopen", action="store_true", help="put the site back online")

    def handle(self, *args, hostname, notice, reopen, **options):
        site = Site.objects.filter(hostname=hostname).first()
        if site is None:
            raise CommandError(f"no site with hostname {hostname}")
        try:
            changed = reopen_site(site) if reopen else close_site(site, notice)
        except Refused as refused:
            raise CommandError("\n".join(refused.messages)) from None
        state = "open" if reopen else "closed"
        self.stdout.write(f"{hostname} {state}." if changed else f"{hostname} was {state} already.")
