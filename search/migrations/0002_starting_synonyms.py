"""The shipped synonym list (search/data/synonyms.txt), loaded once; editors change it in the admin."""

from pathlib import Path

from django.db import migrations

SYNONYMS = Path(__file__).resolve().parent.parent / "data" / "synonyms.txt"


def load(apps, schema_editor):
    SynonymGroup = apps.get_model("portal_search", "SynonymGroup")
    for line in SYNONYMS.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        terms = []
        for part in line.replace("，", ",").split(","):
            part = part.strip().lower()
            if part and part not in terms:
                terms.append(part)
        if len(terms) > 1:
            SynonymGroup.objects.get_or_create(terms=", ".join(terms)[:300])


class Migration(migrations.Migration):
    dependencies = [("portal_search", "0001_synonyms_and_search_log")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
