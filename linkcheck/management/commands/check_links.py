"""``manage.py check_links``: check the links of the live pages and update the 错链 report."""

from django.core.management.base import BaseCommand, CommandError
from wagtail.models import Site

from linkcheck.checker import LinkChecker


class Command(BaseCommand):
    help = "Check internal and external links in published pages; broken ones appear in 报告 → 错链检测."

    def add_arguments(self, parser):
        parser.add_argument("--site", metavar="HOSTNAME", help="only this site of the cluster (e.g. jia.localhost)")
        parser.add_argument("--internal-only", action="store_true", help="do not request external addresses")
        parser.add_argument("--timeout", type=float, default=10, help="seconds per external request (default 10)")
        parser.add_argument(
            "--concurrency", type=int, default=8, help="external requests made at the same time (default 8)"
        )

    def handle(self, *args, site=None, internal_only=False, timeout=10, concurrency=8, verbosity=1, **options):
        if timeout <= 0 or concurrency < 1:
            raise CommandError("--timeout must be positive and --concurrency at least 1")
        chosen = None
        if site:
            chosen = Site.objects.select_related("root_page").filter(hostname__iexact=site).first()
            if chosen is None:
                hosts = ", ".join(Site.objects.order_by("hostname").values_list("hostname", flat=True))
                raise CommandError(f"No site with hostname {site!r} (sites: {hosts})")
        checker = LinkChecker(
            site=chosen,
            internal_only=internal_only,
            timeout=timeout,
            concurrency=concurrency,
            progress=(lambda message: self.stderr.write(message)) if verbosity > 1 else None,
        )
        run = checker.run()
        if verbosity:
            self.stdout.write(
                f"Checked {run.links_checked} links on {run.pages_checked} pages "
                f"({run.external_urls} external addresses requested): {run.broken_count} broken."
            )
