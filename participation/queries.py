"""Reading consultations and surveys for public pages.

Only approved comments, and only their content and date, are ever read for a public page;
survey results are counts of choices (free-text answers are not read here at all)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.navigation import public_only

from .models import RATING_CHOICES, Comment, ConsultationPage, Status, SurveyAnswer, SurveyPage

# The only comment fields a public page may read (no name, no contact).
PUBLIC_COMMENT_FIELDS = ("id", "page_id", "content", "created_at")


def _sections(pages, now) -> list[tuple[str, str, list]]:
    """(status, heading, pages): open (closing soonest first), upcoming (opening soonest
    first), closed (most recently closed first)."""
    groups = {status: [] for status in Status}
    for page in pages:
        groups[page.status(now)].append(page)
    groups[Status.OPEN].sort(key=lambda page: (page.closes_at, page.pk))
    groups[Status.UPCOMING].sort(key=lambda page: (page.opens_at, page.pk))
    groups[Status.CLOSED].sort(key=lambda page: (page.closes_at, page.pk), reverse=True)
    return [(status, Status(status).label, groups[status]) for status in (Status.OPEN, Status.UPCOMING, Status.CLOSED)]


def consultation_sections(index_page, request, now=None):
    pages = public_only(ConsultationPage.objects.child_of(index_page).live(), request).annotate(
        approved_count=Count("comments", filter=Q(comments__status=Comment.Moderation.APPROVED)),
        received_count=Count("comments"),
    )
    return _sections(pages.defer("body"), now or timezone.now())


def survey_sections(index_page, request, now=None):
    pages = public_only(SurveyPage.objects.child_of(index_page).live(), request).annotate(
        response_count=Count("responses")
    )
    return _sections(pages.defer("questions"), now or timezone.now())


def approved_comments(page: ConsultationPage):
    return (
        Comment.objects.filter(page=page, status=Comment.Moderation.APPROVED)
        .only(*PUBLIC_COMMENT_FIELDS)
        .order_by("created_at", "pk")
    )


def received_count(page: ConsultationPage) -> int:
    """Comments received on the site (whatever their moderation) plus those received by
    other channels, as the outcome section reports them."""
    return page.comments.count() + page.offline_count


# ---- survey results ---------------------------------------------------------------------
@dataclass
class OptionResult:
    label: str
    count: int
    display: str
    percent: float  # of the respondents who answered the question


@dataclass
class QuestionResult:
    number: int
    block_id: str
    kind: str
    question: str
    answered: int = 0
    options: list[OptionResult] = field(default_factory=list)
    average: float | None = None


def rating_label(value, score: str) -> str:
    """``1 分（很不满意）``: the ends of the scale carry the editor's words."""
    text = _("%(score)s 分") % {"score": score}
    meaning = {"1": value.get("low_label"), "5": value.get("high_label")}.get(score)
    return f"{text}（{meaning}）" if meaning else text


def survey_results(page: SurveyPage) -> tuple[int, list[QuestionResult]]:
    """(responses, results per question). Choice and rating questions get counts and
    percentages; free-text questions only the number of respondents who wrote something."""
    answers = SurveyAnswer.objects.filter(response__page=page)
    total = page.responses.count()
    counts: dict[tuple[str, str], int] = {
        (row["question"], row["choice"]): row["n"]
        for row in answers.exclude(choice="").values("question", "choice").annotate(n=Count("id"))
    }
    answered = dict(answers.values_list("question").annotate(n=Count("response", distinct=True)))
    results = []
    for number, block in enumerate(page.questions, start=1):
        value = block.value
        result = QuestionResult(number, block.id, block.block_type, value["question"], answered.get(block.id, 0))
        if block.block_type in ("single", "multiple", "rating"):
            labels = list(value["options"]) if block.block_type != "rating" else RATING_CHOICES
            for label in labels:
                count = counts.get((block.id, label), 0)
                percent = round(100 * count / result.answered, 1) if result.answered else 0.0
                display = rating_label(value, label) if block.block_type == "rating" else label
                result.options.append(OptionResult(label, count, display, percent))
            if block.block_type == "rating" and result.answered:
                score = sum(int(option.label) * option.count for option in result.options)
                result.average = round(score / result.answered, 1)
        results.append(result)
    return total, results
