"""Reading letters for public pages: only published letters, only non-personal fields."""

from __future__ import annotations

import re

from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext as _
from wagtail.models import Page

from portal.models import SiteIdentity
from portal.navigation import current_site, public_only
from portal.permissions import site_labels, site_of_path, tree_sites

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


def filtered_published(mailbox: MailboxPage, category: str, year: int | None):
    """Published letters of a category and a year (``portal.params.year``: checked already)."""
    letters = published(mailbox)
    if category in mailbox.category_names:
        letters = letters.filter(category=category)
    else:
        category = ""
    if year is not None:
        letters = letters.filter(received_at__year=year)
    return letters, category, year or ""


def published_years(mailbox: MailboxPage) -> list[int]:
    years = published(mailbox).annotate(year=ExtractYear("received_at")).values_list("year", flat=True)
    return sorted(set(years), reverse=True)


def paginate(queryset, number, per_page=15):
    return Paginator(queryset, per_page).get_page(number)


def mailbox_with_site(mailbox: str, site: str) -> str:
    """局长信箱（甲市税务局）: a mailbox's name where mailboxes of several sites meet."""
    return _("%(mailbox)s（%(site)s）") % {"mailbox": mailbox, "site": site}


def mailbox_labels(mailboxes) -> dict[int, str]:
    """Each mailbox named with its site (for staff, whose lists hold every site's 局长信箱):
    ``{page id: "局长信箱（甲市税务局）"}``, in four queries however many mailboxes."""
    labels, trees = site_labels(), tree_sites()
    named = {}
    for pk, title, path in mailboxes.values_list("pk", "title", "path"):
        site_id = site_of_path(path, trees)
        named[pk] = mailbox_with_site(title, labels[site_id]) if site_id in labels else title
    return named


def lookup_heading(letter: Letter, request) -> str:
    """The name a lookup result is shown under: the letter's mailbox, with its site's name
    when the letter was written to another site of the cluster."""
    site = current_site(request)
    if site is not None and letter.site_id == site.pk:
        return letter.mailbox.title
    identity = SiteIdentity.objects.filter(site_id=letter.site_id).select_related("text").first()
    return mailbox_with_site(letter.mailbox.title, identity.short_name) if identity else letter.mailbox.title


HAN_RUN = re.compile(r"[\u3400-\u9fff]+")
NAME_BATCH = 500


def _name_candidates(text: str) -> set[str]:
    """What in a text could be a writer's name: every 2–4 character piece of a run of Chinese
    characters, each word and each pair of words (a Latin name), and the whole text."""
    candidates = {text.strip()}
    for run in HAN_RUN.findall(text):
        candidates.update(run[start : start + size] for size in (2, 3, 4) for start in range(len(run) - size + 1))
    words = text.split()
    candidates.update(words)
    candidates.update(" ".join(pair) for pair in zip(words, words[1:], strict=False))
    return {candidate for candidate in candidates if len(candidate) >= 2}


def writer_names_in(texts: list[str]) -> set[str]:
    """Letter writers' names that occur in the texts (for the search log and the public list
    of popular searches: ``search.personal``)."""
    return names_in(texts, Letter.objects.all())


def names_in(texts: list[str], people) -> set[str]:
    """The names of ``people`` (a queryset of a model with a ``name`` field: letter writers, 依申请公开
    applicants) that occur in the texts, looked up in batches of the texts' name-like parts.
    Latin names match in any case."""
    candidates: set[str] = set()
    for text in texts:
        candidates |= _name_candidates(text)
    candidates |= {candidate.title() for candidate in candidates if candidate.isascii()}
    found: set[str] = set()
    ordered = sorted(candidates)
    for start in range(0, len(ordered), NAME_BATCH):
        found.update(people.filter(name__in=ordered[start : start + NAME_BATCH]).values_list("name", flat=True))
    lowered = {text.lower() for text in texts}
    return {name for name in found if any(name.lower() in text for text in lowered)} | {
        name.lower() for name in found if name.isascii()
    }
