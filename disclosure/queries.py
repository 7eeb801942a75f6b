"""Public reads of the disclosure catalogue: the 信息索引 block of one page and the listing of
a site's 公开目录 with its filters (主题分类, 体裁分类, 发布机构, 年份) and search, in a fixed
number of queries however many items the site has."""

from __future__ import annotations

from django.db.models import Q
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _
from wagtail.models import Locale

from guides.models import Theme
from portal import languages
from portal.facets import counts, facet, link
from portal.navigation import public_only
from portal.pagination import paginate
from portal.sitedata import remember, remember_for

from .models import CatalogueEntry, Genre

QUERY_MAX_LENGTH = 100


def active_themes(request) -> dict:
    """主题分类 of the active language by translation key (the entries hold the Chinese rows)."""

    def load():
        locale = Locale.get_active()
        return {theme.translation_key: theme for theme in Theme.objects.filter(locale=locale)}

    return remember(request, "disclosure_themes", load)


def entry_of(page, request) -> CatalogueEntry | None:
    """The live entry of ``page`` (or of the page it translates), with its theme in the active language."""
    site = page.get_site()
    if site is None:
        return None
    entry = (
        CatalogueEntry.objects.filter(site=site, translation_key=page.translation_key, withdrawn=False)
        .select_related("theme")
        .first()
    )
    if entry is not None and entry.theme is not None and not languages.is_default_language():
        entry.theme = active_themes(request).get(entry.theme.translation_key, entry.theme)
    return entry


def public_entries(site, request):
    """Entries of ``site`` whose page a visitor may open (live, not restricted, not withheld)."""
    return public_only(CatalogueEntry.objects.filter(site=site, withdrawn=False, page__live=True), request, "page__")


def search_condition(query: str) -> Q:
    """Every word in the title, the 索引号 or the 文号."""
    condition = Q()
    for word in query.split():
        condition &= (
            Q(page__title__icontains=word) | Q(index_number__icontains=word) | Q(document_number__icontains=word)
        )
    return condition


def catalogue(catalogue_page, request) -> dict:
    params = request.GET
    site = catalogue_page.get_site()
    base = public_entries(site, request)
    themes = active_themes(request)
    genre_labels = dict(Genre.choices)

    query = " ".join(params.get("q", "").split())[:QUERY_MAX_LENGTH]
    theme = next((t for t in themes.values() if t.slug == params.get("theme")), None)
    genre = params.get("genre") if params.get("genre") in genre_labels else None
    organisation = params.get("org", "").strip()[:200] or None
    year = params["year"] if params.get("year", "").isdigit() and len(params["year"]) == 4 else None
    if query:
        base = base.filter(search_condition(query))
    filters = {
        "theme": Q(theme__translation_key=theme.translation_key) if theme else Q(),
        "genre": Q(genre=genre) if genre else Q(),
        "org": Q(organisation=organisation) if organisation else Q(),
        "year": Q(year=int(year)) if year else Q(),
    }
    choice = (query, theme and theme.slug, genre, organisation, year)

    def counted(name, load):
        # Kept with the site data for this choice (a publish or an entry's edit purges it);
        # a search's counts are not kept: visitors type too many different words.
        if query:
            return load()
        return remember_for(request, f"disclosure_counts:{name}", (catalogue_page.pk, choice), load)

    theme_counts = counted("theme", lambda: counts(base, filters, "theme", "theme__translation_key"))
    genre_counts = counted("genre", lambda: counts(base, filters, "genre", "genre"))
    org_counts = counted("org", lambda: counts(base, filters, "org", "organisation"))
    year_counts = {str(value): n for value, n in counted("year", lambda: counts(base, filters, "year", "year")).items()}
    entries = base.filter(*filters.values()).select_related("page", "theme").order_by("-published_date", "-pk")
    total = counted("total", entries.count)
    page_obj = paginate(entries, params.get("page"), catalogue_page.per_page, count=total)

    def listed() -> list[CatalogueEntry]:
        found = list(page_obj.object_list)
        pages = languages.localize_pages([entry.page for entry in found], specific=False)
        for entry, page in zip(found, pages, strict=True):
            entry.shown_page = page
            if entry.theme is not None:
                entry.theme = themes.get(entry.theme.translation_key, entry.theme)
        return found

    summary = [
        label
        for label in (
            theme and theme.name,
            genre and genre_labels[genre],
            organisation,
            year,
        )
        if label
    ]
    organisations = facet(
        params,
        "org",
        _("发布机构"),
        [(name, name) for name in sorted(org_counts, key=lambda n: (-org_counts[n], n))]
        + ([(organisation, organisation)] if organisation and organisation not in org_counts else []),
        org_counts,
        organisation,
    )
    if not languages.is_default_language():  # the organisations' names are Chinese
        for option in organisations["options"]:
            option["lang"] = "zh-Hans"
    return {
        "page_obj": page_obj,
        "entries": SimpleLazyObject(listed),
        "query": query,
        "search_params": [(key, params[key]) for key in ("theme", "genre", "org", "year") if params.get(key)],
        "facets": [
            facet(
                params,
                "theme",
                _("主题分类"),
                [(t.slug, t.name) for t in themes.values() if t.translation_key in theme_counts or t == theme],
                {t.slug: theme_counts.get(t.translation_key, 0) for t in themes.values()},
                theme and theme.slug,
            ),
            facet(
                params,
                "genre",
                _("体裁分类"),
                [(value, label) for value, label in Genre.choices if value in genre_counts or value == genre],
                genre_counts,
                genre,
            ),
            organisations,
            facet(
                params,
                "year",
                _("年份"),
                [(y, y) for y in sorted(set(year_counts) | ({year} if year else set()), reverse=True)],
                year_counts,
                year,
            ),
        ],
        "any_filter": bool(query or summary),
        "filter_summary": summary,
        "clear_search_url": link(params, "q", None),
    }
