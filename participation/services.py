"""Every change to comments and survey responses goes through here."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal import pagecache

from .models import Comment, ConsultationPage, SurveyAnswer, SurveyPage, SurveyResponse


class Closed(Exception):
    """The consultation or survey does not accept submissions now."""


def submit_comment(page: ConsultationPage, name: str, contact: str, content: str) -> Comment:
    if not page.is_open:
        raise Closed
    return Comment.objects.create(page=page, name=name.strip(), contact=contact.strip(), content=content.strip())


def moderate(comment: Comment, user, approve: bool) -> Comment:
    comment.status = Comment.Moderation.APPROVED if approve else Comment.Moderation.REJECTED
    comment.moderated_at = timezone.now()
    comment.moderated_by = user
    comment.save(update_fields=["status", "moderated_at", "moderated_by"])
    # The consultation page and its index show approved comments and their count.
    pagecache.purge_page(comment.page)
    return comment


@transaction.atomic
def submit_response(page: SurveyPage, answers: list[tuple[str, list[str], str]]) -> SurveyResponse:
    """One response and its answers, all or nothing."""
    if not page.is_open:
        raise Closed
    response = SurveyResponse.objects.create(page=page)
    rows = []
    for question, choices, text in answers:
        if text:
            rows.append(SurveyAnswer(response=response, question=question, text=text))
        rows += [SurveyAnswer(response=response, question=question, choice=choice) for choice in choices]
    SurveyAnswer.objects.bulk_create(rows)
    return response


# ---- export ------------------------------------------------------------------------------
def export_rows(page: SurveyPage):
    """The header, then one row per response: time and every question's answer (options of
    a multiple-choice question joined by “；”). Cells are neutralised by ``portal.exports``."""
    blocks = list(page.questions)
    header = [_("答卷编号"), _("提交时间")] + [f"{n}. {block.value['question']}" for n, block in enumerate(blocks, 1)]
    yield header
    responses = page.responses.prefetch_related("answers").order_by("created_at", "pk")
    for response in responses:
        by_question: dict[str, list[str]] = {}
        for answer in response.answers.all():
            by_question.setdefault(answer.question, []).append(answer.choice or answer.text)
        row = [response.pk, timezone.localtime(response.created_at).strftime("%Y-%m-%d %H:%M:%S")]
        row += ["；".join(by_question.get(block.id, [])) for block in blocks]
        yield row
