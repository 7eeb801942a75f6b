"""Every write to the disclosure catalogue: numbering, the entry made on first publication,
staff edits, and taking an item out of the catalogue or back in.

* A page enters the catalogue when it is first published (``record_publish``, connected to
  ``page_published`` in ``signal_handlers.py``) if it is a policy document (政策文件) or an
  article in a 政府信息公开 column, or at any time when staff include it (``include``).
* Its 索引号 comes from the site's pattern (``CatalogueSettings``) and the site's sequence
  for the year (``next_number``): the sequence row is locked while a number is drawn, a
  number already held on the site (a policy's 原索引号 adopted from an older site) is passed
  over, and the pair (site, 索引号) is unique in the database, so two publishes at the same
  moment never share a number. A number is never changed, and never given again.
* What the page itself says (a policy's 发文机关, 文号, 成文日期, 有效性 and 主题; every item's
  发布日期) is copied to the entry at every publication; the rest (体裁, 公开方式, 公开时限, and
  发布机构 and 主题 of other pages) is staff's, edited in the admin (*信息索引*).
"""

from __future__ import annotations

import re

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import Page

from home.models import ArticlePage, ColumnPage, PolicyDocumentPage, PolicyInterpretationPage
from home.queries import parent_column
from portal import languages
from portal.models import SiteIdentity
from portal.pagecache import purge_page
from portal.permissions import site_full_name

from .models import PATTERN_TOKEN, CatalogueEntry, CatalogueSettings, Genre, IndexSequence, Validity

STAFF_FIELDS = ("theme", "genre", "organisation", "document_number", "written_date", "mode", "time_limit", "validity")
# What a policy document's own fields decide (shown read-only in the admin's form).
POLICY_FIELDS = ("theme", "organisation", "document_number", "written_date", "validity")


class Refused(Exception):
    """A request the catalogue cannot carry out; the message says why, for staff."""


def organisation_code(site) -> str:
    identity = SiteIdentity.objects.filter(site=site).only("organisation_code", "site_code").first()
    if identity and identity.organisation_code:
        return identity.organisation_code
    if identity and identity.site_code:
        return identity.site_code
    return f"SITE{site.pk}"


def format_number(pattern: str, org: str, year: int, serial: int) -> str:
    def token(match):
        name, width = match.group(1), match.group(2)
        if name == "org":
            return org
        if name == "year":
            return str(year)
        return str(serial).zfill(int(width or 1))

    return PATTERN_TOKEN.sub(token, pattern)


def next_number(site, year: int) -> tuple[str, int]:
    """The next free 索引号 of ``site`` for an item first published in ``year``."""
    pattern = CatalogueSettings.for_site(site).index_pattern
    org = organisation_code(site)
    sequence_year = year if "{year}" in pattern else 0
    with transaction.atomic():
        # get_or_create retries its get() when a concurrent create wins; select_for_update
        # holds the row until this transaction ends, so the next caller waits for our number.
        sequence, _ = IndexSequence.objects.select_for_update().get_or_create(site=site, year=sequence_year)
        while True:
            sequence.last += 1
            number = format_number(pattern, org, year, sequence.last)
            if not CatalogueEntry.objects.filter(site=site, index_number=number).exists():
                break
        sequence.save(update_fields=["last"])
    return number, sequence.last


def stored_entry(site, page) -> CatalogueEntry | None:
    """The entry of ``page`` or of the page it translates (same translation key) on ``site``."""
    return CatalogueEntry.objects.filter(site=site, translation_key=page.translation_key).first()


def entry_for(page) -> CatalogueEntry | None:
    """:func:`stored_entry` on the page's own site."""
    site = page.get_site()
    return stored_entry(site, page) if site is not None else None


def disclosed_by_place(page) -> bool:
    """Policies, articles in a 政府信息公开 column, and pages whose type declares a
    ``catalogue_genre`` (the registers) are in the catalogue from their first publication."""
    if isinstance(page, PolicyDocumentPage) or getattr(page, "catalogue_genre", None):
        return True
    if not isinstance(page, ArticlePage):
        return False
    column = parent_column(page)
    return column is not None and column.column_type == ColumnPage.ColumnType.DISCLOSURE


def page_facts(page, site) -> dict:
    """What the page itself says about the item."""
    published = page.date if isinstance(page, ArticlePage) else (page.first_published_at or timezone.now())
    facts = {"published_date": timezone.localdate(published)}
    if isinstance(page, PolicyDocumentPage):
        facts.update(
            theme_id=page.theme_id,
            organisation=page.issuing_body,
            document_number=page.document_number,
            written_date=page.written_date,
            validity=page.validity,
        )
    return facts


# Genres a title names at its end (……的公告, ……管理办法, ……公开指南), longest first where one ends another.
TITLE_GENRES = (
    Genre.DECISION, Genre.ANNOUNCEMENT, Genre.CIRCULAR, Genre.OPINION, Genre.NOTICE, Genre.BULLETIN,
    Genre.REPORT, Genre.REPLY, Genre.MEASURES, Genre.RULES, Genre.PUBLICITY, Genre.GUIDE, Genre.LETTER,
)  # fmt: skip
COLUMN_GENRES = {ColumnPage.ColumnType.NEWS: Genre.NEWS, ColumnPage.ColumnType.NOTICE: Genre.NOTICE}
TRAILING_NOTE = re.compile(r"[（(][^（）()]*[）)]$")  # （2026年第3期）, （2026年修订）


