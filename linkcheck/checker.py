"""One run of the link checker over the live pages of the cluster (or of one site).

Pages are read type by type, in chunks, with their inline objects prefetched; the links of a
chunk are checked (internal ones against the database, storage and the page tree, external
ones over the network with a concurrency limit, each URL once per run) and the broken ones
saved before the next chunk is read. At the end, rows of the run's scope that were not seen
again are deleted: those links were fixed or removed."""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from urllib.parse import unquote, urljoin, urlsplit

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.files.storage import default_storage
from django.db.models import Q
from django.http import Http404
from django.test import RequestFactory
from django.urls import Resolver404, resolve
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from wagtail.documents import get_document_model
from wagtail.models import Locale, Page, Site, get_page_models

from . import net
from .extract import DOCUMENT, PAGE, page_links, plan_for
from .models import BrokenLink, LinkCheckRun

CHUNK_SIZE = 200
SKIPPED_SCHEMES = ("mailto", "tel", "sms", "callto")
PER_HOST_LIMIT = 2


@dataclass(frozen=True)
class Problem:
    status: str
    reason: str


def _problem(outcome: net.Outcome) -> Problem | None:
    return None if outcome.ok else Problem(outcome.status, outcome.reason)


class SiteMap:
    """Which site a page belongs to (by tree, translations included) and the cluster's hosts."""

    def __init__(self, sites):
        self.sites = list(sites)
        self.by_host = {site.hostname.lower(): site for site in Site.objects.select_related("root_page")}
        self.roots: list[tuple[str, Site]] = []
        for site in self.sites:
            for root in site.root_page.get_translations(inclusive=True).only("path"):
                self.roots.append((root.path, site))
        self.roots.sort(key=lambda item: -len(item[0]))

    def site_of(self, path: str) -> Site | None:
        for root_path, site in self.roots:
            if path.startswith(root_path):
                return site
        return None

    def scope(self) -> Q:
        scope = Q(pk__in=[])
        for root_path, _site in self.roots:
            scope |= Q(path__startswith=root_path)
        return scope


class InternalChecker:
    """Pages, documents and paths of the cluster, checked without HTTP (results cached)."""

    def __init__(self):
        self.pages: dict[int, Problem | None] = {}
        self.documents: dict[int, Problem | None] = {}
        self.paths: dict[tuple[int, str], Problem | None] = {}
        self.factory = RequestFactory()

    def prefetch(self, page_ids, document_ids):
        page_ids = {pk for pk in page_ids if pk not in self.pages}
        if page_ids:
            live = dict(Page.objects.filter(pk__in=page_ids).values_list("pk", "live"))
            for pk in page_ids:
                if pk not in live:
                    self.pages[pk] = Problem("broken", _("链接的页面已删除"))
                elif not live[pk]:
                    self.pages[pk] = Problem("broken", _("链接的页面未发布"))
                else:
                    self.pages[pk] = None
        document_ids = {pk for pk in document_ids if pk not in self.documents}
        if document_ids:
            documents = {doc.pk: doc for doc in get_document_model().objects.filter(pk__in=document_ids).only("file")}
            for pk in document_ids:
                document = documents.get(pk)
                if document is None:
                    self.documents[pk] = Problem("broken", _("链接的文档已删除"))
                elif not document.file or not document.file.storage.exists(document.file.name):
                    self.documents[pk] = Problem("broken", _("文档文件缺失"))
                else:
                    self.documents[pk] = None

    def page(self, pk: int) -> Problem | None:
        if pk not in self.pages:
            self.prefetch([pk], [])
        return self.pages[pk]

    def document(self, pk: int) -> Problem | None:
        if pk not in self.documents:
            self.prefetch([], [pk])
        return self.documents[pk]

    def path(self, site: Site, path: str) -> Problem | None:
        """A path on one site of the cluster: a page (routed through the site's tree), a
        document, a media or static file, or another of the portal's URLs."""
        key = (site.pk, path)
        if key not in self.paths:
            self.paths[key] = self._path(site, path)
        return self.paths[key]

    def _path(self, site: Site, path: str) -> Problem | None:
        not_found = Problem("broken", _("页面不存在（404）"))
        if path.startswith(settings.MEDIA_URL):
            name = path[len(settings.MEDIA_URL) :]
            return None if name and default_storage.exists(name) else Problem("broken", _("文件不存在"))
        if path.startswith(settings.STATIC_URL):
            name = path[len(settings.STATIC_URL) :]
            found = name and (finders.find(name) or _static_exists(name))
            return None if found else Problem("broken", _("文件不存在"))
        language = settings.LANGUAGE_CODE
        for code, _name in settings.LANGUAGES:
            if path.startswith(f"/{code}/"):
                language = code
        with translation.override(language):
            try:
                match = resolve(path)
            except Resolver404:
                if not settings.APPEND_SLASH or path.endswith("/"):
                    return not_found
                try:  # CommonMiddleware redirects to the path with a slash
                    match = resolve(path + "/")
                except Resolver404:
                    return not_found
            if match.url_name == "wagtaildocs_serve":
                return self.document(int(match.kwargs["document_id"]))
            if match.url_name != "wagtail_serve":
                return None
            request = self.factory.get(path, HTTP_HOST=site.hostname)
            components = [part for part in match.args[0].split("/") if part] if match.args else []
            if not match.args and match.kwargs.get("path"):
                components = [part for part in match.kwargs["path"].split("/") if part]
            try:
                site.root_page.localized.specific.route(request, components)
            except Http404:
                return not_found
        return None


