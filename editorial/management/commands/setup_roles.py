from django.core.management.base import BaseCommand, CommandError
from wagtail.models import Site

from editorial.roles import setup_roles


class Command(BaseCommand):
    help = (
        "Create or complete the per-site groups (编辑, 审核, 保密审查, 站点管理员), their page and "
        "collection permissions and the site's 发布审核 workflow. Safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument("--site", metavar="HOSTNAME", help="only this site (default: every site)")

    def handle(self, *args, site=None, **options):
        sites = None
        if site:
            sites = list(Site.objects.filter(hostname=site))
            if not sites:
                raise CommandError(f"no site with hostname {site}")
        verbose = options["verbosity"] > 0
        done = setup_roles(sites, note=lambda what: verbose and self.stdout.write(f"  + {what}"))
        if verbose:
            self.stdout.write(f"{len(done)} change(s)." if done else "Nothing to do: every role is in place.")
