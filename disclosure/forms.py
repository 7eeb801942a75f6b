from django import forms
from django.utils.translation import gettext_lazy as _

from guides.models import Theme
from home.models import PolicyDocumentPage
from portal import languages

from .models import CatalogueEntry
from .services import POLICY_FIELDS, STAFF_FIELDS


class EntryForm(forms.ModelForm):
    """The staff's part of a page's 信息索引; a policy document's own fields show, disabled."""

    class Meta:
        model = CatalogueEntry
        fields = STAFF_FIELDS
        widgets = {"written_date": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args, page, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["theme"].queryset = Theme.objects.filter(locale__language_code=languages.CHINESE)
        if isinstance(page, PolicyDocumentPage):
            for name in POLICY_FIELDS:
                self.fields[name].disabled = True
                self.fields[name].required = False
                self.fields[name].help_text = _("由政策文件的“文件信息”决定，请在页面编辑中修改并发布。")
