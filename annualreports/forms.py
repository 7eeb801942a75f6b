"""The report pages' admin form: one report of a kind per site and year, and the figures
computed (by the page type's ``compute_figures``) when the page is created, when its year
changes, or when staff tick 重新统计."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm


class ReportForm(WagtailAdminPageForm):
    regenerate = forms.BooleanField(
        label=_("按当前数据重新统计"),
        required=False,
        help_text=_("勾选后保存，报告中由本站记录统计的数据按现有记录重新统计。发布后的报告不随记录变化。"),
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
            raise forms.ValidationError(
                _("本站已有%(year)s年度的%(report)s。"),
                params={"year": year, "report": type(self.instance)._meta.verbose_name},
            )
        return year

    def save(self, commit=True):
        page = super().save(commit=False)
        site = self.site()
        stale = not page.figures or page.figures.get("year") != page.year or self.cleaned_data.get("regenerate")
        if site is not None and stale:
            page.figures = type(page).compute_figures(site, page.year)
        if commit:
            page.save()
        return page