def default_genre(page) -> str:
    """A first guess staff may correct: the genre the title names at its end, else an
    interpretation's, else the column's (news, notices). A page type's own ``catalogue_genre`` comes first."""
    declared = getattr(page, "catalogue_genre", None)
    if declared:
        return declared
    title = TRAILING_NOTE.sub("", page.title.strip())
    found = next((genre for genre in TITLE_GENRES if title.endswith(str(genre.label))), None)
    if found is not None:
        return found
    if isinstance(page, PolicyInterpretationPage):
        return Genre.INTERPRETATION
    column = parent_column(page) if isinstance(page, ArticlePage) else None
    return COLUMN_GENRES.get(column and column.column_type, Genre.OTHER)


def _create(page, site, *, by_staff: bool, values: dict | None = None) -> CatalogueEntry:
    facts = page_facts(page, site)
    fields = {
        "genre": default_genre(page),
        "organisation": site_full_name(site),
        "validity": Validity.NONE,
        **(values or {}),
        **facts,
    }
    adopted = getattr(page, "index_number", "").strip()  # a policy's 原索引号 from an older site
    year = facts["published_date"].year
    try:
        with transaction.atomic():
            if adopted and not CatalogueEntry.objects.filter(site=site, index_number=adopted).exists():
                number = adopted
            else:
                number, _ = next_number(site, year)
            return CatalogueEntry.objects.create(
                site=site,
                page=page,
                translation_key=page.translation_key,
                index_number=number,
                year=year,
                added_by_staff=by_staff,
                **fields,
            )
    except IntegrityError:
        # Published twice at the same moment: the other publication made the entry.
        existing = stored_entry(site, page)
        if existing is None:
            raise
        return existing


def record_publish(page) -> CatalogueEntry | None:
    """On publication of ``page`` (the specific page): make its entry on first publication if
    it belongs in the catalogue, and bring the entry up to date with the page. Translations
    share their source's entry and change nothing."""
    if page.locale.language_code != languages.CHINESE:
        return None
    site = page.get_site()
    if site is None:
        return None
    entry = stored_entry(site, page)
    if entry is None:
        return _create(page, site, by_staff=False) if disclosed_by_place(page) else None
    changed = {name: value for name, value in page_facts(page, site).items() if getattr(entry, name) != value}
    if entry.page_id != page.pk:
        changed["page_id"] = page.pk
    if changed:
        for name, value in changed.items():
            setattr(entry, name, value)
        entry.save(update_fields=list(changed))
    return entry


def include(page, values: dict) -> CatalogueEntry:
    """Staff put a live page of their site into the catalogue (it keeps its number if it was in before)."""
    page = page.specific
    if page.locale.language_code != languages.CHINESE:
        raise Refused(_("信息索引由中文页面维护，请在中文版页面上操作。"))
    if not page.live:
        raise Refused(_("页面尚未发布：发布后才能纳入公开目录。"))
    site = page.get_site()
    if site is None:
        raise Refused(_("页面不属于任何站点。"))
    entry = stored_entry(site, page)
    if entry is not None:
        if entry.withdrawn:
            entry.withdrawn = False
            entry.save(update_fields=["withdrawn"])
            purge_page(page)
        return update(entry, values)
    entry = _create(page, site, by_staff=True, values=_staff_values(page, values))
    purge_page(page)
    return entry


def _staff_values(page, values: dict) -> dict:
    """The staff's fields, without those a policy's own fields decide."""
    own = POLICY_FIELDS if isinstance(page, PolicyDocumentPage) else ()
    return {name: value for name, value in values.items() if name in STAFF_FIELDS and name not in own}


def update(entry: CatalogueEntry, values: dict) -> CatalogueEntry:
    """Staff's edit of the entry's index fields; the 索引号 and the page's own facts stay."""
    entry = CatalogueEntry.objects.get(pk=entry.pk)  # as stored (a bound ModelForm changes its instance)
    page = entry.page.specific if entry.page_id else None
    changed = []
    for name, value in _staff_values(page, values).items():
        attribute = "theme_id" if name == "theme" else name
        value = value.pk if name == "theme" and value is not None else value
        if getattr(entry, attribute) != value:
            setattr(entry, attribute, value)
            changed.append(attribute)
    if changed:
        entry.save(update_fields=changed)
        if page is not None:
            purge_page(page)
    return entry


def withdraw(entry: CatalogueEntry) -> None:
    """Take a staff-included item out of the catalogue. The entry stays, hidden, with its
    number: including the page again brings the same 索引号 back. Items their column or
    type put in (policies, articles of 政府信息公开 columns) cannot be withdrawn."""
    if not entry.added_by_staff:
        raise Refused(_("政策文件和政府信息公开栏目中的文章必须列入公开目录，不能移出。"))
    if not entry.withdrawn:
        entry.withdrawn = True
        entry.save(update_fields=["withdrawn"])
        if entry.page_id:
            purge_page(entry.page)


def pages_needing_entries(site) -> list[Page]:
    """Live pages of ``site`` that belong in the catalogue but have no entry (published
    before the catalogue existed): ``manage.py index_disclosed`` gives them one."""
    have = set(CatalogueEntry.objects.filter(site=site).values_list("translation_key", flat=True))
    found = []
    candidates = (
        Page.objects.live()
        .descendant_of(site.root_page)
        .filter(locale__language_code=languages.CHINESE)
        .type(ArticlePage)
        .specific()
        .order_by("first_published_at", "pk")
    )
    for page in candidates.iterator():
        if page.translation_key not in have and disclosed_by_place(page):
            found.append(page)
    return found


def index_existing(site) -> int:
    """Give every page of ``site`` that belongs in the catalogue its entry, oldest first."""
    made = 0
    for page in pages_needing_entries(site):
        with transaction.atomic():
            if record_publish(page) is not None:
                made += 1
    return made
