"""Queries logged before personal data was masked: phone, ID and card numbers and e-mail
addresses in them are masked now (``search.personal.mask_numbers``), their counts merged
into the masked query's row of the same day. (Letter writers' names are masked from now on;
the log's old rows are at most 30 days' worth of what the report shows.)"""

from django.db import migrations
from django.db.models import F

from search.personal import mask_numbers


def mask(apps, schema_editor):
    SearchTermDay = apps.get_model("portal_search", "SearchTermDay")
    for row in SearchTermDay.objects.order_by("pk").iterator():
        masked = mask_numbers(row.query)[:100]
        if masked == row.query:
            continue
        target, _ = SearchTermDay.objects.get_or_create(query=masked, date=row.date)
        SearchTermDay.objects.filter(pk=target.pk).update(
            searches=F("searches") + row.searches, empty=F("empty") + row.empty
        )
        row.delete()


class Migration(migrations.Migration):
    dependencies = [("portal_search", "0003_popular_searches_and_visitors")]

    operations = [migrations.RunPython(mask, migrations.RunPython.noop)]
