"""The report page's admin form: one report per site and year, and the figures computed when
the page is created, when its year changes, or when staff tick 重新统计."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm


class DisclosureReportForm(WagtailAdminPageForm):
    regenerate = forms.BooleanField(
        label=_("按当前数据重新统计"),
        required=False,
        help_text=_(
            "勾选后保存，表二（规章、规范性文件）、表三和表四按本站现有记录重新统计。发布后的报告不随记录变化。"
        ),
    )

    def site(self):
        parent = self.parent_page or self.instance.get_parent()
        return parent.get_site() if parent is not None else None

    def clean_year(self):
        year = self.cleaned_data["year"]
        site = self.site()
        if site is None:
            return year
        others = (
            type(self.instance)
            .objects.descendant_of(site.root_page)
            .filter(year=year)
            .exclude(translation_key=self.instance.translation_key)
        )
        if others.exists():
            raise forms.ValidationError(_("本站已有%(year)s年度的政府信息公开工作年度报告。"), params={"year": year})
        return year

    def save(self, commit=True):
        page = super().save(commit=False)
        site = self.site()
        stale = not page.figures or page.figures.get("year") != page.year or self.cleaned_data.get("regenerate")
        if site is not None and stale:
            page.figures = figures.compute(site, page.year)
        if commit:
            page.save()
        return page


from . import figures  # noqa: E402
