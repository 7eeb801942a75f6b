"""The English edition: on or off per site (``SiteIdentity.english_edition``), and the
other-language version of the current page for the switcher and ``hreflang`` links.

Chinese pages keep their unprefixed URLs; English ones live under ``/en/``. On a site
whose English edition is off, every ``/en/`` URL is a 404 and no switcher is shown.
"""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass

from django.http import Http404
from django.urls import translate_url
from django.utils.translation import get_language
from wagtail.models import Page, Site

from portal.models import SiteIdentity
from portal.sitedata import remember_for

ENGLISH = "en"
CHINESE = "zh-hans"


def english_enabled(request) -> bool:
    return SiteIdentity.for_request(request).english_edition  # cached on the request by Wagtail


class EnglishEditionMiddleware:
    """404 for ``/en/...`` on sites without an English edition (after LocaleMiddleware)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path_info
        if (path == "/en" or path.startswith("/en/")) and not english_enabled(request):
            raise Http404("This site has no English edition.")
        token = _translations.set({})  # this request's memo of linked pages' translations
        try:
            return self.get_response(request)
        finally:
            _translations.reset(token)


@dataclass
class Version:
    language: str  # "en" or "zh-hans"
    url: str
    available: bool  # False: this page has no live translation; url is that language's home page


def other_version(request, page: Page | None) -> Version | None:
    """The page in the other language, or that language's home page when the page has no
    live translation; None when the site has no English edition (or no English home).
    Costs one query (the page's and the home page's translations are fetched together), and
    none once the site data (``portal/sitedata.py``) remembers it: every publish in the site
    starts a new snapshot."""
    if request is None or not english_enabled(request):
        return None
    target = CHINESE if get_language() == ENGLISH else ENGLISH
    if page is None or not isinstance(page, Page):
        return Version(target, translate_url(request.get_full_path(), target), True)
    if page.pk is None:  # an unsaved page has no translations to find
        return _other_version_of(request, page, target)
    return remember_for(request, "other_version", (page.pk, target), lambda: _other_version_of(request, page, target))


def _other_version_of(request, page: Page, target: str) -> Version | None:
    site = Site.find_for_request(request)
    keys = {page.translation_key} | ({site.root_page.translation_key} if site else set())
    found = {
        found.translation_key: found
        for found in Page.objects.live().filter(translation_key__in=keys, locale__language_code=target)
    }
    if page.translation_key in found:
        return Version(target, found[page.translation_key].get_url(request), True)
    home = found.get(site.root_page.translation_key) if site else None
    if home is None:
        return None
    return Version(target, home.get_url(request), False)


def is_default_language() -> bool:
    return (get_language() or CHINESE).lower() == CHINESE


# (language, translation_key) -> (specific?, live translation or None), for one request.
_translations: ContextVar[dict | None] = ContextVar("portal_translations", default=None)


def localize_pages(pages: list, specific: bool = True) -> list:
    """Pages linked from content (a column on the home page, a policy a guide rests on) in the
    active language. wagtail-localize copies such links as they are, pointing at the Chinese
    page, and leaves it to the site to follow them to the translation at render time: live
    translations replace their source; a page without one stays as it is. On Chinese pages
    nothing changes and nothing is queried.

    One query for the whole list (two with ``specific``, which links only need for their
    URL and title do not); what a request has looked up once is remembered for the rest of
    it, so a template may localize the links a view has already batched at no cost."""
    if is_default_language() or not pages:
        return pages
    language = get_language()
    memo = _translations.get()
    if memo is None:
        memo = {}
    keys = {page.translation_key for page in pages if page is not None}
    wanted = {key for key in keys if (language, key) not in memo or (specific and not memo[(language, key)][0])}
    if wanted:
        translations = Page.objects.live().filter(translation_key__in=wanted, locale__language_code=language)
        if specific:
            translations = translations.specific(defer=False)
        found = {page.translation_key: page for page in translations}
        for key in wanted:
            memo[(language, key)] = (specific, found.get(key))
    result = []
    for page in pages:
        translation = memo[(language, page.translation_key)][1] if page is not None else None
        result.append(translation or page)
    return result


def localize_page(page: Page | None, specific: bool = True) -> Page | None:
    return localize_pages([page], specific)[0] if page is not None else None
