"""The 政府信息公开目录 page (disclosure) in the city and county templates made by 0002 before it
existed, under 政府信息公开, unless staff have a node of that slug there already."""

from django.db import migrations
from django.db.models import Max

NODE = {
    "parent_slug": "xxgk",
    "slug": "gkml",
    "title": "政府信息公开目录",
    "page_type": "disclosure.DisclosureCataloguePage",
    "intro": "本局主动公开的政府信息，每条附信息索引，可按主题分类、体裁分类、发布机构和年份查找。",
}


def add(apps, schema_editor):
    SiteTemplate = apps.get_model("cluster", "SiteTemplate")
    SiteTemplateNode = apps.get_model("cluster", "SiteTemplateNode")
    for template in SiteTemplate.objects.filter(key__in=["city", "county"]):
        nodes = SiteTemplateNode.objects.filter(template=template)
        if not nodes.filter(slug="xxgk").exists() or nodes.filter(slug="gkml").exists():
            continue
        last = nodes.aggregate(last=Max("sort_order"))["last"] or 0
        SiteTemplateNode.objects.create(template=template, sort_order=last + 1, **NODE)


class Migration(migrations.Migration):
    dependencies = [("cluster", "0003_alter_sitetemplatenode_page_type")]

    operations = [migrations.RunPython(add, migrations.RunPython.noop)]
