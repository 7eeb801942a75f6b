"""A province's content in minutes (``manage.py bench_cluster --pages --guides --letters``).

Builds, over every site of the cluster, generated articles (policy documents in the policy
and 信息公开 columns), service guides under each site's 办事指南 (``nsfw/bszn/``) and letters in
its mailboxes, until the cluster holds ``pages`` pages, ``guides`` guides and ``letters``
letters in all. What is there is counted first, so a second run adds nothing.

Pages are not added one by one through treebeard (a second each at this size): their tree
``path``, ``depth`` and ``url_path`` are worked out here, the ``wagtailcore_page`` rows are
inserted with ``bulk_create`` and the rows of the page type's own tables (multi-table
inheritance: ``home_articlepage``, then ``home_policydocumentpage``) with the model's
``_insert``; the parents' ``numchild`` is raised in the same transaction, chunk by chunk.
The pages are live and published (``first_published_at``), without revisions (as pages
imported by a migration are): the explorer, listings, routing and search do not need them.
Each chunk is indexed for search as a publish would index it (the search backend's
``add_bulk``), with the text segmented a sentence at a time and once per field and page
(``fast_indexing``: the same words as ``search.text.segment``, in a fraction of the time).

Letters get realistic statuses and dates for their age (open ones are recent), replies,
publication when the writer consented, and their timeline (``LetterEvent``); the names are
drawn from common surnames and given names. The text is generated (``demo/bulk_text.py``)
from a seeded random generator: the same number gives the same page on every run.

Run it on a scratch database only.
"""

from __future__ import annotations

import json
import random
import re
import time
import uuid
from collections import Counter, defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from datetime import time as clock
from functools import lru_cache

from django.apps import apps
from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import Case, F, Value, When
from django.utils import timezone
from django.utils.html import escape
from wagtail.models import Page, Site
from wagtail.search.backends import get_search_backend

import search.index
from correspondence.models import Letter, LetterEvent, MailboxPage
from guides.models import Department, ServiceGuideIndexPage, ServiceGuidePage, Theme
from home.models import ArticlePage, ColumnPage, PolicyDocumentPage
from portal import pagecache, sitedata
from portal.models import SiteIdentity
from portal.workdays import WorkCalendar
from search.index import SegmentedSearchField
from search.text import normalise, segment

from . import bulk_text
from .planner import refresh_statistics

ARTICLE_SLUG = "bulk-"  # bulk-1, bulk-2 …
GUIDE_SLUG = "guide-"
LETTER_PASSWORD = "BENCH2026"
CHUNK = 1000  # pages (or letters) per transaction
SEED = 2026
PROBE_TERMS = ("发票", "个人所得税", "退税", "社保费", "增值税")
LOCALE = "zh-hans"
VALIDITY = (PolicyDocumentPage.Validity.VALID, PolicyDocumentPage.Validity.EXPIRED)

# Columns that take articles, by column type: (weight, page type).
COLUMN_KINDS = {
    ColumnPage.ColumnType.NEWS: (4, ArticlePage),
    ColumnPage.ColumnType.NOTICE: (2, ArticlePage),
    ColumnPage.ColumnType.DISCLOSURE: (2, PolicyDocumentPage),
    ColumnPage.ColumnType.POLICY: (2, PolicyDocumentPage),
    ColumnPage.ColumnType.SERVICE: (1, ArticlePage),
    ColumnPage.ColumnType.TOPIC: (1, ArticlePage),
    ColumnPage.ColumnType.OTHER: (1, ArticlePage),
}
SITE_WEIGHTS = {"main": 4, "city": 2, "county": 1}  # the province's site writes the most


# ---- indexing ---------------------------------------------------------------------------------

# jieba cuts text into runs of Chinese characters, letters and digits and segments each run on
# its own: cutting at sentence ends first gives the same words.
SENTENCE_END = re.compile(r"(?<=[。！？；])")
SEGMENTED_SENTENCES = 500_000  # kept at most (some 100 MB)


