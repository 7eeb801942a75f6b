"""Everything that changes an interview's live part, in one place.

Each change runs in one transaction that also bumps ``InterviewState.revision`` and stamps
the changed entry with it, so the polling endpoint can answer "what changed since
revision N" with one indexed query, and "nothing" with none. Rules that the host, guest
and public views share (no posting after the end, only approved questions in the
transcript, a guest only in their own interview) are enforced here, not in the views.
"""

from __future__ import annotations

import secrets

from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.errors import PermissionRefused

from .models import Entry, Guest, GuestInvitation, InterviewPage, InterviewState, Question, Status

TOKEN_SALT = "interviews.guest-invitation"


def _state_for_update(interview: InterviewPage) -> InterviewState:
    """The state row, locked for this transaction (created on first use)."""
    InterviewState.objects.get_or_create(page=interview)
    state = InterviewState.objects.select_for_update().get(page=interview)
    interview.state = state
    return state


def _bump(state: InterviewState) -> int:
    InterviewState.objects.filter(pk=state.pk).update(revision=F("revision") + 1)
    state.refresh_from_db(fields=["revision"])
    return state.revision


def _require_live(interview: InterviewPage) -> None:
    status = interview.status()
    if status == Status.UPCOMING:
        raise ValidationError(_("访谈尚未开始，开始直播后才能发布内容。"))
    if status == Status.ENDED:
        raise ValidationError(_("访谈已结束，不能再发布内容。"))


# ---- the public ------------------------------------------------------------------------
def submit_question(interview: InterviewPage, name: str, content: str) -> Question:
    if not interview.accepts_questions():
        raise ValidationError(_("本期访谈已结束，不再接收提问。"))
    return Question.objects.create(interview=interview, name=name.strip(), content=content.strip())


# ---- the host --------------------------------------------------------------------------
def start(interview: InterviewPage, user) -> None:
    with transaction.atomic():
        state = _state_for_update(interview)
        if state.ended_at:
            raise ValidationError(_("访谈已结束，不能重新开始。"))
        if state.started_at:
            return
        state.started_at = timezone.now()
        state.save(update_fields=["started_at"])
        _bump(state)


def end(interview: InterviewPage, user) -> None:
    with transaction.atomic():
        state = _state_for_update(interview)
        if not state.started_at:
            raise ValidationError(_("访谈尚未开始。"))
        if state.ended_at:
            return
        state.ended_at = timezone.now()
        state.save(update_fields=["ended_at"])
        _bump(state)


def moderate(question: Question, user, approve: bool, guest: Guest | None = None) -> Entry | None:
    """Approve (the question enters the public transcript) or reject (it never will)."""
    interview = question.interview
    with transaction.atomic():
        state = _state_for_update(interview)
        question = Question.objects.select_for_update().get(pk=question.pk)
        if question.moderation != Question.Moderation.PENDING:
            raise ValidationError(_("该问题已审核过。"))
        if guest is not None:
            _require_guest_of(interview, guest)
            question.guest = guest
        question.moderation = Question.Moderation.APPROVED if approve else Question.Moderation.REJECTED
        question.moderated_at = timezone.now()
        question.moderated_by = user
        question.save()
        if not approve:
            return None
        return Entry.objects.create(
            interview=interview,
            kind=Entry.Kind.QUESTION,
            question=question,
            speaker=question.name,
            text=question.content,
            revision=_bump(state),
            author=user,
        )


def assign(question: Question, guest: Guest | None) -> None:
    if guest is not None:
        _require_guest_of(question.interview, guest)
    question.guest = guest
    question.save(update_fields=["guest"])


def post_host_entry(interview: InterviewPage, user, text: str, image=None, image_alt: str = "") -> Entry:
    if image is not None and not image_alt.strip():
        raise ValidationError(_("请为图片填写替代文字。"))
    with transaction.atomic():
        state = _state_for_update(interview)
        _require_live(interview)
        return Entry.objects.create(
            interview=interview,
            kind=Entry.Kind.HOST,
            speaker=interview.host,
            text=text.strip(),
            image=image,
            image_alt=image_alt.strip(),
            revision=_bump(state),
            author=user,
        )


def correct(entry: Entry, user, text: str) -> None:
    """Replace an entry's text; the public sees it marked as edited."""
    with transaction.atomic():
        state = _state_for_update(entry.interview)
        entry.text = text.strip()
        entry.edited_at = timezone.now()
        entry.revision = _bump(state)
        entry.save(update_fields=["text", "edited_at", "revision"])


