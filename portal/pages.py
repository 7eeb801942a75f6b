"""The base class of every page type, and what a page type declares about itself.

A page type says what it is with class attributes, so that the apps that list, count or
search pages find new page types without a list to edit:

* ``is_section``: a column-like page (栏目, 办事指南目录, 表格下载 …) that its parent column lists
  in its section navigation (``home.queries.child_sections``);
* ``is_publication``: what inspectors count as 信息发布 (articles, policies, guides,
  interviews, consultations, surveys): counted by 发文统计 (``monitoring.statistics``);
* ``catalogue_genre``: a page that enters its site's 政府信息公开目录 on first publication
  wherever it stands, with this 体裁 (``disclosure.models.Genre`` value; the registers: 公告, 公示);
* ``withheld_ids()``, a classmethod: the ids of its live pages that visitors must not reach
  although they are live (a city's local guide whose province guide is not live): they are
  left out of every listing and search (``portal.navigation.public_only``) and answer 404.

Where pages may go is declared by each child type's ``parent_page_types``: the home page
and columns accept any type that names them.
"""

from __future__ import annotations

import operator
import re
from functools import partial
from urllib.parse import quote

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils import translation
from django.utils.functional import SimpleLazyObject
from django.utils.http import RFC3986_SUBDELIMS
from wagtail.coreutils import WAGTAIL_APPEND_SLASH, get_supported_content_language_variant
from wagtail.models import Locale, Page, PageViewRestriction, get_page_models


class PortalPage(Page):
    """Abstract base: the metadata (<meta name=...>) a page contributes."""

    show_in_menus_default = False
    is_section = False
    is_publication = False

    class Meta:
        abstract = True

    def get_url_parts(self, request=None):
        """Wagtail's, without a ``reverse()`` under ``translation.override`` per link: the
        part of the URL before the page's path depends only on the language (and the script
        prefix), so it is reversed once per process (``serve_prefix``) and the path appended
        as ``reverse`` would quote it. Anything unusual (a page on several sites, a path the
        serve pattern would not match) takes Wagtail's way."""
        possible_sites = self._get_relevant_site_root_paths(request)
        if not possible_sites or len({values[0] for values in possible_sites}) > 1:
            return super().get_url_parts(request)
        site_id, root_path, root_url, language_code = possible_sites[0]
        rest = self.url_path[len(root_path) :]
        if not getattr(settings, "WAGTAIL_I18N_ENABLED", False) or not _SERVE_PATH.fullmatch(rest):
            return super().get_url_parts(request)
        try:
            if get_supported_content_language_variant(translation.get_language()) == language_code:
                language_code = translation.get_language()
        except LookupError:
            pass
        prefix = serve_prefix(language_code)
        if prefix is None:
            return super().get_url_parts(request)
        page_path = prefix + quote(rest, safe=RFC3986_SUBDELIMS + "/~:@")
        if not WAGTAIL_APPEND_SLASH and page_path != "/":
            page_path = page_path.rstrip("/")
        return (site_id, root_url, page_path)

    #: The page's content (inside ``<main>``) is its own published text and what staff
    #: save: nothing of the visitor, no form, no clock. It is then rendered once per site
    #: data version and kept in the shared cache (``base.html``'s ``{% contentfragment %}``),
    #: so an editor, a visitor with a session and the first visitor after a publish elsewhere
    #: in the cluster get it without rendering it. The view then hands over what only the
    #: content shows lazily (``SimpleLazyObject``), so its queries run only on a miss.
    shares_content = False
    #: Foreign keys that the page's head (metadata, JSON-LD) shows, loaded with the page
    #: when it is routed (``portal/routing.py``): a topic's name without a query of its own.
    serve_related: tuple[str, ...] = ()

    def content_key(self, request) -> tuple | None:
        """The key of this page's shared content for ``request``; None to render it (a
        preview, a query string, a draft). A view that shares the content of a page type
        that does not (an archived interview) puts it in the context as ``content_key``."""
        if (
            request is None
            or request.method not in ("GET", "HEAD")
            or request.GET
            or getattr(request, "is_preview", False)
            or not self.live
            or not self.live_revision_id
        ):
            return None
        return (self.pk, self.live_revision_id, request.scheme, request.get_host(), request.path_info)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["content_key"] = self.content_key(request) if self.shares_content else None
        return context

    @property
    def localized(self):
        """Wagtail's, without its query for the active language's ``Locale`` on every call
        (each request's routing starts with the home page's ``localized``): the locale's id
        is kept with the site data snapshot, per active language."""
        from portal import sitedata

        request = sitedata.current_request()
        if request is None or not getattr(settings, "WAGTAIL_I18N_ENABLED", False):
            return super().localized
        language = translation.get_language()
        locale_id = sitedata.remember_for(request, "locale_id", language, lambda: _locale_id(language))
        if locale_id is None:
            return super().localized
        if locale_id == self.locale_id:
            return self
        found = self.get_translation_or_none(locale_id)  # of this page's own type: no ``specific`` query
        return found if found is not None and found.live else self

    def get_view_restrictions(self):
        """Wagtail checks these before serving a page, two queries (its ancestors, their
        restrictions). The site data snapshot already holds the paths of every restricted
        page, fresh at its version numbers (saving or deleting a restriction, or moving a
        page, purges the cluster): a page none of them covers has none, with no query.
        Without a snapshot (site data off, the cache unavailable) and for aliases (whose
        original's ancestors count too), Wagtail's own check."""
        from portal import sitedata
        from portal.navigation import restricted_paths

        request = sitedata.current_request()
        if (
            request is not None
            and not self.alias_of_id
            and not any(self.path.startswith(path) for path in restricted_paths(request))
        ):
            return PageViewRestriction.objects.none()
        return super().get_view_restrictions()

    def get_meta_description(self) -> str:
        """The search description, else the page's intro when it has one."""
        return self.search_description or getattr(self, "intro", "") or ""

    def get_page_meta(self) -> dict[str, str]:
        """Column/article metadata of the national web page design norms."""
        meta = {}
        description = self.get_meta_description()
        if description:
            meta["Description"] = description
        return meta


