"""Reading letters for public pages: only published letters, only non-personal fields."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.db.models.functions import ExtractYear
from wagtail.models import Page

from portal.navigation import public_only

from .models import Letter, MailboxPage

# The only letter fields a public page may read (no name, phone, email, attachments).
PUBLIC_FIELDS = ("id", "mailbox_id", "subject", "category", "content", "received_at", "answered_at", "reply", "name")


def live_mailboxes(index_page, request) -> list[MailboxPage]:
    pages = public_only(MailboxPage.objects.child_of(index_page).live(), request).annotate(
        published_count=Count("letters", filter=Q(letters__is_published=True))
    )
    return list(pages.order_by("path"))


def other_sections(index_page, request) -> list:
    """Live children of 互动交流 that are not mailboxes (意见征集, 网上调查 …), for its page."""
    return list(public_only(Page.objects.child_of(index_page).live().not_type(MailboxPage), request).order_by("path"))


def published(mailbox: MailboxPage):
    return (
        Letter.objects.filter(mailbox=mailbox, is_published=True, status=Letter.Status.REPLIED)
        .only(*PUBLIC_FIELDS)
        .order_by("-received_at")
    )


def filtered_published(mailbox: MailboxPage, category: str, year: str):
    letters = published(mailbox)
    if category in mailbox.category_names:
        letters = letters.filter(category=category)
    else:
        category = ""
    if year.isdigit():
        letters = letters.filter(received_at__year=int(year))
    else:
        year = ""
    return letters, category, year


def published_years(mailbox: MailboxPage) -> list[int]:
    years = published(mailbox).annotate(year=ExtractYear("received_at")).values_list("year", flat=True)
    return sorted(set(years), reverse=True)


def paginate(queryset, number, per_page=15):
    return Paginator(queryset, per_page).get_page(number)
