"""Everything that changes a letter, in one place: receiving it, assigning, extending,
answering, sign-off (签批), publishing. Each step is saved with its timeline entry and its
e-mails in one transaction: the mails go to the outbox (portal/outbox.py), which the sender
delivers later, so a step that is rolled back leaves no mail and a saved step always has its
mail queued. Should the outbox refuse a mail, that is logged and noted in the timeline and
the step is kept."""

from __future__ import annotations

import logging
import secrets

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.errors import PermissionRefused
from portal.permissions import in_editable_trees, staff_of
from portal.workdays import WorkCalendar

from .models import Letter, LetterAttachment, LetterEvent, MailboxPage

logger = logging.getLogger(__name__)

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: codes are read aloud and retyped
# A stored hash to compare against when a code does not exist, so a lookup for an unknown
# code costs as much as one for a known code with a wrong password.
_DUMMY_HASH = None


def random_code(length: int) -> str:
    """Characters of ``CODE_ALPHABET`` drawn at random (the codes' tails, the passwords)."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(length))


def new_code(now=None, prefix: str = "XJ") -> str:
    now = timezone.localtime(now)
    return f"{prefix}{now:%y%m%d}{random_code(6)}"


def save_with_new_code(record, when, prefix: str = "XJ") -> None:
    """Save ``record`` (a letter, a 依申请公开 application) under a new 查询码 of the day ``when``;
    a code already taken is drawn again, up to five times."""
    for _attempt in range(5):
        record.code = new_code(when, prefix)
        try:
            with transaction.atomic():
                record.save()
            return
        except IntegrityError:
            continue
    raise IntegrityError("could not find a free lookup code")


def due_date_for(mailbox: MailboxPage, received_at, calendar: WorkCalendar | None = None):
    calendar = calendar or WorkCalendar.load()
    return calendar.add_workdays(timezone.localdate(received_at), mailbox.reply_days)


def log_event(letter: Letter, action: str, user=None, note: str = "", when=None) -> LetterEvent:
    return LetterEvent.objects.create(
        letter=letter, action=action, user=user, note=note, created_at=when or timezone.now()
    )


def submit_letter(mailbox: MailboxPage, site, data: dict, files: list, language: str) -> tuple[Letter, str]:
    """Save a letter from the public form with its attachments; returns (letter, password).
    Nothing is left behind when any part fails."""
    password = random_code(8)
    received_at = timezone.now()
    written = []
    try:
        with transaction.atomic():
            letter = Letter(
                mailbox=mailbox,
                site=site,
                password_hash=make_password(password),
                language=language,
                name=data["name"],
                phone=data.get("phone", ""),
                email=data.get("email", ""),
                subject=data["subject"],
                category=data["category"],
                content=data["content"],
                consent_publish=bool(data.get("consent_publish")),
                received_at=received_at,
                due_date=due_date_for(mailbox, received_at),
                department=mailbox.department,
            )
            save_with_new_code(letter, received_at)
            for upload, content_type in files:
                attachment = LetterAttachment(
                    letter=letter, original_name=upload.name[:200], content_type=content_type, size=upload.size
                )
                attachment.file.save(f"{letter.code}-{secrets.token_hex(8)}", upload, save=False)
                written.append(attachment.file)
                attachment.save()
            log_event(letter, LetterEvent.Action.RECEIVED, when=received_at)
            if letter.email:
                _mail_writer(
                    letter,
                    _("来信已收到：%(subject)s") % {"subject": letter.subject},
                    "correspondence/email/acknowledgement.txt",
                )
            if letter.department and letter.department.email:
                subject = _("新来信：%(subject)s") % {"subject": letter.subject}
                _mail_staff(letter, subject, [letter.department.email], note=str(letter.department))
    except Exception:
        for stored in written:
            stored.storage.delete(stored.name)
        raise
    return letter, password


def normal_code(code: str) -> str:
    """A lookup code as letters are saved under it (typed in any case, with spaces around)."""
    return code.strip().upper()


def find_letter(code: str, password: str) -> Letter | None:
    """The letter for a code and password, or None; same cost whether the code exists."""
    return with_password(Letter.objects.filter(code=normal_code(code)).select_related("mailbox").first(), password)


def with_password(record, password: str):
    """``record`` (found by its code, or None) when ``password`` is its password, else None;
    checking against a stored dummy hash when there is no record, so an unknown code costs as
    much as a known one with a wrong password."""
    global _DUMMY_HASH
    if record is None:
        _DUMMY_HASH = _DUMMY_HASH or make_password(random_code(8))
        check_password(password, _DUMMY_HASH)
        return None
    return record if check_password(password.strip().upper(), record.password_hash) else None


def assign(letter: Letter, user, department=None, assignee=None, note: str = "") -> None:
    if not letter.is_open:
        raise ValidationError(_("该信件已办结，不能再分办。"))
    with transaction.atomic():
        letter.department = department
        letter.assignee = assignee
        if letter.status == Letter.Status.RECEIVED:
            letter.status = Letter.Status.ASSIGNED
        letter.save(update_fields=["department", "assignee", "status"])
        who = "、".join(str(part) for part in (department, assignee and assignee.get_full_name()) if part)
        log_event(letter, LetterEvent.Action.ASSIGNED, user, note or who)
        recipients = sorted(
            {address for address in (department and department.email, assignee and assignee.email) if address}
        )
        if recipients:
            _mail_staff(letter, _("请办理来信：%(subject)s") % {"subject": letter.subject}, recipients, note=who)


def extend(letter: Letter, user, reason: str) -> None:
    """Extend once, by the mailbox's extension days, counted from the original deadline."""
    if not letter.is_open:
        raise ValidationError(_("该信件已办结，不能延期。"))
    if letter.extended:
        raise ValidationError(_("每封信件只能延期一次。"))
    extra = letter.mailbox.extra_days
    if not extra:
        raise ValidationError(_("该信箱的来信不能延期。"))
    if not reason.strip():
        raise ValidationError(_("请填写延期理由。"))
    with transaction.atomic():
        letter.due_date = WorkCalendar.load().add_workdays(letter.due_date, extra)
        letter.extended = True
        letter.status = Letter.Status.EXTENDED
        letter.save(update_fields=["due_date", "extended", "status"])
        log_event(letter, LetterEvent.Action.EXTENDED, user, reason.strip())
        if letter.email:
            subject = _("来信延期答复：%(subject)s") % {"subject": letter.subject}
            _mail_writer(letter, subject, "correspondence/email/extended.txt")


