"""Everything that changes an application, in one place. Each step is saved with its timeline
entry and its e-mails in one transaction (mail goes to the outbox, portal/outbox.py), and the
due date is recomputed by ``clock.py``. Steps take the day they happened (``on``, default
today), so staff can record what came by post; a day in the future or before the application
was received is refused."""

from __future__ import annotations

import logging
import secrets
from datetime import date, datetime, time

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from correspondence.services import normal_code, random_code, save_with_new_code, with_password
from portal.workdays import WorkCalendar

from . import clock
from .models import Application, ApplicationAttachment, ApplicationEvent, ApplicationPage, Channel, Review
from .outcomes import Outcome, Reason, reasons_for

logger = logging.getLogger(__name__)


def _moment(on: date | None):
    """When a step dated ``on`` happened: now for today, 10:00 of an earlier day."""
    if on is None or on == timezone.localdate():
        return timezone.now()
    return timezone.make_aware(datetime.combine(on, time(10)))


def _day(application: Application, on: date | None, earliest: date | None = None) -> date:
    today = timezone.localdate()
    on = on or today
    if on > today:
        raise ValidationError(_("日期不能晚于今天。"))
    earliest = earliest or application.received_on
    if on < earliest:
        raise ValidationError(_("日期不能早于 %(date)s。") % {"date": earliest.isoformat()})
    return on


def log_event(application: Application, action: str, user=None, note: str = "", on: date | None = None):
    return ApplicationEvent.objects.create(
        application=application, action=action, user=user, note=note, created_at=_moment(on)
    )


def _save(application: Application, *fields: str, calendar: WorkCalendar | None = None) -> None:
    application.due_date = clock.due_date(application, calendar or WorkCalendar.load())
    application.save(update_fields=[*fields, "due_date"])


def _require_open(application: Application, *statuses) -> None:
    if application.status not in (statuses or Application.OPEN_STATUSES):
        if not application.is_open:
            raise ValidationError(_("该申请已经答复，不能再办理。"))
        raise ValidationError(
            _("该申请当前为“%(status)s”，不能进行此操作。") % {"status": application.get_status_display()}
        )


# ---- the applicant ---------------------------------------------------------------------------
def submit(
    page: ApplicationPage,
    site,
    data: dict,
    files: list,
    language: str,
    *,
    channel: str = Channel.ONLINE,
    when=None,
) -> tuple[Application, str]:
    """Save an application from the public form (or one staff type in from paper) with its
    attachments; returns (application, password). Nothing is left behind when any part fails."""
    password = random_code(8)
    submitted_at = when or timezone.now()
    received_on = timezone.localdate(submitted_at)
    written = []
    try:
        with transaction.atomic():
            application = Application(
                page=page,
                site=site,
                password_hash=make_password(password),
                language=language,
                channel=channel,
                submitted_at=submitted_at,
                received_on=received_on,
                clock_start=received_on,
                **{name: data.get(name, "") for name in APPLICANT_FIELDS},
            )
            application.due_date = clock.due_date(application, WorkCalendar.load())
            save_with_new_code(application, submitted_at, prefix="GK")
            for upload, content_type in files:
                attachment = ApplicationAttachment(
                    application=application,
                    original_name=upload.name[:200],
                    content_type=content_type,
                    size=upload.size,
                )
                attachment.file.save(f"{application.code}-{secrets.token_hex(8)}", upload, save=False)
                written.append(attachment.file)
                attachment.save()
            log_event(application, ApplicationEvent.Action.SUBMITTED, on=received_on)
            _mail_applicant(application, _("政府信息公开申请已收到"), "inforequests/email/acknowledgement.txt")
            if page.notify_email:
                body = render_to_string("inforequests/email/new_application.txt", {"application": application})
                _send(application, _("新的政府信息公开申请"), body, [page.notify_email], _("受理机关"))
    except Exception:
        for stored in written:
            stored.storage.delete(stored.name)
        raise
    return application, password


APPLICANT_FIELDS = (
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
)


