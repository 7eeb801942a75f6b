"""Give every live policy and every article of a 政府信息公开 column its catalogue entry and
索引号, for pages published before the catalogue existed (an upgrade, an import). Later
publications are numbered as they happen; re-running finds nothing to do."""

from django.core.management.base import BaseCommand
from wagtail.models import Site

from disclosure import services


class Command(BaseCommand):
    help = "Number the disclosed pages that have no 信息索引 yet, oldest first, on every site (or --site HOSTNAME)."

    def add_arguments(self, parser):
        parser.add_argument("--site", help="only this site's hostname")

    def handle(self, *args, site=None, **options):
        sites = Site.objects.select_related("root_page").order_by("-is_default_site", "hostname")
        if site:
            sites = sites.filter(hostname=site)
        for each in sites:
            made = services.index_existing(each)
            self.stdout.write(f"{each.hostname}: {made} entries made")