# The path Wagtail's serve URL accepts (wagtail.urls: r"^((?:[\w\-]+/)*)$").
_SERVE_PATH = re.compile(r"(?:[\w\-]+/)*")
_serve_prefixes: dict[tuple, str | None] = {}


def lazy_update(context: dict, keys: tuple[str, ...], compute) -> None:
    """``context.update(compute())``, computed on the first use of any of ``keys`` (every
    key ``compute`` returns): for a page whose shared content alone shows them
    (``PortalPage.shares_content``), so that its queries run only when that is rendered."""

    def values() -> dict:
        found = compute()
        if set(found) != set(keys):
            raise ImproperlyConfigured(f"lazy context keys {sorted(keys)} differ from {sorted(found)}")
        return found

    computed = SimpleLazyObject(values)
    for key in keys:
        context[key] = SimpleLazyObject(partial(operator.getitem, computed, key))


def parent_title(page: Page) -> str:
    """The title of the page above ``page`` (a column's name for page metadata), kept with
    the site data snapshot per parent: routing does not load the parents (``portal/routing.py``)."""
    from portal import sitedata

    path = page.path[: -page.steplen]
    return sitedata.remember_for(
        sitedata.current_request(),
        "parent_title",
        path,
        lambda: Page.objects.filter(path=path).values_list("title", flat=True).first() or "",
    )


def _locale_id(language: str) -> int | None:
    try:
        return Locale.objects.get_for_language(language).pk
    except (LookupError, Locale.DoesNotExist):
        return None


def serve_prefix(language_code: str) -> str | None:
    """``reverse("wagtail_serve", args=("",))`` in ``language_code`` ("/" or "/en/"), kept
    per process and script prefix; None when Wagtail's serve view is not routed."""
    key = (language_code, get_script_prefix(), get_urlconf())
    if key not in _serve_prefixes:
        try:
            with translation.override(language_code):
                _serve_prefixes[key] = reverse("wagtail_serve", args=("",))
        except NoReverseMatch:
            _serve_prefixes[key] = None
    return _serve_prefixes[key]


def page_types(declaration: str) -> list[type[Page]]:
    """The concrete page types whose class sets ``declaration`` (``"is_section"``, ...)."""
    return [model for model in get_page_models() if getattr(model, declaration, False)]


def withheld_page_ids() -> list[int]:
    """Live pages that their type withholds from visitors (``withheld_ids()``), one query per
    such type."""
    models = [model for model in get_page_models() if callable(getattr(model, "withheld_ids", None))]
    return sorted({pk for model in models for pk in model.withheld_ids()})
