"""The application form, the applicant's clarification, and the staff action forms."""

from __future__ import annotations

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from correspondence.forms import PHONE, LookupForm, MultipleFileField, check_attachments
from portal.forms import PlainCharField, PublicForm
from portal.permissions import site_label, staff_of

from .models import ApplicantType, Channel, Delivery, IdType, Review
from .outcomes import Outcome, Reason

__all__ = ["ApplicationForm", "ClarifyForm", "LookupForm"]

ID_CARD = re.compile(r"^\d{17}[\dX]$")
ID_CARD_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CARD_CHECK = "10X98765432"
CREDIT_CODE = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$")
OTHER_ID = re.compile(r"^[0-9A-Za-z\-]{5,40}$")
POSTCODE = re.compile(r"^\d{6}$")


def id_card_check_digit(first17: str) -> str:
    """The 18th character of a 居民身份证 number (GB 11643) for its first 17 digits."""
    total = sum(int(digit) * weight for digit, weight in zip(first17, ID_CARD_WEIGHTS, strict=True))
    return ID_CARD_CHECK[total % 11]


def valid_id_card(number: str) -> bool:
    return bool(ID_CARD.match(number)) and id_card_check_digit(number[:17]) == number[17]


APPLICANT_CHOICES = [
    ("", _("请选择")),
    (ApplicantType.PERSON.value, ApplicantType.PERSON.label),
    (_("法人或其他组织"), [(choice.value, choice.label) for choice in ApplicantType if choice != ApplicantType.PERSON]),
]


