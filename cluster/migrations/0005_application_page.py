"""依申请公开 becomes a procedure (inforequests.ApplicationPage under 政府信息公开) instead of a
mailbox: in the city and county templates made by 0002, the 依申请公开 mailbox node gives way to
the application page, unless staff have changed that node or already have the page. Sites
opened earlier keep their mailbox and its letters (README: "依申请公开")."""

from django.db import migrations, models
from django.db.models import Max

RULES = (
    "申请时请写明申请人姓名或者名称、联系方式，所需政府信息的名称、文号或者其他特征性描述，以及获取信息的方式。\n\n"
    "本机关收到申请后，能够当场答复的当场答复；不能当场答复的，自收到申请之日起20个工作日内答复；"
    "需要延长的，经负责人同意并告知申请人，延长期限最长不超过20个工作日。"
)
NODE = {
    "parent_slug": "xxgk",
    "slug": "ysqgk",
    "title": "政府信息公开申请",
    "page_type": "inforequests.ApplicationPage",
    "intro": "依照《中华人民共和国政府信息公开条例》，向{short_name}申请获取政府信息。",
    "body": RULES,
    "quick_link": "依申请公开",
}


def replace(apps, schema_editor):
    SiteTemplate = apps.get_model("cluster", "SiteTemplate")
    SiteTemplateNode = apps.get_model("cluster", "SiteTemplateNode")
    for template in SiteTemplate.objects.filter(key__in=["city", "county"]):
        nodes = SiteTemplateNode.objects.filter(template=template)
        if not nodes.filter(slug="xxgk").exists() or nodes.filter(page_type=NODE["page_type"]).exists():
            continue
        mailbox = nodes.filter(slug="ysqgk", page_type="correspondence.MailboxPage", mailbox_kind="disclosure").first()
        if mailbox is not None:
            mailbox.delete()
        elif nodes.filter(slug="ysqgk").exists():
            continue  # staff made their own node of that name: leave the template to them
        last = nodes.aggregate(last=Max("sort_order"))["last"] or 0
        SiteTemplateNode.objects.create(template=template, sort_order=last + 1, **NODE)


class Migration(migrations.Migration):
    dependencies = [("cluster", "0004_catalogue_page")]

    operations = [
        migrations.AlterField(
            model_name="sitetemplatenode",
            name="page_type",
            field=models.CharField(
                choices=[
                    ("home.ColumnPage", "栏目"),
                    ("home.StandardPage", "普通页面"),
                    ("home.SitemapPage", "网站地图"),
                    ("guides.ServiceGuideIndexPage", "办事指南"),
                    ("guides.FormLibraryPage", "表格下载"),
                    ("taxservice.FilingCalendarPage", "征期日历"),
                    ("taxservice.ServiceHallIndexPage", "办税地图"),
                    ("faq.FAQIndexPage", "常见问题"),
                    ("disclosure.DisclosureCataloguePage", "政府信息公开目录"),
                    ("inforequests.ApplicationPage", "政府信息公开申请"),
                    ("correspondence.MailboxIndexPage", "互动交流（信箱栏目）"),
                    ("correspondence.MailboxPage", "信箱"),
                ],
                max_length=60,
                verbose_name="页面类型",
            ),
        ),
        migrations.RunPython(replace, migrations.RunPython.noop),
    ]
