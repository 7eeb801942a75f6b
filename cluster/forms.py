from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.models import Site

from .models import SiteTemplate


class OpenSiteForm(forms.Form):
    name = forms.CharField(label=_("网站名称"), max_length=100, help_text=_("完整名称，例如“国家税务总局丙县税务局”。"))
    hostname = forms.CharField(label=_("域名"), max_length=253, help_text=_("例如 bing.tax-shili.example。"))
    parent = forms.ModelChoiceField(
        label=_("上级网站"),
        queryset=Site.objects.order_by("-is_default_site", "site_name"),
        required=False,
        help_text=_("上级税务局的网站：市局选省局，县局选所属市局。"),
    )
    template = forms.ModelChoiceField(label=_("站点模板"), queryset=SiteTemplate.objects.all(), empty_label=None)
    organisation_code = forms.CharField(
        label=_("机构代码"), max_length=30, help_text=_("统一社会信用代码或组织机构代码。")
    )
    site_code = forms.RegexField(
        label=_("网站标识码"),
        regex=r"^[0-9A-Za-z]{10}$",
        required=False,
        error_messages={"invalid": _("网站标识码是10位字母或数字。")},
    )
    short_name = forms.CharField(
        label=_("标志文字"), max_length=40, required=False, help_text=_("页眉中的简称；留空则去掉“国家税务总局”。")
    )
    email = forms.EmailField(label=_("联系邮箱"), required=False, help_text=_("页脚的电子邮箱；新来信通知发往这里。"))
    phone = forms.CharField(label=_("联系电话"), max_length=60, required=False)
    address = forms.CharField(label=_("地址"), max_length=200, required=False)
    postcode = forms.RegexField(
        label=_("邮政编码"), regex=r"^\d{6}$", required=False, error_messages={"invalid": _("邮政编码是6位数字。")}
    )

    def clean_hostname(self):
        return self.cleaned_data["hostname"].strip().lower()


class CloseSiteForm(forms.Form):
    notice = forms.CharField(
        label=_("关停公告"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=_("访问者在本站任何地址看到的说明，例如“本站已整合至甲市税务局网站”。"),
    )