class ApplicantFields(forms.Form):
    """What an application says, whether typed in by the applicant online or by staff from paper."""

    applicant_type = forms.ChoiceField(
        label=_("申请人类型"),
        choices=APPLICANT_CHOICES,
        help_text=_("法人或其他组织请选择所属类别。"),
    )
    name = PlainCharField(
        label=_("姓名或名称"),
        max_length=100,
        help_text=_("自然人填写姓名；法人或其他组织填写全称。"),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    id_type = forms.ChoiceField(label=_("证件类型"), choices=[("", _("请选择"))] + IdType.choices)
    id_number = forms.CharField(
        label=_("证件号码"),
        max_length=40,
        help_text=_("法人或其他组织填写统一社会信用代码。证件号码只用于办理，不会公开。"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    contact_name = PlainCharField(
        label=_("联系人"),
        max_length=50,
        required=False,
        help_text=_("法人或其他组织必填。"),
    )
    phone = forms.CharField(
        label=_("联系电话"), max_length=20, widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"})
    )
    email = forms.EmailField(
        label=_("电子邮箱"),
        required=False,
        max_length=254,
        help_text=_("选择电子邮件获取时必填；填写后可收到受理、补正和答复通知。"),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    address = PlainCharField(
        label=_("通信地址"),
        max_length=200,
        required=False,
        help_text=_("选择邮寄时必填。"),
        widget=forms.Textarea(attrs={"autocomplete": "street-address", "rows": 2}),
    )
    postcode = forms.CharField(
        label=_("邮政编码"),
        max_length=6,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "postal-code", "inputmode": "numeric"}),
    )
    info_title = PlainCharField(label=_("所需信息的名称"), min_length=4, max_length=200)
    info_number = PlainCharField(label=_("所需信息的文号"), max_length=100, required=False, help_text=_("可选。"))
    info_description = PlainCharField(
        label=_("所需信息的描述"),
        min_length=10,
        max_length=2000,
        help_text=_("10 至 2000 字。写明信息的内容、形成时间、制作机关等便于查找的特征。"),
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    delivery = forms.ChoiceField(label=_("获取方式"), choices=[("", _("请选择"))] + Delivery.choices)
    attachments = MultipleFileField(
        label=_("身份证明材料"),
        required=False,
        help_text=_("可选。身份证件或营业执照的扫描件，最多 3 个文件，每个不超过 5 MB，只接受 PDF、JPG、PNG。"),
    )

    field_order = [
        "applicant_type",
        "name",
        "id_type",
        "id_number",
        "contact_name",
        "phone",
        "email",
        "address",
        "postcode",
        "info_title",
        "info_number",
        "info_description",
        "delivery",
        "attachments",
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():  # the public forms' plain wording, also for staff
            field.error_messages.update(PublicForm.plain_messages(field))

    def clean_phone(self):
        phone = self.cleaned_data["phone"].strip()
        if not PHONE.match(phone):
            raise ValidationError(_("请填写正确的电话号码，只能包含数字、空格和 + - ( )。"))
        return phone

    def clean_id_number(self):
        return self.cleaned_data["id_number"].strip().upper().replace(" ", "")

    def clean_postcode(self):
        postcode = self.cleaned_data["postcode"].strip()
        if postcode and not POSTCODE.match(postcode):
            raise ValidationError(_("邮政编码是 6 位数字。"))
        return postcode

    def clean_attachments(self):
        return check_attachments(self.cleaned_data.get("attachments") or [])

    def clean(self):
        cleaned = super().clean()
        kind, id_type, number = cleaned.get("applicant_type"), cleaned.get("id_type"), cleaned.get("id_number")
        organisation = kind and kind != ApplicantType.PERSON
        if organisation and id_type and id_type != IdType.CREDIT_CODE:
            self.add_error("id_type", _("法人或其他组织请选择统一社会信用代码。"))
        elif kind == ApplicantType.PERSON and id_type == IdType.CREDIT_CODE:
            self.add_error("id_type", _("自然人请选择身份证件。"))
        elif id_type and number:
            if id_type == IdType.ID_CARD and not valid_id_card(number):
                self.add_error("id_number", _("居民身份证号码应为 18 位，且校验位正确。"))
            elif id_type == IdType.CREDIT_CODE and not CREDIT_CODE.match(number):
                self.add_error("id_number", _("统一社会信用代码应为 18 位数字或大写字母。"))
            elif id_type not in (IdType.ID_CARD, IdType.CREDIT_CODE) and not OTHER_ID.match(number):
                self.add_error("id_number", _("证件号码只能包含字母、数字和连字符，5 至 40 位。"))
        if organisation and not cleaned.get("contact_name"):
            self.add_error("contact_name", _("法人或其他组织请填写联系人。"))
        delivery = cleaned.get("delivery")
        if delivery == Delivery.EMAIL and not cleaned.get("email") and "email" not in self.errors:
            self.add_error("email", _("选择电子邮件获取时，请填写电子邮箱。"))
        if delivery == Delivery.POST and not cleaned.get("address"):
            self.add_error("address", _("选择邮寄时，请填写通信地址。"))
        return cleaned


class ApplicationForm(ApplicantFields, PublicForm):
    """The public form: the application, captcha, honeypot and fill time (``PublicForm``)."""


class ClarifyForm(PublicForm):
    """补正, sent from the lookup by the applicant who has just looked the application up."""

    text = PlainCharField(
        label=_("补正内容"),
        min_length=4,
        max_length=2000,
        help_text=_("按照补正告知的要求，写明所需信息的名称、文号或其他特征性描述。"),
        widget=forms.Textarea(attrs={"rows": 6}),
    )


# ---- staff ------------------------------------------------------------------------------------
def _today():
    return timezone.localdate()


class DayField(forms.DateField):
    """The day a step happened, today unless staff record an earlier one."""

    def __init__(self, label, **kwargs):
        kwargs.setdefault("initial", _today)
        super().__init__(label=label, widget=forms.DateInput(attrs={"type": "date"}), **kwargs)


class PaperApplicationForm(ApplicantFields):
    """An application that came on paper (信函, 当面, 传真), typed in by staff: it is registered
    on the day it was received."""

    page = forms.ModelChoiceField(label=_("受理机关"), queryset=None, empty_label=_("请选择"))
    channel = forms.ChoiceField(
        label=_("申请方式"), choices=[(c.value, c.label) for c in Channel if c != Channel.ONLINE]
    )
    received_on = DayField(label=_("收到申请日期"))

    field_order = ["page", "channel", "received_on", *ApplicantFields.field_order]

    def __init__(self, *args, pages, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["page"].queryset = pages
        self.fields["page"].label_from_instance = lambda page: f"{site_label(page.get_site())}：{page.title}"


class RegisterForm(forms.Form):
    received_on = DayField(label=_("收到申请日期"))


class AssignForm(forms.Form):
    assignee = forms.ModelChoiceField(label=_("承办人"), queryset=None)
    note = forms.CharField(label=_("说明"), required=False, max_length=500)

    def __init__(self, *args, application, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = staff_of(application.page)


class ExtendForm(forms.Form):
    text = forms.CharField(label=_("延期理由（告知申请人）"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    on = DayField(label=_("决定延期日期"))


class ClarifyRequestForm(forms.Form):
    text = forms.CharField(
        label=_("需要补正的事项（告知申请人）"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    deadline = forms.DateField(
        label=_("补正期限"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("留空为告知之日起 15 个工作日。"),
    )
    on = DayField(label=_("告知日期"))


class ClarifiedForm(forms.Form):
    text = forms.CharField(label=_("补正内容"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    on = DayField(label=_("收到补正日期"))


class ConsultForm(forms.Form):
    third_party = forms.CharField(label=_("第三方"), max_length=200)
    on = DayField(label=_("发出征求意见日期"))


class ConsultEndForm(forms.Form):
    note = forms.CharField(
        label=_("第三方意见"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    on = DayField(label=_("收到意见或期满日期"))


class DecideForm(forms.Form):
    outcome = forms.ChoiceField(label=_("办理结果"), choices=[("", _("请选择"))] + Outcome.choices)
    reason = forms.ChoiceField(
        label=_("理由"),
        required=False,
        choices=[("", _("（予以公开、部分公开不需要）"))] + Reason.choices,
    )
    text = forms.CharField(
        label=_("答复内容（写入告知书）"), max_length=10000, widget=forms.Textarea(attrs={"rows": 8})
    )
    on = DayField(label=_("答复日期"))


class ReviewForm(forms.ModelForm):
    class Meta:
        model = Review
        fields = ["kind", "filed_on", "body", "result", "concluded_on", "note"]
        widgets = {
            "filed_on": forms.DateInput(attrs={"type": "date"}),
            "concluded_on": forms.DateInput(attrs={"type": "date"}),
            "note": forms.Textarea(attrs={"rows": 2}),
        }


class ReviewResultForm(forms.ModelForm):
    class Meta:
        model = Review
        fields = ["result", "concluded_on", "note"]
        widgets = {"concluded_on": forms.DateInput(attrs={"type": "date"}), "note": forms.Textarea(attrs={"rows": 2})}