def register_paper(page: ApplicationPage, user, data: dict, files: list) -> tuple[Application, str]:
    """An application received on paper (信函, 当面, 传真), typed in by staff and registered on the
    day it was received; returns it with its password, for the 受理回执."""
    received_on = data["received_on"]
    if received_on > timezone.localdate():
        raise ValidationError(_("日期不能晚于今天。"))
    when = _moment(received_on)
    with transaction.atomic():
        application, password = submit(
            page, page.get_site(), data, files, "zh-hans", channel=data["channel"], when=when
        )
        register(application, user, received_on)
    return application, password


def find(code: str, password: str) -> Application | None:
    """The application for a code and password, or None; the same cost whether the code exists."""
    return with_password(Application.objects.filter(code=normal_code(code)).first(), password)


def clarify(application: Application, text: str, *, user=None, on: date | None = None) -> None:
    """补正 arrives (from the applicant's lookup, or recorded by staff from a letter): the
    clock starts again from that day."""
    text = text.strip()
    if not text:
        raise ValidationError(_("请填写补正内容。"))
    with transaction.atomic():
        _lock(application)
        _require_open(application, Application.Status.CLARIFYING)
        on = _day(application, on, application.clarify_requested_on)
        if application.clarify_deadline and on > application.clarify_deadline:
            raise ValidationError(_("补正期限已过。"))
        application.clarification = text
        application.clarified_on = on
        application.clock_start = on
        application.paused_workdays = 0
        application.status = Application.Status.PROCESSING
        _save(application, "clarification", "clarified_on", "clock_start", "paused_workdays", "status")
        log_event(application, ApplicationEvent.Action.CLARIFIED, user, on=on)
        if application.page.notify_email:
            body = render_to_string("inforequests/email/new_application.txt", {"application": application})
            _send(application, _("政府信息公开申请已补正"), body, [application.page.notify_email], _("受理机关"))


# ---- staff -----------------------------------------------------------------------------------
def register(application: Application, user, received_on: date | None = None) -> None:
    """登记受理: confirm the day the application was received (for an online one, the day of
    submission unless staff confirm it later, 第三十一条); its clock runs from that day."""
    with transaction.atomic():
        _lock(application)
        _require_open(application, Application.Status.RECEIVED)
        received_on = _day(application, received_on, timezone.localdate(application.submitted_at))
        application.received_on = application.clock_start = received_on
        application.status = Application.Status.PROCESSING
        _save(application, "received_on", "clock_start", "status")
        log_event(application, ApplicationEvent.Action.REGISTERED, user, on=received_on)


def assign(application: Application, user, assignee, note: str = "") -> None:
    with transaction.atomic():
        _require_open(application)
        application.assignee = assignee
        application.save(update_fields=["assignee"])
        who = assignee.get_full_name() or assignee.get_username()
        log_event(application, ApplicationEvent.Action.ASSIGNED, user, note.strip() or who)
        if assignee.email:
            body = render_to_string("inforequests/email/new_application.txt", {"application": application})
            _send(application, _("请办理政府信息公开申请"), body, [assignee.email], who)


def extend(application: Application, user, reason: str, on: date | None = None) -> None:
    """延长答复期限 once, by 20 working days, with the reason told to the applicant."""
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("请填写延期理由，理由会告知申请人。"))
    with transaction.atomic():
        _lock(application)
        _require_open(application, Application.Status.PROCESSING, Application.Status.CONSULTING)
        if application.extended:
            raise ValidationError(_("答复期限只能延长一次。"))
        on = _day(application, on, application.clock_start)
        if on > application.due_date:
            raise ValidationError(_("延期须在答复期限届满前决定。"))
        application.extended = True
        _save(application, "extended")
        log_event(application, ApplicationEvent.Action.EXTENDED, user, reason, on=on)
        _mail_applicant(application, _("政府信息公开申请延期答复"), "inforequests/email/extended.txt", reason=reason)


