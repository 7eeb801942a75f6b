"""The city and county site templates (cluster/defaults.py), created once; staff edit them
in the admin afterwards."""

from django.db import migrations


def create(apps, schema_editor):
    from cluster.defaults import TEMPLATES

    SiteTemplate = apps.get_model("cluster", "SiteTemplate")
    SiteTemplateNode = apps.get_model("cluster", "SiteTemplateNode")
    for spec in TEMPLATES:
        if SiteTemplate.objects.filter(key=spec["key"]).exists():
            continue
        fields = {name: value for name, value in spec.items() if name != "nodes"}
        template = SiteTemplate.objects.create(**fields)
        SiteTemplateNode.objects.bulk_create(
            SiteTemplateNode(template=template, sort_order=order, **node) for order, node in enumerate(spec["nodes"])
        )


def remove(apps, schema_editor):
    apps.get_model("cluster", "SiteTemplate").objects.filter(key__in=["city", "county"]).delete()


class Migration(migrations.Migration):
    dependencies = [("cluster", "0001_initial")]

    operations = [migrations.RunPython(create, remove)]
