"""The English edition of the demo (main site only): which pages and snippets are translated,
and the translations, kept in ``english/*.po`` as a translator would deliver them (``msgid``
the Chinese segment, ``msgstr`` the English; ``msgctxt`` says where it is used).

Loading goes through wagtail-localize (``TranslationSource`` → ``Translation`` → segment
translations → ``save_target``), so the English pages are synced translations: editors open
them in the translation editor, and a later change to a Chinese page shows there as needing
an update. Strings are matched by their Chinese text, not by position, so editing the Chinese
demo leaves untouched strings translated; ``manage.py demo_translations`` rewrites the PO files
from the loaded demo (keeping what is translated) and lists what is missing.

The English interview archive's transcript is not page content (it is the live record of
``Entry`` rows); it is written in ``content_interviews.ENGLISH_INTERVIEWS`` and loaded as the
English page's own record.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import polib
from django.db.models import Model
from wagtail.models import Locale, Page
from wagtail_localize.models import StringSegment, StringTranslation, Translation, TranslationSource

from guides.models import Department, FormItem, ServiceGuidePage, Theme
from interviews.demo import content_interviews
from interviews.demo.interviews import InterviewsLoader
from interviews.models import InterviewPage
from portal.models import SiteIdentity

ENGLISH_DIR = Path(__file__).with_name("english")
LANGUAGE = "en"
HAN = re.compile(r"[\u3400-\u9fff]")
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\.?")

# Main-site pages with an English version, by URL path under the home page (parents first),
# and the PO file that holds each one's strings.
GUIDES = ["fp-pzhd", "fp-hzfp", "dj-xxqr", "dj-zx", "sb-zzs", "sb-qysds-yj", "yh-xwqy", "yh-yfjj", "zm-wszm", "gs-hsqj"]
POLICIES = ["p2026-03-einvoice", "p2026-08-small-profit", "p2026-04-rd", "p2026-06-iit", "p2026-10-service"]
# Pages written for the questions asked most (search/TOPICS.md), in topics.po.
TOPIC_GUIDES = ["yh-xgm", "sb-yqsb", "sb-nsxy", "dj-fzch", "sb-ldts", "fp-ysbg", "fp-dk", "dj-bg", "sb-ts", "zm-nsjl"]
INTERVIEW = "interview-2026-08-enterprise-tax"
PAGES = [
    ("", "site"),
    ("gzdt/", "site"),
    ("gzdt/swyw/", "site"),
    ("gzdt/swyw/swyw-einvoice-full-coverage/", "news"),
    ("gzdt/swyw/swyw-iit-annual-settlement-2025-done/", "news"),
    ("gzdt/swyw/swyw-press-conference-innovation/", "news"),
    ("tzgg/", "site"),
    ("tzgg/tzgg-2026-h2-filing-deadlines/", "news"),
    ("tzgg/tzgg-12366-service-hours/", "news"),
    ("xxgk/", "site"),
    ("xxgk/gkml/", "site"),  # the 公开目录 (disclosure/demo.py)
    ("xxgk/ysqgk/", "site"),  # 依申请公开: the application form (inforequests/demo/loader.py)
    ("xxgk/ndbg/", "site"),
    ("xxgk/ndbg/ndbg-2025-annual-report/", "reports"),  # generated (annualreports/demo.py)
    ("zcwj/", "site"),
    *((f"zcwj/{slug}/", "policies-1" if number < 3 else "policies-2") for number, slug in enumerate(POLICIES)),
    ("zcjd/", "site"),
    ("zcjd/jd-2026-08-enterprise-tax-interview/", "policies-2"),
    ("nsfw/", "site"),
    ("nsfw/bszn/", "site"),
    *((f"nsfw/bszn/{slug}/", "guides-1" if number < 5 else "guides-2") for number, slug in enumerate(GUIDES)),
    ("nsfw/bgxz/", "site"),
    ("zcwj/p2026-11-small-scale/", "topics"),
    ("zcjd/jd-2026-11-small-scale/", "topics"),
    *((f"nsfw/bszn/{slug}/", "topics") for slug in TOPIC_GUIDES),
    ("nsfw/bszy/", "topics"),
    ("nsfw/bszy/bszy-etax-login/", "topics"),
    ("zxft/", "site"),
    (f"zxft/{INTERVIEW}/", "interview"),
    ("hdjl/", "site"),
    ("hdjl/zxxx/", "site"),
    ("about/", "site"),
    ("contact/", "site"),
    ("accessibility/", "site"),
    ("privacy/", "site"),
    ("sitemap/", "site"),
]


@dataclass
class Source:
    """One object to translate: a page or a snippet, and its PO file."""

    group: str
    label: str
    instance: Model


def sources(home: Page) -> list[Source]:
    """The snippets first (pages refer to them), then the pages, parents before children."""
    chinese = home.locale
    items: list[Source] = [Source("identity", "SiteText", SiteIdentity.for_site(home.get_site()).text)]
    guides = ServiceGuidePage.objects.descendant_of(home).filter(slug__in=GUIDES + TOPIC_GUIDES)
    for model in (Theme, Department):
        items += [Source("snippets", f"{model.__name__}:{o.slug}", o) for o in model.objects.filter(locale=chinese)]
    forms = FormItem.objects.filter(locale=chinese, guide_materials__page__in=guides).distinct().order_by("code")
    items += [Source("snippets", f"FormItem:{form.code}", form) for form in forms]
    interview = Page.objects.descendant_of(home).get(slug=INTERVIEW).specific
    items += [Source("interview", f"Guest:{link.guest.name}", link.guest) for link in interview.guest_links.all()]
    for path, group in PAGES:
        page = Page.objects.get(url_path=f"{home.url_path}{path}", locale=chinese).specific
        items.append(Source(group, f"/{path}", page))
    return items


def key(path: str, text: str) -> str:
    """Translations are looked up by Chinese text; a slug is kept apart from a title."""
    return f"slug\x04{text}" if path == "slug" else text


def lookup(memory: dict[str, str], path: str, text: str) -> str:
    """The English for a segment; codes, numbers, phone numbers and URLs stand as they are."""
    english = memory.get(key(path, text), "")
    if not english and not HAN.search(text) and path != "slug":
        english = text
    return english


def context(source: Source, path: str) -> str:
    return f"{source.label} {UUID.sub('', path)}"


def read_memory(directory: Path = ENGLISH_DIR) -> dict[str, str]:
    memory: dict[str, str] = {}
    for po_path in sorted(directory.glob("*.po")):
        for entry in polib.pofile(str(po_path)):
            if entry.msgstr and not entry.obsolete:
                memory[key(entry.msgctxt.rsplit(" ", 1)[-1], entry.msgid)] = entry.msgstr
    return memory


def written_english() -> dict[str, str]:
    """Translations already written with the interview content (its page fields, guests)."""
    known: dict[str, str] = {}
    chinese = next(spec for spec in content_interviews.INTERVIEWS if spec["slug"] == INTERVIEW)
    english = content_interviews.ENGLISH_INTERVIEWS[INTERVIEW]
    for name in ("title", "summary", "host", "host_title"):
        known[chinese[name]] = english[name]
    known[chinese["image"]["alt"]] = english["image_alt"]
    for guest_key, english_guest in content_interviews.ENGLISH_GUESTS.items():
        for name, text in english_guest.items():
            known[content_interviews.GUESTS[guest_key][name]] = text
    return known


def segments(source: Source):
    """``(path, Chinese text, StringSegment)`` of a source, refreshed from the instance."""
    translation_source, created = TranslationSource.update_or_create_from_instance(source.instance)
    if not created:
        translation_source.refresh_segments()  # also after a change in how segments are extracted
    rows = StringSegment.objects.filter(source=translation_source).select_related("string", "context").order_by("order")
    return translation_source, [(row.context.path, row.string.data, row) for row in rows]


@dataclass
class Export:
    files: dict[str, polib.POFile] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)


def export(home: Page, directory: Path = ENGLISH_DIR) -> Export:
    """Rewrite the PO files from the demo as loaded, keeping every translation that still
    matches a Chinese string; report the strings still untranslated."""
    memory = {**written_english(), **read_memory(directory)}
    result = Export()
    for source in sources(home):
        po = result.files.setdefault(source.group, _new_po(source.group))
        _, rows = segments(source)
        for path, text, _row in rows:
            msgctxt = context(source, path)
            if po.find(text, msgctxt=msgctxt):
                continue
            english = lookup(memory, path, text)
            po.append(polib.POEntry(msgctxt=msgctxt, msgid=text, msgstr=english))
            if not english:
                result.missing.append(f"{source.group}: {msgctxt}")
    directory.mkdir(exist_ok=True)
    for group, po in result.files.items():
        po.save(str(directory / f"{group}.po"))
    return result


def _new_po(group: str) -> polib.POFile:
    po = polib.POFile(wrapwidth=0)
    po.metadata = {
        "Project-Id-Version": f"portal demo ({group})",
        "Language": LANGUAGE,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=utf-8",
        "Content-Transfer-Encoding": "8bit",
    }
    return po


class EnglishLoader:
    """Creates the English edition of the main site through wagtail-localize."""

    def __init__(self, loader):
        self.loader = loader
        self.locale, _ = Locale.objects.get_or_create(language_code=LANGUAGE)
        self.memory = {**written_english(), **read_memory()}
        self.missing: list[str] = []

    def run(self, home: Page) -> None:
        for source in sources(home):
            self.translate(source)
        self.interview_transcript(home)
        identity = SiteIdentity.for_site(home.get_site())
        if not identity.english_edition:
            identity.english_edition = True
            identity.save(update_fields=["english_edition"])
        if self.missing:
            self.loader.note(f"English demo: {len(self.missing)} strings untranslated (shown in Chinese)")

    def translate(self, source: Source) -> None:
        instance = source.instance
        if instance.get_translation_or_none(self.locale) is not None:
            return
        translation_source, rows = segments(source)
        translation, _ = Translation.objects.get_or_create(source=translation_source, target_locale=self.locale)
        for path, text, row in rows:
            english = lookup(self.memory, path, text)
            if not english:
                self.missing.append(context(source, path))
                continue
            StringTranslation.objects.update_or_create(
                translation_of=row.string,
                locale=self.locale,
                context=row.context,
                defaults={"data": english, "translation_type": StringTranslation.TRANSLATION_TYPE_MANUAL},
            )
        # publish=True would publish on commit from a revision holding the page as it was
        # then, which resets the tree's child counts; publish each page now instead
        is_page = isinstance(instance, Page)
        translation.save_target(publish=not is_page)
        if is_page:
            instance.get_translation(self.locale).get_latest_revision().publish()
        self.loader.note(f"English {source.label}")

    def interview_transcript(self, home: Page) -> None:
        """The English archive's own record, entry for entry as the Chinese one."""
        chinese = InterviewPage.objects.descendant_of(home).get(slug=INTERVIEW, locale=home.locale)
        page = chinese.get_translation(self.locale)
        if page.entries.exists():
            return
        spec = next(spec for spec in content_interviews.INTERVIEWS if spec["slug"] == INTERVIEW)
        spec = {**spec, **content_interviews.ENGLISH_INTERVIEWS[INTERVIEW], "rejected": []}
        guests = {
            key: guest.get_translation(self.locale)
            for key, guest in (
                (key, chinese.guest_links.get(guest__name=content_interviews.GUESTS[key]["name"]).guest)
                for key in spec["guests"]
            )
        }
        interviews = InterviewsLoader(self.loader)
        start, end = interviews.schedule(spec)
        interviews.history(page, spec, guests, start, end)
