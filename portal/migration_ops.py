"""Operations shared by data migrations (kept stable: old migrations import them)."""

import uuid

from django.db import migrations


def bootstrap_inlines(app_label: str, *model_names: str) -> migrations.RunPython:
    """Give existing inline rows made translatable a ``translation_key`` and their page's
    ``locale`` (inlines are translated with their page, so they share its language)."""

    def forwards(apps, schema_editor):
        for name in model_names:
            model = apps.get_model(app_label, name)
            for row in model.objects.filter(translation_key__isnull=True).select_related("page"):
                row.translation_key = uuid.uuid4()
                row.locale_id = row.page.locale_id
                row.save(update_fields=["translation_key", "locale"])

    return migrations.RunPython(forwards, migrations.RunPython.noop)
