"""The working-day overrides move from correspondence to portal: every app counts working
days (letters, interview replies, filing deadlines), so the table belongs at the bottom.

The rows stay: the model enters portal's state on the existing table, which is then
renamed; its content type (and so every permission granted on it) is moved with it."""

from django.db import migrations, models


def move_content_type(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not ContentType.objects.filter(app_label="portal", model="workdayoverride").exists():
        ContentType.objects.filter(app_label="correspondence", model="workdayoverride").update(app_label="portal")


def move_content_type_back(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not ContentType.objects.filter(app_label="correspondence", model="workdayoverride").exists():
        ContentType.objects.filter(app_label="portal", model="workdayoverride").update(app_label="correspondence")


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("correspondence", "0002_translatable_inlines"),
        ("portal", "0004_site_text"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="WorkdayOverride",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("date", models.DateField(unique=True, verbose_name="日期")),
                        (
                            "is_workday",
                            models.BooleanField(help_text="勾选表示调休上班；不勾选表示放假。", verbose_name="是工作日"),
                        ),
                        ("note", models.CharField(blank=True, max_length=100, verbose_name="说明")),
                    ],
                    options={
                        "verbose_name": "节假日调整",
                        "verbose_name_plural": "节假日调整",
                        "ordering": ["-date"],
                        "db_table": "correspondence_workdayoverride",
                    },
                ),
            ],
        ),
        migrations.AlterModelTable(name="workdayoverride", table=None),
        migrations.RunPython(move_content_type, move_content_type_back),
    ]