def answer(letter: Letter, user, text: str, *, handled: bool = True, when=None) -> None:
    """Reply (``handled``) or explain why the letter cannot be handled here. In a mailbox
    whose replies need sign-off, a reply goes through :func:`submit_for_signoff` instead."""
    if not letter.is_open:
        raise ValidationError(_("该信件已经答复。"))
    if letter.mailbox.signoff_required:
        if handled:
            raise ValidationError(_("该信箱的答复需经签批：请提交签批，签批通过后发送给来信人。"))
        if letter.awaiting_signoff:
            raise ValidationError(_("答复正在等待签批，签批通过或退回之前不能办结。"))
    if not text.strip():
        raise ValidationError(_("请填写答复内容。") if handled else _("请说明不予受理的理由。"))
    with transaction.atomic():
        _close(letter, user, text.strip(), handled, when)
        _mail_answer(letter)


def _close(letter: Letter, user, text: str, handled: bool, when=None) -> None:
    """Answer the letter (and end any sign-off), with its timeline entry; inside a transaction."""
    action = LetterEvent.Action.REPLIED if handled else LetterEvent.Action.NOT_HANDLED
    letter.reply = text
    letter.answered_at = when or timezone.now()
    letter.status = Letter.Status.REPLIED if handled else Letter.Status.NOT_HANDLED
    letter.signoff = ""
    letter.draft_reply = ""
    letter.save(update_fields=["reply", "answered_at", "status", "signoff", "draft_reply"])
    log_event(letter, action, user, when=letter.answered_at)


