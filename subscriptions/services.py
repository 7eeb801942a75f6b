"""Every write of e-mail alerts, and the one function that sends their mail (``deliver``), into
the outbox (portal/outbox.py), from which the sender delivers it.

- ``request_subscription``: the confirmation mail (double opt-in); nothing is stored.
- ``confirm``: the owner of the address followed the link: the subscription exists from now.
- ``unsubscribe``: deletes every subscription of the address.
- ``send_alerts`` (``manage.py send_column_alerts``, from cron): one mail per address listing
  the new articles of its columns since its last alert, then moves each subscription's
  ``alerted_until`` to the run's time in the transaction that queues its mail, so running
  again sends nothing new, and an alert is neither lost nor queued twice.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from wagtail.models import Site

from portal.models import SiteIdentity

from . import queries, tokens
from .models import Subscription

logger = logging.getLogger(__name__)


def deliver(to: str, subject: str, body: str, headers: dict[str, str] | None = None) -> None:
    """Queue one plain-text mail to one address in the outbox (in the caller's transaction);
    raises when the outbox refuses it. The only place this app sends mail."""
    EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [to], headers=headers or {}).send()


def normalise(email: str) -> str:
    """One spelling per address, so the same person cannot subscribe a column twice."""
    return email.strip().lower()


# ---- links in the mails: on the column's own site, in its language ---------------------------
def _site_of(column) -> tuple[int, str]:
    site_id, root_url, _path = column.get_url_parts()
    return site_id, root_url


def _link(column, view: str, token: str, language: str) -> str:
    with translation.override(language):
        return _site_of(column)[1] + reverse(view, args=[token])


def _site_names(site_ids, language: str) -> dict[int, str]:
    """Each site's name in ``language`` (its identity's wording, else the Site record's)."""
    names = {}
    with translation.override(language):
        for site in Site.objects.filter(pk__in=set(site_ids)):
            names[site.pk] = SiteIdentity.for_site(site).site_name or site.site_name or site.hostname
    return names


# ---- subscribing -----------------------------------------------------------------------------
def request_subscription(email: str, column) -> bool:
    """Mail ``email`` a link that confirms an alert for ``column``, unless the address already
    receives it. Stores nothing. Whether a mail went out is never shown to the visitor: the
    form answers the same either way."""
    email = normalise(email)
    if Subscription.objects.filter(email=email, column=column).exists():
        return False
    language = column.locale.language_code
    site_id, _root = _site_of(column)
    context = {
        "column": column,
        "site_name": _site_names([site_id], language)[site_id],
        "confirm_url": _link(column, "subscription_confirm", tokens.confirm_token(email, column.pk), language),
        "days": tokens.CONFIRM_DAYS,
    }
    with translation.override(language):
        subject = _("请确认订阅“%(column)s”栏目") % {"column": column.title}
        body = render_to_string("subscriptions/email/confirm.txt", context)
    try:
        with transaction.atomic():
            deliver(email, subject, body)
    except Exception:  # the visitor sees the same page; the log says why no mail came
        logger.exception("Confirmation mail for column %s failed", column.pk)
        return False
    return True


def confirm(email: str, column) -> Subscription:
    """The subscription of ``email`` to ``column``, created now if it did not exist (a second
    click keeps the first one's times). Alerts list articles published from now on."""
    subscription, _created = Subscription.objects.get_or_create(email=normalise(email), column=column)
    return subscription


def unsubscribe(email: str) -> int:
    """Delete every subscription of ``email``; how many there were."""
    deleted, _by_model = Subscription.objects.filter(email=normalise(email)).delete()
    return deleted


# ---- alerts ----------------------------------------------------------------------------------
@dataclass
class Section:
    """One column's part of an alert mail."""

    column: object
    site_name: str
    url: str
    articles: list
    more: int = 0


@dataclass
class AlertRun:
    mails: int = 0
    articles: int = 0
    failed: list[str] = field(default_factory=list)  # why, without the addresses


def send_alerts(now: datetime | None = None) -> AlertRun:
    """One mail to every address with new articles in its columns since its last alert."""
    now = now or timezone.now()
    subscriptions = list(Subscription.objects.order_by("email", "column_id"))
    paths = queries.restricted_now()
    columns = queries.alert_columns({s.column_id for s in subscriptions}, paths)
    # Each column's new articles once, from the earliest point any of its subscribers still needs.
    since: dict[int, datetime] = {}
    for subscription in subscriptions:
        if subscription.column_id in columns:
            start = since.get(subscription.column_id, subscription.alerted_until)
            since[subscription.column_id] = min(start, subscription.alerted_until)
    found = {pk: queries.new_articles(columns[pk], start, now, paths) for pk, start in since.items()}
    run = AlertRun()
    by_address: dict[str, list[Subscription]] = {}
    for subscription in subscriptions:
        by_address.setdefault(subscription.email, []).append(subscription)
    for email, own in by_address.items():
        wanted = [
            (columns[s.column_id], [a for a in found[s.column_id] if a.first_published_at > s.alerted_until])
            for s in own
            if s.column_id in columns
        ]
        wanted = [(column, articles) for column, articles in wanted if articles]
        if not wanted:
            continue
        try:
            with transaction.atomic():  # the mail and the watermark together, or neither
                count = _send_alert(email, wanted)
                Subscription.objects.filter(pk__in=[s.pk for s in own]).update(alerted_until=now)
        except Exception as error:  # the watermark stays: the next run tries again
            logger.exception("Column alert mail failed")
            run.failed.append(f"{type(error).__name__}: {error}")
            continue
        run.mails += 1
        run.articles += count
    return run


def _send_alert(email: str, wanted: list[tuple]) -> int:
    """The mail listing ``wanted`` ((column, new articles) pairs) to ``email``; how many articles."""
    languages = {column.locale.language_code for column, _articles in wanted}
    language = languages.pop() if len(languages) == 1 else settings.LANGUAGE_CODE
    first_column = wanted[0][0]
    names = _site_names([_site_of(column)[0] for column, _articles in wanted], language)
    sections = []
    for column, articles in wanted:
        for article in articles[: queries.ALERT_SIZE]:
            article.link = article.get_full_url()
        sections.append(
            Section(
                column=column,
                site_name=names[_site_of(column)[0]],
                url=column.get_full_url(),
                articles=articles[: queries.ALERT_SIZE],
                more=max(0, len(articles) - queries.ALERT_SIZE),
            )
        )
    total = sum(len(articles) for _column, articles in wanted)
    unsubscribe_url = _link(first_column, "subscription_unsubscribe", tokens.unsubscribe_token(email), language)
    with translation.override(language):
        subject = _("栏目更新提醒：%(count)s 条新内容") % {"count": total}
        body = render_to_string(
            "subscriptions/email/alert.txt", {"sections": sections, "unsubscribe_url": unsubscribe_url}
        )
    deliver(
        email,
        subject,
        body,
        headers={
            # RFC 8058: mail programs offer "unsubscribe" and POST to the link, without a login.
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",  # RFC 3834: no out-of-office replies
        },
    )
    return total