class FastIndexing:
    """While the corpus is indexed, ``search.index``'s segmented fields (1) segment a sentence
    at a time, each distinct sentence once (the generated pages share their sentences;
    segmenting a page's whole text took 7 ms), and (2) compute their value once per object:
    modelsearch's indexer asks every field for its value five times (for the title, body and
    autocomplete vectors and the two plain texts), each time segmenting it again."""

    def __init__(self):
        self.sentences: dict[str, str] = {}
        self.values: dict[tuple[int, int], object] = {}

    def segment(self, text: str) -> str:
        if not text:
            return ""
        words = []
        for sentence in SENTENCE_END.split(normalise(text)):
            found = self.sentences.get(sentence)
            if found is None:
                found = segment(sentence)
                if len(self.sentences) < SEGMENTED_SENTENCES:
                    self.sentences[sentence] = found
            if found:
                words.append(found)
        return " ".join(words)

    def forget(self) -> None:
        """Drop the values of the objects indexed so far (their ids may be reused)."""
        self.values.clear()


@contextmanager
def fast_indexing():
    fast = FastIndexing()
    get_value = SegmentedSearchField.get_value

    def get_value_once(field, obj):
        key = (id(field), id(obj))
        if key not in fast.values:
            fast.values[key] = get_value(field, obj)
        return fast.values[key]

    original_segment = search.index.segment
    search.index.segment = fast.segment
    SegmentedSearchField.get_value = get_value_once
    try:
        yield fast
    finally:
        search.index.segment = original_segment
        SegmentedSearchField.get_value = get_value


# ---- where things go -------------------------------------------------------------------------


@dataclass
class Place:
    page: Page  # a column, a guide index or a mailbox
    org: str  # the site's short name, for the text
    weight: float
    model: type = ArticlePage
    site: Site | None = None
    categories: list[str] = field(default_factory=list)


def site_levels() -> dict[int, tuple[Site, str, str]]:
    """Site id -> (site, level, short name): the main site, a city (child of the main site) or
    a county."""
    identities = {identity.site_id: identity for identity in SiteIdentity.objects.select_related("text")}
    sites = list(Site.objects.select_related("root_page").order_by("-is_default_site", "hostname"))
    default = next((site for site in sites if site.is_default_site), None)
    found = {}
    for site in sites:
        identity = identities.get(site.pk)
        parent = identity.parent_site_id if identity else None
        level = "main" if site.is_default_site else ("city" if parent in (None, default and default.pk) else "county")
        name = (identity.text.logo_text if identity and identity.text_id else "") or site.site_name
        found[site.pk] = (site, level, name.removeprefix("国家税务总局") or site.hostname)
    return found


def _site_of(page: Page, roots: list[tuple[str, int]]) -> int | None:
    return next((site_id for path, site_id in roots if page.path.startswith(path)), None)


def places() -> tuple[list[Place], list[Place], list[Place]]:
    """(article columns, guide indexes, mailboxes) of every site, in a stable order."""
    levels = site_levels()
    roots = sorted(((site.root_page.path, pk) for pk, (site, _, _) in levels.items()), key=lambda r: -len(r[0]))
    article_models = [model for model in apps.get_models() if issubclass(model, ArticlePage)]
    family = {ct.pk for ct in ContentType.objects.get_for_models(*article_models).values()}
    columns, indexes, mailboxes = [], [], []
    zh = {"locale__language_code": LOCALE}
    all_columns = list(ColumnPage.objects.live().filter(**zh).order_by("path"))
    child_types = defaultdict(set)
    for path, content_type in Page.objects.filter(depth__gt=2, **zh).values_list("path", "content_type_id").iterator():
        child_types[path[: -Page.steplen]].add(content_type)
    for column in all_columns:
        kind = COLUMN_KINDS.get(column.column_type)
        site_id = _site_of(column, roots)
        types = child_types.get(column.path, set())
        if kind is None or site_id is None or not types <= family:  # sub-columns, guides, forms …
            continue
        weight, model = kind
        site, level, name = levels[site_id]
        columns.append(Place(column, name, weight * SITE_WEIGHTS[level], model, site))
    for index in ServiceGuideIndexPage.objects.live().filter(**zh).order_by("path"):
        site_id = _site_of(index, roots)
        if site_id is not None:
            site, level, name = levels[site_id]
            indexes.append(Place(index, name, SITE_WEIGHTS[level], ServiceGuidePage, site))
    for mailbox in MailboxPage.objects.live().filter(**zh).prefetch_related("categories").order_by("path"):
        site_id = _site_of(mailbox, roots)
        if site_id is not None:
            site, level, name = levels[site_id]
            categories = [category.name for category in mailbox.categories.all()]
            weight = SITE_WEIGHTS[level] * (3 if mailbox.kind == "consultation" else 1)
            mailboxes.append(Place(mailbox, name, weight, site=site, categories=categories))
    return columns, indexes, mailboxes