def _static_exists(name: str) -> bool:
    try:
        return staticfiles_storage.exists(name)
    except Exception:  # noqa: BLE001 - a manifest storage without the file raises; it is missing
        return False


class ExternalChecker:
    """http(s) addresses, each checked once per run, at most ``concurrency`` at a time and
    ``PER_HOST_LIMIT`` per host."""

    def __init__(self, timeout: float, concurrency: int):
        self.timeout = timeout
        self.concurrency = max(1, concurrency)
        self.results: dict[str, Problem | None] = {}
        self.host_slots: dict[str, threading.Semaphore] = defaultdict(lambda: threading.Semaphore(PER_HOST_LIMIT))
        self.lock = threading.Lock()
        self.requested = 0

    def _slot(self, url: str) -> threading.Semaphore:
        with self.lock:
            return self.host_slots[(urlsplit(url).hostname or "").lower()]

    def _check(self, url: str) -> Problem | None:
        with self._slot(url):
            return _problem(net.check_url(url, self.timeout))

    def check_many(self, urls) -> None:
        todo = [url for url in dict.fromkeys(urls) if url not in self.results]
        if not todo:
            return
        self.requested += len(todo)
        with ThreadPoolExecutor(max_workers=min(self.concurrency, len(todo))) as pool:
            for url, problem in zip(todo, pool.map(self._check, todo), strict=True):
                self.results[url] = problem


@dataclass
class Found:
    page_id: int
    site: Site | None
    field: str
    url: str
    kind: str
    problem: Problem


@dataclass
class RunResult:
    run: LinkCheckRun
    found: list[Found] = field(default_factory=list)


