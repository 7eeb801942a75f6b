"""The public's comment form and the survey form (built from the survey's questions)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.forms import PlainCharField, PublicForm

from .models import RATING_CHOICES

TEXT_ANSWER_MAX = 1000


class CommentForm(PublicForm):
    name = PlainCharField(
        label=_("姓名或单位"),
        max_length=50,
        required=False,
        help_text=_("可选，不会公开。"),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    contact = PlainCharField(
        label=_("联系方式"),
        max_length=100,
        required=False,
        help_text=_("可选，电话或电子邮箱，仅用于就您的意见与您联系，不会公开。"),
        widget=forms.TextInput(attrs={"autocomplete": "email"}),
    )
    content = PlainCharField(
        label=_("意见内容"),
        min_length=10,
        max_length=3000,
        help_text=_("10 至 3000 字。请写明针对的条款及修改建议和理由。意见经审核后公开，不显示姓名和联系方式。"),
        widget=forms.Textarea(attrs={"rows": 10}),
    )

    field_order = ["content", "name", "contact"]


def field_name(block_id: str) -> str:
    return f"q_{block_id}"


class SurveyForm(PublicForm):
    """One field per question block, named ``q_<block id>``. ``answers()`` returns
    (block id, choices, text) for what was answered."""

    def __init__(self, *args, survey, **kwargs):
        self.survey = survey
        self.questions = list(survey.questions)
        super().__init__(*args, **kwargs)
        # The question fields come before the honeypot, fill-time and captcha fields.
        questions = {}
        for number, block in enumerate(self.questions, start=1):
            question = self.make_field(number, block)
            question.error_messages.update(self.plain_messages(question))
            if block.block_type == "multiple":
                question.error_messages["required"] = _("请至少选择一项。")
            questions[field_name(block.id)] = question
        self.fields = {**questions, **self.fields}

    @staticmethod
    def make_field(number: int, block) -> forms.Field:
        value = block.value
        label = f"{number}. {value['question']}"
        common = {"label": label, "required": bool(value.get("required")), "help_text": value.get("help_text") or ""}
        kind = block.block_type
        if kind == "single":
            options = [(option, option) for option in value["options"]]
            return forms.ChoiceField(choices=options, widget=forms.RadioSelect, **common)
        if kind == "multiple":
            options = [(option, option) for option in value["options"]]
            return forms.MultipleChoiceField(choices=options, widget=forms.CheckboxSelectMultiple, **common)
        if kind == "rating":
            ends = {"1": value.get("low_label") or "", "5": value.get("high_label") or ""}
            options = [(score, f"{score}（{ends[score]}）" if ends.get(score) else score) for score in RATING_CHOICES]
            return forms.ChoiceField(choices=options, widget=forms.RadioSelect(attrs={"class": "rating"}), **common)
        privacy = _("文字回答仅供调查单位分析使用，不会公开。")
        common["help_text"] = f"{common['help_text']} {privacy}" if common["help_text"] else privacy
        return PlainCharField(max_length=TEXT_ANSWER_MAX, widget=forms.Textarea(attrs={"rows": 4}), **common)

    def copy_kwargs(self) -> dict:
        return {"survey": self.survey}

    def fresh_copy(self):
        keep = {}
        for name, bound in self.fields.items():
            if name in ("captcha", "started", "website"):
                continue
            if isinstance(bound, forms.MultipleChoiceField):
                keep[name] = self.data.getlist(name) if hasattr(self.data, "getlist") else self.data.get(name)
            elif self.data.get(name) is not None:
                keep[name] = self.data.get(name)
        return type(self)(initial=keep, **self.copy_kwargs())

    def question_fields(self):
        return [self[field_name(block.id)] for block in self.questions]

    def answers(self) -> list[tuple[str, list[str], str]]:
        rows = []
        for block in self.questions:
            value = self.cleaned_data.get(field_name(block.id))
            if not value:
                continue
            if block.block_type == "text":
                rows.append((block.id, [], value))
            elif block.block_type == "multiple":
                rows.append((block.id, list(value), ""))
            else:
                rows.append((block.id, [value], ""))
        return rows