def _mail_answer(letter: Letter) -> None:
    if letter.email:
        _mail_writer(letter, _("来信答复：%(subject)s") % {"subject": letter.subject}, "correspondence/email/reply.txt")


# ---- sign-off (签批) ----------------------------------------------------------------------
# A mailbox with ``signoff_required``: the handler submits the reply, which waits on the letter
# (``draft_reply``; the writer still sees the letter in hand, no reply); a member of the
# mailbox's ``signoff_group`` whose trees hold the letter approves it (then it is sent like any
# reply) or returns it with a reason (the handler revises and submits again). Nobody signs
# off a reply they drafted. The due date does not move.
def approvers(letter: Letter):
    """Who may sign off the letter's reply: active members of its mailbox's sign-off group
    whose editable page trees hold the letter."""
    group_id = letter.mailbox.signoff_group_id
    if group_id is None:
        return staff_of(letter.mailbox).none()
    return staff_of(letter.mailbox).filter(groups=group_id)


def may_sign_off(user, letter: Letter) -> bool:
    """A member of the mailbox's sign-off group with the letter's site in their trees
    (a superuser outside the group may not: sign-off is the group's)."""
    group_id = letter.mailbox.signoff_group_id
    if not user.is_active or group_id is None or not user.groups.filter(pk=group_id).exists():
        return False
    return in_editable_trees(user, Letter.objects.filter(pk=letter.pk), "mailbox__path").exists()


def submit_for_signoff(letter: Letter, user, text: str) -> int:
    """Store the reply for sign-off and tell the approvers; returns how many were told."""
    mailbox = letter.mailbox
    if not letter.is_open:
        raise ValidationError(_("该信件已经答复。"))
    if not mailbox.signoff_required or mailbox.signoff_group_id is None:
        raise ValidationError(_("该信箱的答复无需签批，请直接答复。"))
    if not text.strip():
        raise ValidationError(_("请填写答复内容。"))
    with transaction.atomic():
        _lock(letter)
        if not letter.is_open:
            raise ValidationError(_("该信件已经答复。"))
        if letter.awaiting_signoff:
            raise ValidationError(_("答复已提交签批，请等待签批结果。"))
        letter.draft_reply = text.strip()
        letter.draft_by = user
        letter.signoff = Letter.Signoff.PENDING
        letter.save(update_fields=["draft_reply", "draft_by", "signoff"])
        log_event(letter, LetterEvent.Action.SIGNOFF_SUBMITTED, user)
        recipients = _addresses(approvers(letter).exclude(pk=user.pk))
        if recipients:
            body = render_to_string(
                "correspondence/email/signoff_request.txt", {"letter": letter, "drafter": _person(user)}
            )
            subject = _("请签批来信答复：%(subject)s") % {"subject": letter.subject}
            _send(letter, subject, body, recipients, _("签批人"))
    return len(recipients)


def approve(letter: Letter, user) -> None:
    """签批通过: the reply is sent to the writer as any reply is (status, mail, publication)."""
    _check_decision(letter, user)
    with transaction.atomic():
        _lock(letter)
        _check_decision(letter, user)
        log_event(letter, LetterEvent.Action.SIGNOFF_APPROVED, user)
        _close(letter, letter.draft_by, letter.draft_reply, handled=True)
        _mail_answer(letter)


