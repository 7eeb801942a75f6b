"""法定主动公开内容: the categories of information articles 19 and 20 of the 政府信息公开条例
(2019) require every organ to disclose on its own initiative, as the block of a site's
checklist (``models.StatutoryChecklist``, a site setting staff edit) and its default rows.
The check against what the columns hold is in ``checks.py``."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from wagtail import blocks

# (category, basis, period in days or None: having content is enough)
DEFAULT_CATEGORIES = [
    ("行政法规、规章和规范性文件", "第二十条第（一）项", None),
    ("机关职能、机构设置、办公地址、办公时间、联系方式、负责人姓名", "第二十条第（二）项", 365),
    ("国民经济和社会发展规划、专项规划、区域规划及相关政策", "第二十条第（三）项", None),
    ("国民经济和社会发展统计信息", "第二十条第（四）项", 92),
    ("办理行政许可和其他对外管理服务事项的依据、条件、程序以及办理结果", "第二十条第（五）项", None),
    ("实施行政处罚、行政强制的依据、条件、程序以及有一定社会影响的行政处罚决定", "第二十条第（六）项", 92),
    ("财政预算、决算信息", "第二十条第（七）项", 365),
    ("行政事业性收费项目及其依据、标准", "第二十条第（八）项", None),
    ("政府集中采购项目的目录、标准及实施情况", "第二十条第（九）项", 365),
    ("重大建设项目的批准和实施情况", "第二十条第（十）项", None),
    ("扶贫、教育、医疗、社会保障、促进就业等方面的政策、措施及其实施情况", "第二十条第（十一）项", None),
    ("突发公共事件的应急预案、预警信息及应对情况", "第二十条第（十二）项", None),
    ("环境保护、公共卫生、安全生产、食品药品、产品质量的监督检查情况", "第二十条第（十三）项", None),
    ("公务员招考的职位、名额、报考条件等事项以及录用结果", "第二十条第（十四）项", 365),
    ("涉及公众利益调整、需要公众广泛知晓或者需要公众参与决策的政府信息", "第十九条", None),
    ("政府信息公开指南和政府信息公开工作年度报告", "第二十二条、第四十九条", 365),
]


class CategoryBlock(blocks.StructBlock):
    name = blocks.CharBlock(label=_("公开类别"), max_length=100)
    basis = blocks.CharBlock(label=_("依据"), max_length=60, required=False, help_text=_("如“第二十条第（七）项”。"))
    period_days = blocks.IntegerBlock(
        label=_("更新周期（天）"),
        required=False,
        min_value=1,
        help_text=_("该类信息至少多少天内应有新发布（如预决算365天）；留空表示只需有内容。"),
    )
    columns = blocks.ListBlock(
        blocks.PageChooserBlock(page_type="home.ColumnPage", label=_("栏目")),
        label=_("发布栏目"),
        help_text=_("本站发布该类信息的栏目；其下任何已发布的内容都算。"),
    )

    class Meta:
        icon = "tasks"
        label = _("法定公开类别")


def default_checklist() -> list:
    return [
        ("category", {"name": name, "basis": basis, "period_days": period, "columns": []})
        for name, basis, period in DEFAULT_CATEGORIES
    ]
