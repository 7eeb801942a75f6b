"""The 报送省局网站 form: a target column of the main site and a note to its reviewers."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from . import services


class ColumnChoiceField(forms.ModelChoiceField):
    def __init__(self, *args, top_depth: int = 0, **kwargs):
        self.top_depth = top_depth
        super().__init__(*args, **kwargs)

    def label_from_instance(self, column):
        """Titles indented by their level below the main site's home page (tree order)."""
        return "　" * max(column.depth - self.top_depth, 0) + column.title


class SubmitForm(forms.Form):
    column = ColumnChoiceField(
        queryset=None,
        label=_("省局网站目标栏目"),
        empty_label=_("请选择栏目"),
        error_messages={
            "required": _("请选择省局网站的目标栏目。"),
            "invalid_choice": _("请选择省局网站中可以接收该文章的栏目。"),
        },
    )
    note = forms.CharField(
        label=_("报送说明"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("可选，写给省局网站审核人员。"),
    )

    def __init__(self, *args, page, **kwargs):
        super().__init__(*args, **kwargs)
        self.page = page
        columns = services.target_columns(page)
        main = services.main_site()
        self.fields["column"].queryset = columns
        self.fields["column"].top_depth = main.root_page.depth + 1 if main else 0

    def clean_column(self):
        column = self.cleaned_data["column"]
        previous = services.existing(self.page, column)
        if previous:
            raise forms.ValidationError(
                _("该文章已报送到此栏目，当前状态：%(status)s。"),
                params={"status": previous.get_status_display()},
            )
        return column