def return_for_revision(letter: Letter, user, reason: str) -> None:
    """退回修改: the reply goes back to its drafter with the reason, by mail and on the letter."""
    _check_decision(letter, user)
    if not reason.strip():
        raise ValidationError(_("请填写退回理由。"))
    with transaction.atomic():
        _lock(letter)
        _check_decision(letter, user)
        letter.signoff = Letter.Signoff.RETURNED
        letter.save(update_fields=["signoff"])
        log_event(letter, LetterEvent.Action.SIGNOFF_RETURNED, user, reason.strip())
        recipients = _addresses(
            [person for person in (letter.draft_by, letter.assignee) if person is not None and person.is_active]
        )
        if recipients:
            body = render_to_string(
                "correspondence/email/signoff_returned.txt",
                {"letter": letter, "reason": reason.strip(), "approver": _person(user)},
            )
            subject = _("答复被退回修改：%(subject)s") % {"subject": letter.subject}
            _send(letter, subject, body, recipients, _("起草人"))


def _check_decision(letter: Letter, user) -> None:
    """Who may decide (else 403), on what (a reply waiting), and never on their own draft."""
    if not may_sign_off(user, letter):
        group = letter.mailbox.signoff_group
        raise PermissionRefused(
            _("只有“%(group)s”的成员可以签批该信箱的答复。") % {"group": group.name}
            if group
            else _("该信箱没有指定签批人。")
        )
    if not letter.awaiting_signoff or not letter.is_open:
        raise ValidationError(_("该信件没有等待签批的答复。"))
    if user.pk == letter.draft_by_id:
        raise ValidationError(_("不能签批自己起草的答复，请由其他签批人签批。"))


def _lock(letter: Letter) -> None:
    """Re-read what sign-off depends on under a row lock, so two people acting on the same
    reply at once cannot both succeed (and mail the writer twice)."""
    fresh = Letter.objects.select_for_update().get(pk=letter.pk)
    letter.status, letter.signoff = fresh.status, fresh.signoff
    letter.draft_reply, letter.draft_by_id = fresh.draft_reply, fresh.draft_by_id


def _person(user) -> str:
    return user.get_full_name() or user.get_username()


def _addresses(users) -> list[str]:
    return sorted({user.email for user in users if user.email})


def set_published(letter: Letter, user, published: bool) -> None:
    if published:
        if not letter.consent_publish:
            raise ValidationError(_("来信人未同意公开，不能公开。"))
        if letter.status != Letter.Status.REPLIED:
            raise ValidationError(_("只能公开已答复的信件。"))
    with transaction.atomic():
        letter.is_published = published
        letter.published_at = timezone.now() if published else None
        letter.save(update_fields=["is_published", "published_at"])
        log_event(letter, LetterEvent.Action.PUBLISHED if published else LetterEvent.Action.UNPUBLISHED, user)


def _lookup_url(letter: Letter) -> str:
    return letter.mailbox.get_full_url() + "lookup/"


def _mail_writer(letter: Letter, subject: str, template: str) -> bool:
    body = render_to_string(template, {"letter": letter, "lookup_url": _lookup_url(letter)})
    return _send(letter, subject, body, [letter.email], note=_("来信人"))


def _mail_staff(letter: Letter, subject: str, recipients: list[str], note: str) -> bool:
    """A letter to handle: to its department on arrival, to whoever it is assigned to."""
    body = render_to_string("correspondence/email/new_letter.txt", {"letter": letter})
    return _send(letter, subject, body, recipients, note=note)


def _send(letter: Letter, subject: str, body: str, recipients: list[str], note: str) -> bool:
    """Queue the mail in the outbox, inside the caller's transaction (a savepoint of its own,
    so a refused mail leaves the letter's step intact)."""
    try:
        with transaction.atomic():
            send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)
    except Exception:
        logger.exception("Mail about letter %s to %s failed", letter.code, note)
        log_event(letter, LetterEvent.Action.MAIL_FAILED, note=f"{note}：{subject}")
        return False
    log_event(letter, LetterEvent.Action.MAILED, note=f"{note}：{subject}")
    return True
