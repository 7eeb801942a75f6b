from django.core.management.base import BaseCommand, CommandError
from wagtail.models import Site

from cluster.models import SiteTemplate
from cluster.services import Refused, SiteSpec, open_site


class Command(BaseCommand):
    help = (
        "站点开通: open a complete site of the cluster (home page, columns, standard pages, mailboxes, "
        "identity, groups, workflow, collection) from a site template. Safe to run again: what is "
        "there is kept, what is missing is added; a hostname or code held by another site is refused."
    )

    def add_arguments(self, parser):
        parser.add_argument("name", help="the full name, e.g. 国家税务总局丙县税务局")
        parser.add_argument("hostname", help="e.g. bing.tax-shili.example")
        parser.add_argument("--parent", metavar="HOSTNAME", help="the parent bureau's site")
        parser.add_argument("--template", default="city", help="site template key (default: city)")
        parser.add_argument("--code", default="", help="organisation code (机构代码)")
        parser.add_argument("--site-code", default="", help="网站标识码")
        parser.add_argument("--short-name", default="", help="标志文字 (default: the name without 国家税务总局)")
        parser.add_argument("--port", type=int, help="the site's port (default: the parent's)")
        parser.add_argument("--email", default="")
        parser.add_argument("--phone", default="")
        parser.add_argument("--address", default="")
        parser.add_argument("--postcode", default="")
        parser.add_argument("--icp", default="", help="ICP备案号")
        parser.add_argument("--police", default="", help="公安机关备案号")

    def handle(self, *args, **options):
        template = SiteTemplate.objects.filter(key=options["template"]).first()
        if template is None:
            keys = ", ".join(SiteTemplate.objects.values_list("key", flat=True))
            raise CommandError(f"no site template {options['template']!r} (templates: {keys})")
        parent = None
        if options["parent"]:
            parent = Site.objects.filter(hostname=options["parent"]).first()
            if parent is None:
                raise CommandError(f"no site with hostname {options['parent']}")
        spec = SiteSpec(
            name=options["name"],
            hostname=options["hostname"],
            template=template,
            parent=parent,
            organisation_code=options["code"],
            site_code=options["site_code"],
            short_name=options["short_name"],
            port=options["port"],
            email=options["email"],
            phone=options["phone"],
            address=options["address"],
            postcode=options["postcode"],
            icp_number=options["icp"],
            police_number=options["police"],
        )
        verbose = options["verbosity"] > 0
        try:
            opened = open_site(spec, note=lambda what: verbose and self.stdout.write(f"  + {what}"))
        except Refused as refused:
            raise CommandError("\n".join(refused.messages)) from None
        if verbose:
            site = opened.site
            if opened.done:
                self.stdout.write(f"{site.hostname}:{site.port} opened: {len(opened.done)} item(s) created.")
            else:
                self.stdout.write(f"{site.hostname}:{site.port}: nothing to do, the site is complete.")