# ---- inserting pages --------------------------------------------------------------------------


class Tree:
    """The next free tree path under each parent (treebeard's materialised path)."""

    def __init__(self):
        self.next_step: dict[int, int] = {}

    def child_path(self, parent: Page) -> str:
        if parent.pk not in self.next_step:
            last = (
                Page.objects.filter(path__startswith=parent.path, depth=parent.depth + 1)
                .order_by("-path")
                .values_list("path", flat=True)
                .first()
            )
            self.next_step[parent.pk] = Page._str2int(last[-Page.steplen :]) + 1 if last else 1
        step = self.next_step[parent.pk]
        self.next_step[parent.pk] = step + 1
        return Page._get_path(parent.path, parent.depth + 1, step)

    def place(self, page: Page, parent: Page) -> Page:
        page.path = self.child_path(parent)
        page.depth = parent.depth + 1
        page.url_path = f"{parent.url_path}{page.slug}/"
        page.locale_id = parent.locale_id
        page.translation_key = uuid.uuid4()
        page.draft_title = page.title
        page.live = True
        page.has_unpublished_changes = False
        page.numchild = 0
        return page


def _batches(fields, objs):
    size = max(1, connection.ops.bulk_batch_size(fields, objs) or len(objs))
    for start in range(0, len(objs), size):
        yield objs[start : start + size]


def copy_rows(model, fields, objs) -> None:
    """Insert ``objs``' values of ``fields`` into ``model``'s table with PostgreSQL's COPY (a
    bulk INSERT quotes every double quote of the StreamField JSON one by one in Python)."""
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    with connection.cursor() as cursor, cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        for obj in objs:
            copy.write_row([field.get_db_prep_save(field.pre_save(obj, True), connection) for field in fields])


def insert_pages(pages: list[Page]) -> None:
    """Insert new pages of one type: ``wagtailcore_page`` rows first (their ids come back),
    then each table of the type's inheritance chain, then the parents' ``numchild``."""
    model = type(pages[0])
    Page.objects.bulk_create(pages, batch_size=500)
    chain = [parent for parent in reversed(model._meta.get_parent_list()) if parent is not Page] + [model]
    for page in pages:
        for level in chain:
            for link in level._meta.parents.values():
                setattr(page, link.attname, page.id)
        page._state.adding = False
    for level in chain:
        fields = level._meta.local_concrete_fields
        if connection.vendor == "postgresql":
            copy_rows(level, fields, pages)
        else:
            for batch in _batches(fields, pages):
                level._base_manager._insert(batch, fields=fields, using=connection.alias)
    added = Counter(page.path[: -Page.steplen] for page in pages)
    parents = dict(Page.objects.filter(path__in=list(added)).values_list("path", "pk"))
    Page.objects.filter(pk__in=parents.values()).update(
        numchild=F("numchild") + Case(*(When(pk=pk, then=Value(added[path])) for path, pk in parents.items()))
    )


def index(pages: list[Page], fast: FastIndexing | None = None) -> None:
    """Index new pages as publishing them would: the search backend's ``add_bulk`` per page
    type, or on PostgreSQL the same rows written in one statement (``postgres_index_rows``)."""
    backend = get_search_backend()
    by_model = defaultdict(list)
    for page in pages:
        by_model[type(page)].append(page)
    for model, objs in by_model.items():
        if connection.vendor == "postgresql" and backend.__class__.__name__ == "PostgresSearchBackend":
            postgres_index_rows(backend, model, objs)
        else:
            backend.add_bulk(model, objs)
    if fast is not None:
        fast.forget()