def request_clarification(
    application: Application, user, text: str, deadline: date | None = None, on: date | None = None
) -> None:
    """告知补正: once, within 7 working days of receipt, saying what to clarify and by when."""
    text = text.strip()
    if not text:
        raise ValidationError(_("请写明需要补正的事项。"))
    calendar = WorkCalendar.load()
    with transaction.atomic():
        _lock(application)
        _require_open(application, Application.Status.RECEIVED, Application.Status.PROCESSING)
        if application.clarify_requested_on is not None:
            raise ValidationError(_("补正只能一次性告知。"))
        on = _day(application, on)
        if not clock.may_still_ask_to_clarify(application.received_on, on, calendar):
            raise ValidationError(_("补正应当在收到申请之日起 7 个工作日内一次性告知（条例第二十九条）。"))
        deadline = deadline or calendar.add_workdays(on, clock.CLARIFY_DEFAULT_WORKDAYS)
        if deadline <= on:
            raise ValidationError(_("补正期限应晚于告知补正的日期。"))
        application.clarify_requested_on = on
        application.clarify_deadline = deadline
        application.status = Application.Status.CLARIFYING
        _save(application, "clarify_requested_on", "clarify_deadline", "status", calendar=calendar)
        log_event(application, ApplicationEvent.Action.CLARIFY_REQUESTED, user, text, on=on)
        _mail_applicant(application, _("政府信息公开申请需要补正"), "inforequests/email/clarify.txt", request=text)


def start_consultation(application: Application, user, third_party: str, on: date | None = None) -> None:
    """征求第三方意见: the clock stops for the third party's time (at most 15 working days)."""
    third_party = third_party.strip()
    if not third_party:
        raise ValidationError(_("请填写征求意见的第三方。"))
    with transaction.atomic():
        _lock(application)
        _require_open(application, Application.Status.PROCESSING)
        on = application.consult_started_on = _day(application, on, application.clock_start)
        application.third_party = third_party
        application.status = Application.Status.CONSULTING
        _save(application, "consult_started_on", "third_party", "status")
        log_event(application, ApplicationEvent.Action.CONSULTED, user, third_party, on=on)


def end_consultation(application: Application, user, note: str = "", on: date | None = None) -> None:
    """The third party answered (or its 15 working days ran out): the clock runs again."""
    with transaction.atomic():
        _lock(application)
        _require_open(application, Application.Status.CONSULTING)
        on = _day(application, on, application.consult_started_on)
        _end_consultation(application, on)
        application.status = Application.Status.PROCESSING
        _save(application, "paused_workdays", "consult_started_on", "status")
        log_event(application, ApplicationEvent.Action.CONSULT_ENDED, user, note.strip(), on=on)


def _end_consultation(application: Application, on: date) -> None:
    started = application.consult_started_on
    if started is not None:
        application.paused_workdays += clock.paused_by_consultation(started, on, WorkCalendar.load())
        application.consult_started_on = None


def decide(application: Application, user, outcome: str, reason: str, text: str, on: date | None = None) -> None:
    """作出答复 with one of the format's outcomes (and its reason where it has them); the
    applicant can then download the 告知书 from the lookup."""
    if outcome not in Outcome.values:
        raise ValidationError(_("请选择办理结果。"))
    reasons = reasons_for(outcome)
    if reasons and reason not in reasons:
        raise ValidationError(_("请选择“%(outcome)s”的理由。") % {"outcome": Outcome(outcome).label})
    if not reasons:
        reason = ""
    text = text.strip()
    if not text:
        raise ValidationError(_("请填写答复内容。"))
    with transaction.atomic():
        _lock(application)
        _require_open(application, *Application.CLOCK_RUNNING)
        on = _day(application, on)
        _close(application, user, outcome, reason, text, on)


def _close(application: Application, user, outcome: str, reason: str, text: str, on: date) -> None:
    _end_consultation(application, on)
    application.outcome, application.reason = outcome, reason
    application.decision_text = text
    application.decided_on = on
    application.status = Application.Status.DECIDED
    _save(
        application,
        "outcome",
        "reason",
        "decision_text",
        "decided_on",
        "status",
        "paused_workdays",
        "consult_started_on",
    )
    withdrawn = reason == Reason.NO_CLARIFICATION
    action = ApplicationEvent.Action.WITHDRAWN if withdrawn else ApplicationEvent.Action.DECIDED
    log_event(application, action, user, application.outcome_label, on=on)
    _mail_applicant(application, _("政府信息公开申请已答复"), "inforequests/email/decided.txt")


