"""Attachments saved before their names were made safe at upload (issue 24): the name the
writer chose ("passwd.html") becomes the one the admin serves ("passwd.pdf", the extension of
what the bytes are)."""

from django.db import migrations

from portal.uploads import CONTENT_TYPES, safe_name


def make_names_safe(apps, schema_editor):
    LetterAttachment = apps.get_model("correspondence", "LetterAttachment")
    for attachment in LetterAttachment.objects.only("pk", "original_name", "content_type").iterator():
        if attachment.content_type not in CONTENT_TYPES:
            continue
        name = safe_name(attachment.original_name, attachment.content_type)
        if name != attachment.original_name:
            LetterAttachment.objects.filter(pk=attachment.pk).update(original_name=name)


class Migration(migrations.Migration):
    dependencies = [("correspondence", "0004_signoff")]

    operations = [migrations.RunPython(make_names_safe, migrations.RunPython.noop, elidable=True)]