def _vector(texts: list[tuple[str, str]], config: str | None) -> tuple[str, list]:
    """SQL for modelsearch's vector of ``(text, weight)`` pairs (``ObjectIndexer.as_vector``)."""
    texts = [(text.strip(), weight) for text, weight in texts if text.strip()]
    if not texts:
        return "''::tsvector", []
    parse = "to_tsvector(%s::regconfig, %s::text)" if config else "to_tsvector(%s::text)"
    sql = " || ".join(f"setweight({parse}, %s)" for _ in texts)
    params = [value for text, weight in texts for value in ((config, text, weight) if config else (text, weight))]
    return sql, params


def postgres_index_rows(backend, model, objs: list) -> None:
    """What modelsearch's ``PostgresIndex.add_items`` writes for ``objs``, built without its
    per-object Django expressions (which cost more than the rest of the indexing together):
    the same texts and weights from its ``ObjectIndexer``, as SQL. ``verify_index`` compares
    the rows with modelsearch's own after the build."""
    from modelsearch.backends.database.postgres.postgres import IndexEntry, ObjectIndexer
    from modelsearch.index import AutocompleteField, SearchField

    content_type = ContentType.objects.get_for_model(model).pk
    values, params = [], []
    for obj in objs:
        indexer = ObjectIndexer(obj, backend)
        title, body, autocomplete = [], [], []
        for search_field in indexer.search_fields:
            for found, weight, value in indexer.prepare_field(obj, search_field):
                if isinstance(found, SearchField):
                    (title if found.field_name == "title" else body).append((value, weight))
                elif isinstance(found, AutocompleteField):
                    autocomplete.append((value, weight))
        sqls = []
        row = [content_type, str(obj.pk)]
        vectors = ((title, indexer.config), (autocomplete, indexer.autocomplete_config), (body, indexer.config))
        for texts, config in vectors:
            sql, vector_params = _vector(texts, config)
            sqls.append(sql)
            row += vector_params
        row += [" ".join(t.strip() for t, _ in title if t.strip()), " ".join(t.strip() for t, _ in body if t.strip())]
        values.append(f"(%s, %s, {sqls[0]}, {sqls[1]}, {sqls[2]}, 1.0, %s, %s)")
        params += row
    table = IndexEntry._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (content_type_id, object_id, title, autocomplete, body, title_norm, title_text,"
            f" body_text) VALUES {', '.join(values)} ON CONFLICT (content_type_id, object_id) DO UPDATE SET"
            " title = EXCLUDED.title, title_norm = 1.0, autocomplete = EXCLUDED.autocomplete, body = EXCLUDED.body,"
            " title_text = EXCLUDED.title_text, body_text = EXCLUDED.body_text",
            params,
        )
    backend.get_index_for_model(model)._refresh_title_norms()


def verify_index(pages: list[Page]) -> None:
    """Index ``pages`` again the backend's own way and check that nothing changes: the bulk
    rows are the rows Wagtail writes on publish (else the build stops, naming the page)."""
    from wagtail.search.models import IndexEntry

    backend = get_search_backend()
    fields = ["content_type_id", "object_id", "title", "autocomplete", "body", "title_text", "body_text"]
    if connection.vendor != "postgresql":
        return  # SQLite: the bulk build uses the backend's own add_bulk
    for page in pages:
        page = page.specific
        rows = IndexEntry.objects.filter(object_id=str(page.pk))
        before = [tuple(map(str, row)) for row in rows.values_list(*fields)]
        backend.add(page)
        after = [tuple(map(str, row)) for row in rows.values_list(*fields)]
        if before != after:
            raise RuntimeError(f"the bulk search index row of page {page.pk} differs from Wagtail's: {before} {after}")


