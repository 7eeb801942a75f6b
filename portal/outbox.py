"""Outgoing mail (发信队列): a durable outbox, django-post-office's.

Every mail the portal sends (letters, reminders, alerts, interviews, Wagtail's workflow and
password mails) goes through Django's mail API to ``EMAIL_BACKEND``, which is
:class:`EmailBackend` below: it writes the mail to post_office's queue, an ``Email`` row in the
database, in the transaction of the change that causes it, and sends nothing. So a request
never waits for a mail server, a change that is rolled back leaves no mail, and a saved change
always has its mail in the queue.

``manage.py send_queued_mail`` (cron, every minute; post_office's command, extended in
``portal/management/commands/send_queued_mail.py``) delivers the queue through
``POST_OFFICE["BACKENDS"]["default"]`` (SMTP in production, with ``EMAIL_TIMEOUT``). A failed
attempt is tried again after ``RETRY_INTERVAL``, each further wait twice the last
(:func:`space_retries`); after ``MAX_RETRIES`` retries the mail is marked failed. Superusers see
the queue, its failures with the error, and resend a failed mail under 设置 → 发信队列
(``portal/outbox_admin.py``). The rows hold addresses and letter texts: personal data, shown to
superusers only, deleted after 90 days by ``manage.py cleanup_mail`` (cron).
"""

from __future__ import annotations

import copy
import logging
import secrets
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from post_office import EmailBackend as QueueBackend
from post_office.models import STATUS, Email, Log
from post_office.settings import get_max_retries, get_retry_timedelta
from wagtail.log_actions import log

logger = logging.getLogger(__name__)

RESEND_ACTION = "portal.resend_mail"
# Mail due this long ago and still queued means the sender (cron) is not running.
LATE_AFTER = timedelta(minutes=15)


class EmailBackend(QueueBackend):
    """post_office's queueing backend, keeping each mail exactly as it was written.

    post_office renders what it queues as a Django template (with an empty context:
    ui/django-post_office#478), so a letter whose subject holds ``{{`` or ``{%`` would lose
    text, or fail to queue. Each part is wrapped in a ``{% verbatim %}`` block with a random
    name, which that rendering gives back unchanged."""

    def send_messages(self, email_messages):
        return super().send_messages([_verbatim(message) for message in email_messages or []])


def _verbatim(message):
    queued = copy.copy(message)
    queued.extra_headers = dict(message.extra_headers)
    queued.subject = _as_is(message.subject)
    queued.body = _as_is(message.body)
    queued.alternatives = [
        (_as_is(content) if mimetype == "text/html" else content, mimetype)
        for content, mimetype in getattr(message, "alternatives", [])
    ]
    return queued


def _as_is(text):
    if not text or "{" not in text:  # every template tag, variable and comment starts with "{"
        return text
    name = secrets.token_hex(8)
    return f"{{% verbatim {name} %}}{text}{{% endverbatim {name} %}}"


# ---- retries ----------------------------------------------------------------------------------
def retry_delay(retries: int) -> timedelta:
    """How long a mail waits after its ``retries``-th failed attempt: ``RETRY_INTERVAL``, then
    twice as long each time (5, 10, 20 … minutes)."""
    return get_retry_timedelta() * 2 ** max(retries - 1, 0)


def space_retries(since: datetime) -> int:
    """post_office puts a failed mail back in the queue ``RETRY_INTERVAL`` after its batch,
    every time; move the mails requeued since ``since`` to :func:`retry_delay` after their
    attempt instead. Returns how many were moved."""
    moved = 0
    requeued = Email.objects.filter(status=STATUS.requeued, last_updated__gte=since)
    for retries in range(1, get_max_retries() + 1):
        moved += requeued.filter(number_of_retries=retries).update(
            scheduled_time=F("last_updated") + retry_delay(retries)
        )
    return moved


# ---- what staff see ---------------------------------------------------------------------------
def listing() -> QuerySet[Email]:
    """Every mail in the outbox with ``attempts`` (delivered or failed, one log each) and its
    ``last_error`` (exception type and message of the newest failed attempt)."""
    failures = Log.objects.filter(email=OuterRef("pk"), status=STATUS.failed).order_by("-date", "-pk")
    return Email.objects.annotate(
        attempts=Count("logs"),
        last_error_type=Subquery(failures.values("exception_type")[:1]),
        last_error=Subquery(failures.values("message")[:1]),
    )


def counts(now: datetime | None = None) -> dict[str, int]:
    """``failed``: mails given up on; ``late``: mails due for more than ``LATE_AFTER`` and still
    waiting (the sender is not running, or cannot keep up). One query."""
    now = now or timezone.now()
    cutoff = now - LATE_AFTER
    waiting = Q(status__in=[STATUS.queued, STATUS.requeued])
    due_long_ago = Q(scheduled_time__lte=cutoff) | Q(scheduled_time=None, created__lte=cutoff)
    return Email.objects.aggregate(
        failed=Count("pk", filter=Q(status=STATUS.failed)),
        late=Count("pk", filter=waiting & due_long_ago),
    )


def resend(email: Email, user) -> bool:
    """Put a failed mail back in the queue as if new (the sender tries it at its next run, with
    all its retries); recorded in the site history and the log. False when it is not failed."""
    with transaction.atomic():
        requeued = Email.objects.filter(pk=email.pk, status=STATUS.failed).update(
            status=STATUS.queued, number_of_retries=0, scheduled_time=None, last_updated=timezone.now()
        )
        if requeued:
            # The title names the queue entry only: addresses and subjects stay out of the history.
            log(instance=email, action=RESEND_ACTION, user=user, title=f"#{email.pk}", data={"email": email.pk})
    if requeued:
        logger.info("Outbox mail #%s requeued by %s", email.pk, user)
    return bool(requeued)