def close_unclarified(today: date | None = None) -> list[Application]:
    """Applications whose 补正期限 has passed without a clarification are treated as withdrawn
    (第三十条). Run daily by the reminder job."""
    today = today or timezone.localdate()
    overdue = Application.objects.filter(status=Application.Status.CLARIFYING, clarify_deadline__lt=today)
    return [application for application in overdue.select_related("page") if withdraw_unclarified(application, today)]


def withdraw_unclarified(application: Application, on: date) -> bool:
    """Close an application not clarified by its deadline as 其他处理 (逾期不补正), on ``on``
    (a day after the deadline); False when it is no longer waiting for a clarification."""
    with transaction.atomic():
        _lock(application)
        if application.status != Application.Status.CLARIFYING or on <= application.clarify_deadline:
            return False
        text = _("申请人在补正期限（%(date)s）内未补正，视为放弃申请，本机关不再处理该政府信息公开申请。") % {
            "date": application.clarify_deadline.isoformat()
        }
        _close(application, None, Outcome.OTHER, Reason.NO_CLARIFICATION, text, on)
    return True


def add_review(application: Application, user, data: dict) -> Review:
    """Record a 行政复议 or 行政诉讼 about a decided application."""
    if application.is_open:
        raise ValidationError(_("申请答复后才能登记行政复议或诉讼。"))
    if data["filed_on"] < application.decided_on:
        raise ValidationError(_("受理日期不能早于答复日期。"))
    _check_conclusion(data)
    with transaction.atomic():
        review = Review.objects.create(application=application, **data)
        log_event(application, ApplicationEvent.Action.REVIEW, user, f"{review.get_kind_display()} {review.body}")
    return review


def update_review(review: Review, user, data: dict) -> None:
    _check_conclusion(data, filed_on=review.filed_on)
    with transaction.atomic():
        for name, value in data.items():
            setattr(review, name, value)
        review.save(update_fields=list(data))
        note = f"{review.get_kind_display()}：{review.get_result_display()}"
        log_event(review.application, ApplicationEvent.Action.REVIEW, user, note)


def _check_conclusion(data: dict, filed_on: date | None = None) -> None:
    filed_on = data.get("filed_on", filed_on)
    pending = data.get("result") == Review.Result.PENDING
    concluded = data.get("concluded_on")
    if pending and concluded:
        raise ValidationError(_("尚未审结的不填写审结日期。"))
    if not pending and not concluded:
        raise ValidationError(_("请填写审结日期。"))
    if concluded and concluded < filed_on:
        raise ValidationError(_("审结日期不能早于受理日期。"))
    if concluded and concluded > timezone.localdate():
        raise ValidationError(_("日期不能晚于今天。"))


def _lock(application: Application) -> None:
    """Re-read the application under a row lock, so two staff acting at once cannot both
    succeed from the same state."""
    fresh = Application.objects.select_for_update().get(pk=application.pk)
    for field in Application._meta.concrete_fields:
        setattr(application, field.attname, getattr(fresh, field.attname))


# ---- mail ------------------------------------------------------------------------------------
def _mail_applicant(application: Application, subject: str, template: str, **context) -> bool:
    if not application.email:
        return False
    lookup_url = application.page.get_full_url() + "lookup/"
    body = render_to_string(template, {"application": application, "lookup_url": lookup_url, **context})
    return _send(application, subject, body, [application.email], _("申请人"))


def _send(application: Application, subject: str, body: str, recipients: list[str], note: str) -> bool:
    """Queue the mail in the outbox inside the caller's transaction (a savepoint of its own, so
    a refused mail leaves the step intact and is noted on the timeline)."""
    try:
        with transaction.atomic():
            send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)
    except Exception:
        logger.exception("Mail about application %s to %s failed", application.code, note)
        log_event(application, ApplicationEvent.Action.MAIL_FAILED, note=f"{note}：{subject}")
        return False
    log_event(application, ApplicationEvent.Action.MAILED, note=f"{note}：{subject}")
    return True