def _when(rng: random.Random, now: datetime, years: float) -> datetime:
    """A moment in the last ``years`` years, recent ones likelier (sites publish more now)."""
    minutes = int((rng.random() ** 1.5) * years * 365 * 24 * 60)
    return now - timedelta(minutes=minutes + 30)


def _paragraphs(texts: list[str]) -> str:
    return json.dumps(
        [{"type": "paragraph", "value": f"<p>{escape(text)}</p>", "id": str(uuid.uuid4())} for text in texts],
        ensure_ascii=False,
    )


class Builder:
    def __init__(self, out=None, chunk: int = CHUNK, seed: int = SEED):
        self.out = out or (lambda line: None)
        self.chunk = chunk
        self.seed = seed
        self.tree = Tree()
        self.times: dict[str, float] = defaultdict(float)
        self.terms = Counter()  # articles of this run that contain each probe term
        self.now = timezone.now()
        self.fast: FastIndexing | None = None

    # ---- articles ----------------------------------------------------------------------------
    def article(self, number: int, place: Place) -> Page:
        rng = random.Random(self.seed * 10_000_000 + number)
        policy = place.model is PolicyDocumentPage
        text = bulk_text.article(rng, place.org, policy=policy)
        when = _when(rng, self.now, 6)
        fields = {
            "title": text.title,
            "slug": f"{ARTICLE_SLUG}{number}",
            "date": when,
            "first_published_at": when,
            "last_published_at": when,
            "summary": text.summary,
            "keywords": text.keywords,
            "source": place.org,
            "body": _paragraphs(text.paragraphs),
        }
        if policy:
            fields.update(
                issuing_body=f"国家税务总局{place.org}",
                document_number=f"{place.org[:2]}税发〔{when.year}〕{number % 97 + 1}号",
                written_date=(when - timedelta(days=rng.randint(1, 10))).date(),
                validity=PolicyDocumentPage.Validity.VALID
                if rng.random() < 0.85
                else PolicyDocumentPage.Validity.EXPIRED,
                kind=rng.choice(list(PolicyDocumentPage.Kind.values)),
            )
        whole = text.title + "".join(text.paragraphs)
        self.terms.update(term for term in PROBE_TERMS if term in whole)
        return self.tree.place(place.model(**fields), place.page)

    def articles(self, count: int, columns: list[Place]) -> int:
        if count <= 0 or not columns:
            return 0
        first = Page.objects.filter(slug__startswith=ARTICLE_SLUG).count() + 1
        weights = [place.weight for place in columns]
        self.out(f"  articles: adding {count:,} over {len(columns)} columns …")
        for start in range(first, first + count, self.chunk):
            numbers = range(start, min(first + count, start + self.chunk))
            chosen = [random.Random(self.seed + number).choices(columns, weights=weights)[0] for number in numbers]
            self.pages([self.article(n, place) for n, place in zip(numbers, chosen, strict=True)], "articles")
        return count

    # ---- guides --------------------------------------------------------------------------------
    def guides(self, count: int, indexes: list[Place]) -> int:
        if count <= 0 or not indexes:
            return 0
        themes = {theme.slug: theme for theme in Theme.objects.filter(locale__language_code=LOCALE)}
        departments = list(Department.objects.filter(locale__language_code=LOCALE).order_by("pk"))
        first = ServiceGuidePage.objects.filter(slug__startswith=GUIDE_SLUG).count() + 1
        self.out(f"  guides: adding {count:,} over {len(indexes)} guide indexes …")
        weights = [place.weight for place in indexes]
        for start in range(first, first + count, self.chunk):
            batch = []
            for number in range(start, min(first + count, start + self.chunk)):
                rng = random.Random(self.seed * 20_000_000 + number)
                place = rng.choices(indexes, weights=weights)[0]
                batch.append(self.guide(rng, number, place, themes, departments))
            self.pages(batch, "guides")
        return count

    def guide(self, rng, number: int, place: Place, themes: dict, departments: list) -> Page:
        text = bulk_text.guide(rng, place.org, number)
        when = _when(rng, self.now, 4)
        statutory, promised = text.days
        blocks = {
            "conditions": [{"type": "condition", "value": value} for value in text.conditions],
            "steps": [{"type": "step", "value": {"title": t, "description": d}} for t, d in text.steps],
            "faq": [{"type": "faq", "value": {"question": q, "answer": a}} for q, a in text.faq],
        }
        for values in blocks.values():
            for block in values:
                block["id"] = str(uuid.uuid4())
        page = ServiceGuidePage(
            title=text.title,
            slug=f"{GUIDE_SLUG}{number}",
            first_published_at=when,
            last_published_at=when,
            item_code=f"{11100 + number % 900:05d}{number:06d}",
            theme=themes.get(text.theme),
            department=departments[number % len(departments)] if departments else None,
            for_individuals=text.individuals or not text.enterprises,
            for_enterprises=text.enterprises,
            summary=text.summary,
            statutory_days=statutory or None,
            promised_days=promised,
            place=f"{place.org}办税服务厅",
            hours="工作日上午9:00—12:00，下午13:30—17:00",
            phone="12366",
            visits=text.visits,
            online_url="https://etax.example.gov.cn/" if text.visits == 0 else "",
            **{name: json.dumps(values, ensure_ascii=False) for name, values in blocks.items()},
        )
        page.materials = []  # indexed through RelatedFields: none, and no query for them
        return self.tree.place(page, place.page)

    def pages(self, pages: list[Page], stage: str) -> None:
        start = time.perf_counter()
        by_model = defaultdict(list)
        for page in pages:
            by_model[type(page)].append(page)
        with transaction.atomic():
            for group in by_model.values():
                insert_pages(group)
            inserted = time.perf_counter()
            index(pages, self.fast)
        self.times[stage] += inserted - start
        self.times["search index"] += time.perf_counter() - inserted

    # ---- letters -------------------------------------------------------------------------------
    def letters(self, count: int, mailboxes: list[Place]) -> int:
        if count <= 0 or not mailboxes:
            return 0
        started = time.perf_counter()
        calendar = WorkCalendar.load()
        calendar.add_workdays = lru_cache(maxsize=None)(calendar.add_workdays)  # the same days, many letters
        password = make_password(LETTER_PASSWORD)
        first = Letter.objects.count() + 1
        weights = [place.weight for place in mailboxes]
        self.out(f"  letters: adding {count:,} over {len(mailboxes)} mailboxes …")
        for start in range(first, first + count, self.chunk * 5):
            letters, events = [], []
            for number in range(start, min(first + count, start + self.chunk * 5)):
                rng = random.Random(self.seed * 30_000_000 + number)
                place = rng.choices(mailboxes, weights=weights)[0]
                letter, steps = self.letter(rng, number, place, calendar, password)
                letters.append(letter)
                events.append(steps)
            with transaction.atomic():
                Letter.objects.bulk_create(letters, batch_size=1000)
                LetterEvent.objects.bulk_create(
                    [
                        LetterEvent(letter=letter, action=action, created_at=when, note=note)
                        for letter, steps in zip(letters, events, strict=True)
                        for action, when, note in steps
                    ],
                    batch_size=2000,
                )
        self.times["letters"] += time.perf_counter() - started
        return count

    def letter(self, rng, number: int, place: Place, calendar: WorkCalendar, password: str):
        mailbox = place.page
        received_at = _when(rng, self.now, 4)
        received_day = timezone.localtime(received_at).date()
        today = timezone.localdate()
        category, subject, content = bulk_text.letter_text(rng, place.categories)
        name = bulk_text.person(rng)
        letter = Letter(
            mailbox=mailbox,
            site=place.site,
            code=f"XJ{received_day:%y%m%d}{number:07d}",
            password_hash=password,
            name=name,
            phone=f"1380013{number % 10000:04d}" if rng.random() < 0.7 else "",
            email=f"writer{number}@example.com" if rng.random() < 0.5 else "",
            subject=subject,
            category=category,
            content=content,
            consent_publish=rng.random() < 0.55,
            received_at=received_at,
            due_date=calendar.add_workdays(received_day, mailbox.reply_days),
            department_id=mailbox.department_id,
            status=Letter.Status.RECEIVED,
        )
        steps = [(LetterEvent.Action.RECEIVED, received_at, "")]
        age = (today - received_day).days
        if age < 1:
            return letter, steps
        assigned_at = min(self._at(calendar.add_workdays(received_day, 1), 10), self.now)
        steps.append((LetterEvent.Action.ASSIGNED, assigned_at, mailbox.title))
        letter.status = Letter.Status.ASSIGNED
        if rng.random() < 0.06 and mailbox.extra_days:
            letter.due_date = calendar.add_workdays(letter.due_date, mailbox.extra_days)
            letter.extended = True
            letter.status = Letter.Status.EXTENDED
            steps.append((LetterEvent.Action.EXTENDED, assigned_at + timedelta(days=2), "需要会同有关部门核实。"))
        # Open while young; a few old ones are still open (overdue, as in any real mailbox).
        late = rng.random() < 0.05
        after = rng.randint(1, max(1, mailbox.reply_days + (mailbox.extra_days if letter.extended else 0)))
        after += rng.randint(1, 6) if late else 0
        answered_day = calendar.add_workdays(received_day, after)
        if answered_day >= today or rng.random() < 0.004:
            return letter, steps
        letter.answered_at = self._at(answered_day, 16, rng.randint(0, 59))
        if rng.random() < 0.06:
            letter.status = Letter.Status.NOT_HANDLED
            letter.reply = bulk_text.NOT_HANDLED
            steps.append((LetterEvent.Action.NOT_HANDLED, letter.answered_at, ""))
            return letter, steps
        letter.status = Letter.Status.REPLIED
        letter.reply = bulk_text.reply(rng)
        steps.append((LetterEvent.Action.REPLIED, letter.answered_at, ""))
        if letter.consent_publish and rng.random() < 0.75:
            letter.is_published = True
            letter.published_at = min(letter.answered_at + timedelta(hours=rng.randint(1, 72)), self.now)
            steps.append((LetterEvent.Action.PUBLISHED, letter.published_at, ""))
        return letter, steps

    @staticmethod
    def _at(day, hour: int, minute: int = 0) -> datetime:
        return timezone.make_aware(datetime.combine(day, clock(hour, minute)))


