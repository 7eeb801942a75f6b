"""Reminder e-mails about stale and due columns (run daily by ``remind_stale_columns``).

One e-mail per address lists all of that address's pages: a column's 负责人邮箱, else the
site's contact address (网站标识 → 电子邮箱); a page with neither is reported by the command
and not mailed. Every reminder sent is recorded (``ColumnReminder``): a page is reminded
again in the same state (将到期 / 已超期) only ``REMIND_AGAIN_DAYS`` days after its last
reminder, so a second run on the same day sends nothing, and a column that stays stale is
reminded once a week. A due column that becomes stale is reminded as stale straight away.

Each address's mail is queued in the outbox (portal/outbox.py) in one transaction with its
``ColumnReminder`` rows and delivered by the sender on its own: a mail server that refuses one
address delays or fails that mail only (设置 → 发信队列), never the others. A mail the outbox
itself refuses is reported by the command, and its pages are reminded on the next run."""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from .models import ColumnReminder
from .services import PageStatus, flagged_statuses

logger = logging.getLogger(__name__)

REMIND_AGAIN_DAYS = 7


@dataclass
class ReminderRun:
    to_send: dict[str, list[PageStatus]] = field(default_factory=dict)
    already_reminded: list[PageStatus] = field(default_factory=list)
    no_address: list[PageStatus] = field(default_factory=list)
    sent: int = 0
    failed: list[str] = field(default_factory=list)  # addresses whose mail could not be queued


def plan(today: date) -> ReminderRun:
    """Which pages go to which address today, leaving out those reminded recently."""
    run = ReminderRun()
    statuses = flagged_statuses(today)
    recent = set(
        ColumnReminder.objects.filter(
            page_id__in=[status.page.pk for status in statuses],
            sent_on__gt=today - timedelta(days=REMIND_AGAIN_DAYS),
            sent_on__lte=today,
        ).values_list("page_id", "kind")
    )
    grouped: dict[str, list[PageStatus]] = defaultdict(list)
    for status in statuses:
        if (status.page.pk, status.state) in recent:
            run.already_reminded.append(status)
        elif not status.recipient:
            run.no_address.append(status)
        else:
            grouped[status.recipient].append(status)
    run.to_send = dict(sorted(grouped.items()))
    return run


def send(run: ReminderRun, today: date) -> int:
    """Queue one e-mail per address and record each page reminded; returns e-mails queued."""
    base_url = getattr(settings, "WAGTAILADMIN_BASE_URL", "").rstrip("/")
    for recipient, statuses in run.to_send.items():
        context = {"statuses": statuses, "today": today, "base_url": base_url, "again_days": REMIND_AGAIN_DAYS}
        stale = sum(1 for status in statuses if status.state == "stale")
        subject = _("【栏目更新提醒】%(stale)d 个栏目已超期，%(due)d 个栏目即将到期") % {
            "stale": stale,
            "due": len(statuses) - stale,
        }
        try:
            with transaction.atomic():
                send_mail(
                    subject,
                    render_to_string("monitoring/email/reminder.txt", context),
                    None,
                    [recipient],
                    html_message=render_to_string("monitoring/email/reminder.html", context),
                )
                ColumnReminder.objects.bulk_create(
                    ColumnReminder(page=status.page, kind=status.state, recipient=recipient, sent_on=today)
                    for status in statuses
                )
        except Exception:  # this address only; the next run tries again
            logger.exception("Column reminder to %s could not be queued", recipient)
            run.failed.append(recipient)
            continue
        run.sent += 1
    return run.sent
