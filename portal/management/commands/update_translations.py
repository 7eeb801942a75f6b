"""Refresh the message catalogues after changing templates or code.

Runs ``makemessages`` for ``en`` and ``zh_Hans`` (needs GNU gettext: ``apt-get install
gettext``), then fills ``zh_Hans`` entries whose msgid is already Chinese with the msgid
itself, and lists the English entries still to translate. Translate those in
``locale/en/LC_MESSAGES/django.po``; ``tests/test_translations.py`` fails until every
entry is translated."""

import re

import polib
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

CJK = re.compile(r"[\u4e00-\u9fff]")
IGNORE = [".venv", "home/demo", "tests", "static", "media", "private"]


class Command(BaseCommand):
    help = "makemessages for en and zh_Hans, fill Chinese zh_Hans entries, list what is left to translate."

    def handle(self, *args, **options):
        call_command("makemessages", locale=["en", "zh_Hans"], ignore_patterns=IGNORE, no_obsolete=True, verbosity=0)
        base = settings.LOCALE_PATHS[0]
        chinese = polib.pofile(str(base / "zh_Hans/LC_MESSAGES/django.po"))
        for entry in chinese:
            if not CJK.search(entry.msgid) or (entry.translated() and "fuzzy" not in entry.flags):
                continue
            if entry.msgid_plural:
                entry.msgstr_plural = {0: entry.msgid}
            else:
                entry.msgstr = entry.msgid
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
        chinese.save()
        english = polib.pofile(str(base / "en/LC_MESSAGES/django.po"))
        todo = [entry.msgid for entry in english if not entry.translated() or "fuzzy" in entry.flags]
        for msgid in todo:
            self.stdout.write(f"to translate (en): {msgid}")
        self.stdout.write(f"{len(todo)} English entr{'y' if len(todo) == 1 else 'ies'} to translate")