class LinkChecker:
    def __init__(
        self,
        *,
        site: Site | None = None,
        internal_only: bool = False,
        timeout: float = 10,
        concurrency: int = 8,
        progress: Callable[[str], None] | None = None,
    ):
        self.site = site
        self.internal_only = internal_only
        self.internal = InternalChecker()
        self.external = ExternalChecker(timeout, concurrency)
        self.sitemap = SiteMap([site] if site else Site.objects.select_related("root_page").order_by("pk"))
        self.progress = progress or (lambda message: None)
        self.languages = dict(Locale.objects.values_list("pk", "language_code"))

    # -- classification ------------------------------------------------------------------
    def public_path(self, page) -> str:
        """The page's path as visitors see it on its site: without the tree's root slug, with
        the language prefix in a translated tree (``/jia/nsfw/`` → ``/nsfw/``, ``/en/nsfw/``)."""
        path = "/" + page.url_path.lstrip("/").partition("/")[2]
        language = self.languages.get(page.locale_id, settings.LANGUAGE_CODE)
        return path if language == settings.LANGUAGE_CODE else f"/{language}{path}"

    def classify(self, link, page_path: str, site: Site | None):
        """(kind, display URL, check) where check is ("page", id), ("document", id),
        ("path", site, path), ("external", url), ("problem", Problem) or None to skip."""
        if link.kind == PAGE:
            return "internal", _("站内页面 #%(id)s") % {"id": link.target}, _id_check(PAGE, link.target)
        if link.kind == DOCUMENT:
            return "internal", _("文档 #%(id)s") % {"id": link.target}, _id_check(DOCUMENT, link.target)
        url = link.target
        if url.startswith("#") or not url:
            return None
        absolute = "https:" + url if url.startswith("//") else url  # scheme-relative: as on an https page
        parts = urlsplit(absolute)
        scheme = parts.scheme.lower()
        if scheme in SKIPPED_SCHEMES:
            return None
        if not scheme:
            if site is None:
                return None
            path = parts.path
            if not path.startswith("/"):
                path = urljoin(page_path, path)
            return "internal", url, ("path", site, unquote(path) or "/")
        if scheme not in net.SCHEMES:
            return (
                "external",
                url,
                ("problem", Problem("unsupported", _("不支持的链接协议：%(scheme)s") % {"scheme": scheme})),
            )
        try:
            host = (parts.hostname or "").lower()
        except ValueError:
            host = ""
        if host in self.sitemap.by_host:
            return "internal", url, ("path", self.sitemap.by_host[host], unquote(parts.path) or "/")
        return "external", url, ("external", absolute)

    # -- the run ---------------------------------------------------------------------------
    def page_types(self):
        for model in get_page_models():
            if model._meta.abstract or model is Page or plan_for(model).empty:
                continue
            yield model

    def chunks(self):
        scope = self.sitemap.scope()
        for model in self.page_types():
            content_type = ContentType.objects.get_for_model(model)
            queryset = (
                model.objects.live()
                .filter(scope, content_type=content_type)
                .order_by("pk")
                .prefetch_related(*[accessor for accessor, _fields in plan_for(model).inlines])
            )
            chunk = []
            for page in queryset.iterator(chunk_size=CHUNK_SIZE):
                chunk.append(page)
                if len(chunk) == CHUNK_SIZE:
                    yield chunk
                    chunk = []
            if chunk:
                yield chunk

    def run(self) -> LinkCheckRun:
        started = timezone.now()
        run = LinkCheckRun.objects.create(site=self.site, internal_only=self.internal_only, started_at=started)
        for chunk in self.chunks():
            found = self.check_chunk(chunk, run)
            self.save(found, started)
            run.pages_checked += len(chunk)
            self.progress(_("已检查 %(count)d 个页面") % {"count": run.pages_checked})
        stale = BrokenLink.objects.filter(last_checked__lt=started)
        if self.site:
            stale = stale.filter(site=self.site)
        if self.internal_only:
            stale = stale.filter(kind=BrokenLink.Kind.INTERNAL)
        stale.delete()
        current = BrokenLink.objects.all()
        if self.site:
            current = current.filter(site=self.site)
        run.broken_count = current.count()
        run.external_urls = self.external.requested
        run.finished_at = timezone.now()
        run.save()
        return run

    def check_chunk(self, chunk, run) -> list[Found]:
        entries = []
        for page in chunk:
            site = self.sitemap.site_of(page.path)
            for link in page_links(page):
                classified = self.classify(link, self.public_path(page), site)
                if classified is not None:
                    entries.append((page, site, link, *classified))
        run.links_checked += len(entries)
        self.internal.prefetch(
            [check[1] for *_rest, check in entries if check[0] == PAGE],
            [check[1] for *_rest, check in entries if check[0] == DOCUMENT],
        )
        if not self.internal_only:
            self.external.check_many(check[1] for *_rest, check in entries if check[0] == "external")
        found = []
        for page, site, link, kind, url, check in entries:
            problem = self.problem_of(check)
            if problem is not None:
                found.append(Found(page.pk, site, link.field, url, kind, problem))
        return found

    def problem_of(self, check) -> Problem | None:
        what = check[0]
        if what == PAGE:
            return self.internal.page(check[1])
        if what == DOCUMENT:
            return self.internal.document(check[1])
        if what == "path":
            return self.internal.path(check[1], check[2])
        if what == "problem":
            return None if self.internal_only else check[1]
        if what == "invalid":
            return Problem("broken", _("链接地址无效"))
        if self.internal_only:
            return None
        return self.external.results.get(check[1])

    def save(self, found: list[Found], now) -> None:
        if not found:
            return
        existing = {
            (row.page_id, row.field, row.url): row
            for row in BrokenLink.objects.filter(page_id__in={item.page_id for item in found})
        }
        new, changed, seen = [], [], set()
        for item in found:
            key = (item.page_id, item.field, item.url)
            if key in seen:
                continue
            seen.add(key)
            row = existing.get(key)
            if row is None:
                new.append(
                    BrokenLink(
                        site=item.site,
                        page_id=item.page_id,
                        field=item.field[:200],
                        url=item.url,
                        kind=item.kind,
                        status=item.problem.status,
                        reason=item.problem.reason[:255],
                        first_seen=now,
                        last_checked=now,
                    )
                )
            else:
                row.site, row.kind = item.site, item.kind
                row.status, row.reason, row.last_checked = item.problem.status, item.problem.reason[:255], now
                changed.append(row)
        BrokenLink.objects.bulk_create(new)
        BrokenLink.objects.bulk_update(changed, ["site", "kind", "status", "reason", "last_checked"])


def _id_check(kind: str, target: str):
    try:
        return kind, int(target)
    except ValueError:
        return ("invalid",)
