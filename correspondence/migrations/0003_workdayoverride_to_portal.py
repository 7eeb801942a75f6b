"""``WorkdayOverride`` now lives in portal (portal/migrations/0005): leave it in the state
only; the table and its rows went with it."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("correspondence", "0002_translatable_inlines"),
        ("portal", "0005_workdayoverride"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[migrations.DeleteModel(name="WorkdayOverride")]),
    ]