def build(pages: int = 0, guides: int = 0, letters: int = 0, out=None, chunk: int = CHUNK) -> dict:
    """Top the cluster up to ``pages`` pages (all pages, the guides included), ``guides``
    service guides and ``letters`` letters. Returns what was added and how long each stage
    took (seconds)."""
    out = out or (lambda line: None)
    builder = Builder(out, chunk=chunk)
    missing_guides = max(0, guides - ServiceGuidePage.objects.count())
    missing_pages = max(0, pages - Page.objects.count() - missing_guides)
    missing_letters = max(0, letters - Letter.objects.count())
    added = {"articles": 0, "guides": 0, "letters": 0}
    columns, indexes, mailboxes = [], [], []
    if missing_guides or missing_pages or missing_letters:
        started = time.perf_counter()
        columns, indexes, mailboxes = places()
        builder.times["places"] = time.perf_counter() - started
        with fast_indexing() as builder.fast:
            added["guides"] = builder.guides(missing_guides, indexes)
            added["articles"] = builder.articles(missing_pages, columns)
        added["letters"] = builder.letters(missing_letters, mailboxes)
        samples = [
            *Page.objects.filter(slug__startswith=ARTICLE_SLUG).order_by("-pk")[:3],
            *PolicyDocumentPage.objects.filter(slug__startswith=ARTICLE_SLUG).order_by("-pk")[:2],
            *ServiceGuidePage.objects.filter(slug__startswith=GUIDE_SLUG).order_by("-pk")[:2],
        ]
        verify_index(samples)
        finish = time.perf_counter()
        pagecache.purge_all()  # signals did not run: no cached page or site data is current
        sitedata.clear()
        refresh_statistics()
        builder.times["analyze"] = time.perf_counter() - finish
    return {
        "added": added,
        "times": dict(builder.times),
        "terms": dict(builder.terms),
        "places": (len(columns), len(indexes), len(mailboxes)),
    }