def set_hidden(entry: Entry, user, hidden: bool) -> None:
    with transaction.atomic():
        state = _state_for_update(entry.interview)
        entry.hidden = hidden
        entry.revision = _bump(state)
        entry.save(update_fields=["hidden", "revision"])
        if hidden and state.pinned_id == entry.pk:
            state.pinned = None
            state.save(update_fields=["pinned"])


def pin(interview: InterviewPage, entry: Entry | None) -> None:
    with transaction.atomic():
        state = _state_for_update(interview)
        if entry is not None and (entry.interview_id != interview.pk or entry.hidden):
            raise ValidationError(_("只能置顶本期访谈已发布的内容。"))
        state.pinned = entry
        state.save(update_fields=["pinned"])
        _bump(state)


def written_reply(question: Question, user, guest: Guest, text: str) -> Entry:
    """After the end: a written reply (书面答复) to an approved question, added to the archive."""
    interview = question.interview
    if interview.status() != Status.ENDED:
        raise ValidationError(_("书面答复在访谈结束后添加；直播中请由嘉宾在线回答。"))
    if question.moderation != Question.Moderation.APPROVED:
        raise ValidationError(_("只能答复已通过审核的问题。"))
    with transaction.atomic():
        state = _state_for_update(interview)
        return _answer(interview, state, question.entry, guest, text, user=user, written=True)


# ---- guests ----------------------------------------------------------------------------
def _require_guest_of(interview: InterviewPage, guest: Guest) -> None:
    if not interview.guest_links.filter(guest=guest).exists():
        raise PermissionRefused(_("该嘉宾不是本期访谈的嘉宾。"))


def guest_answer(interview: InterviewPage, guest: Guest, text: str, question: Question | None = None) -> Entry:
    """A guest's answer to an approved question, or a remark of their own."""
    _require_guest_of(interview, guest)
    if question is not None:
        if question.interview_id != interview.pk:
            raise PermissionDenied
        if question.moderation != Question.Moderation.APPROVED:
            raise ValidationError(_("该问题尚未通过审核。"))
    with transaction.atomic():
        state = _state_for_update(interview)
        _require_live(interview)
        return _answer(interview, state, question.entry if question else None, guest, text)


def _answer(interview, state, parent: Entry | None, guest: Guest, text: str, user=None, written=False) -> Entry:
    """Inside the caller's transaction, holding the interview's locked ``state``."""
    text = text.strip()
    if not text:
        raise ValidationError(_("回答内容不能为空。"))
    return Entry.objects.create(
        interview=interview,
        kind=Entry.Kind.ANSWER if parent else Entry.Kind.GUEST,
        parent=parent,
        guest=guest,
        speaker=guest.name,
        text=text,
        written=written,
        revision=_bump(state),
        author=user,
    )


def invite(interview: InterviewPage, guest: Guest, user, expires_at=None) -> tuple[GuestInvitation, str]:
    """A new personal link for a guest of this interview; returns (invitation, token)."""
    _require_guest_of(interview, guest)
    invitation = GuestInvitation.objects.create(
        interview=interview,
        guest=guest,
        nonce=secrets.token_urlsafe(24),
        expires_at=expires_at or GuestInvitation.default_expiry(interview),
        created_by=user,
    )
    return invitation, token_for(invitation)


def token_for(invitation: GuestInvitation) -> str:
    return signing.dumps({"i": invitation.pk, "p": invitation.interview_id, "n": invitation.nonce}, salt=TOKEN_SALT)


def revoke(invitation: GuestInvitation) -> None:
    if invitation.revoked_at is None:
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])


def invitation_from_token(token: str, interview_id: int) -> GuestInvitation:
    """The invitation a link stands for, only for the interview in the link, while valid.
    Anything else is refused with ``PermissionRefused``, whose message the 403 page shows."""
    try:
        data = signing.loads(token, salt=TOKEN_SALT)
    except signing.BadSignature:
        raise PermissionRefused(_("嘉宾链接无效。")) from None
    if not isinstance(data, dict) or data.get("p") != interview_id:
        raise PermissionRefused(_("该链接不属于本期访谈。"))
    invitation = (
        GuestInvitation.objects.filter(pk=data.get("i"), interview_id=interview_id)
        .select_related("guest", "interview")
        .first()
    )
    if invitation is None or not secrets.compare_digest(invitation.nonce, str(data.get("n", ""))):
        raise PermissionRefused(_("嘉宾链接无效。"))
    if invitation.revoked_at is not None:
        raise PermissionRefused(_("该嘉宾链接已被主持人撤销。"))
    if not invitation.is_valid():
        raise PermissionRefused(_("该嘉宾链接已过期。"))
    return invitation
