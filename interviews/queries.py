"""Reading interviews: the index sections, the transcript tree and the polling delta."""

from __future__ import annotations

from django.db.models import Q
from django.utils import timezone
from wagtail.models import Page

from portal import params

from .models import Entry, Guest, InterviewPage, Question, Status


def pages_showing_guest(guest: Guest):
    """Where a guest is shown (``portal.pagecache.shown_on``): the interviews that list them or
    hold an answer of theirs (and, with them, the pages that refer to those)."""
    interviews = InterviewPage.objects.filter(Q(guest_links__guest=guest) | Q(entries__guest=guest))
    return Page.objects.filter(pk__in=interviews.values("pk"))


def interviews_below(index_page):
    return (
        InterviewPage.objects.child_of(index_page).live().select_related("state", "cover").order_by("-scheduled_start")
    )


def index_sections(index_page, requested_year: str) -> dict:
    """Live now, upcoming (soonest first) and the archive of one year (newest first)."""
    now = timezone.now()
    live, upcoming, archive = [], [], []
    for interview in interviews_below(index_page):
        status = interview.status(now)
        {Status.LIVE: live, Status.UPCOMING: upcoming, Status.ENDED: archive}[status].append(interview)
    years = sorted({timezone.localtime(item.scheduled_start).year for item in archive}, reverse=True)
    requested = params.year(requested_year)  # Http404 for what is not a year
    year = requested if requested in years else None
    year = year or (years[0] if years else None)
    return {
        "live_interviews": live,
        "upcoming": list(reversed(upcoming)),
        "archive": [item for item in archive if timezone.localtime(item.scheduled_start).year == year],
        "years": years,
        "year": year,
    }


def transcript(interview: InterviewPage) -> list[Entry]:
    """Top-level entries in order, each question with ``answer_list`` (its visible answers)."""
    entries = list(interview.entries.filter(hidden=False).select_related("image"))
    answers: dict[int, list[Entry]] = {}
    for entry in entries:
        if entry.parent_id:
            answers.setdefault(entry.parent_id, []).append(entry)
    top = [entry for entry in entries if not entry.parent_id]
    for entry in top:
        entry.answer_list = answers.get(entry.pk, [])
    return top


def changed_since(interview_id: int, revision: int):
    """Entries added or changed after ``revision`` (hidden ones too, so clients drop them)."""
    return Entry.objects.filter(interview_id=interview_id, revision__gt=revision).select_related("image")


def policy_interviews(policy_page):
    """Live interviews about a policy or interpretation (shown on the policy page)."""
    return (
        InterviewPage.objects.live()
        .filter(policy_links__policy__translation_key=policy_page.translation_key, locale_id=policy_page.locale_id)
        .select_related("state")
        .order_by("-scheduled_start")
        .distinct()
    )


def pending_questions(interview):
    return interview.questions.filter(moderation=Question.Moderation.PENDING).select_related("guest")


def unanswered_questions(interview):
    """Approved questions without a visible answer: the guests' queue, and after the end
    the ones that need a written reply."""
    return (
        interview.questions.filter(moderation=Question.Moderation.APPROVED)
        .exclude(entry__answers__hidden=False)
        .select_related("guest", "entry")
        .distinct()
    )


def guests_of(interview):
    return Guest.objects.filter(interview_links__page=interview)
