"""Rewrite ``demo/english/*.po`` from the loaded demo: every string of the pages and
snippets of the English edition, with the translations already made, and a list of the
strings still untranslated. Run it after changing the Chinese demo content, translate what
it lists, then load the demo into a fresh database."""

from django.core.management.base import BaseCommand
from wagtail.models import Site

from demo import english


class Command(BaseCommand):
    help = "Refresh the English demo translations (PO files) from the loaded demo content."

    def handle(self, *args, **options):
        home = Site.objects.get(is_default_site=True).root_page.specific
        result = english.export(home)
        for line in result.missing:
            self.stdout.write(f"untranslated: {line}")
        entries = sum(len(po) for po in result.files.values())
        self.stdout.write(f"{entries} strings in {len(result.files)} files, {len(result.missing)} untranslated.")
