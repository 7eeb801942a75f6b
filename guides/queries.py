"""Listings behind the guide index and the form library: filters that combine, each
option with the count it would give, in a fixed number of queries however many
guides or forms exist. Also the reads behind local guides (网站群的办事指南): the guide a
city's page shows, and the cities that handle a province's guide."""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q
from django.http import QueryDict
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _
from django.utils.translation import to_locale
from wagtail.models import Locale, Page, Site

from portal import languages
from portal.facets import counts, facet, without
from portal.models import SiteIdentity
from portal.navigation import public_only, site_root
from portal.pagination import paginate
from portal.sitedata import remember, remember_for

from .models import Department, FormItem, FormLibraryPage, GuideMaterial, LocalGuidePage, ServiceGuidePage, Theme

AUDIENCES = [("individual", _("个人"), Q(for_individuals=True)), ("enterprise", _("法人"), Q(for_enterprises=True))]
AUDIENCE_LABELS = {value: label for value, label, _ in AUDIENCES}


class _TaxonomyFilters:
    """The theme and department filters that the guide index and the form library share:
    the options of the active language, the chosen ones (unknown slugs are ignored), their
    conditions and their filter groups with counts."""

    def __init__(self, params: QueryDict, request=None, scope=None):
        # The locale and the options are snippets: kept with the site data (its snapshot is
        # per language), as are the counts for each choice of filters on one page (``scope``).
        self.locale = remember(request, "active_locale", Locale.get_active)
        self.params, self.request, self.scope = params, request, scope
        self.themes = remember(request, "themes", lambda: list(Theme.objects.filter(locale=self.locale)))
        self.departments = remember(request, "departments", lambda: list(Department.objects.filter(locale=self.locale)))
        self.theme = next((t for t in self.themes if t.slug == params.get("theme")), None)
        self.department = next((d for d in self.departments if d.slug == params.get("department")), None)

    def choice(self, selection: tuple) -> tuple:
        """The chosen theme and department and the page's other filters (``selection``): what
        the counts and the rendered list are kept under."""
        return (self.theme and self.theme.slug, self.department and self.department.slug, *selection)

    def counted(self, name: str, selection: tuple, load):
        """``load()`` (a facet's counts), kept with the site data for this page and choice of
        filters (saving a page, a form or a theme purges it)."""
        return remember_for(self.request, f"facet_counts:{name}", (self.scope, self.choice(selection)), load)

    def conditions(self) -> dict:
        return {
            "theme": Q(theme=self.theme) if self.theme else Q(),
            "department": Q(department=self.department) if self.department else Q(),
        }

    def facets(self, base, filters: dict, theme_legend: str, department_legend: str, selection=()) -> list[dict]:
        theme_counts = self.counted("theme", selection, lambda: counts(base, filters, "theme", "theme__slug"))
        department_counts = self.counted(
            "department", selection, lambda: counts(base, filters, "department", "department__slug")
        )
        return [
            facet(
                self.params,
                "theme",
                theme_legend,
                [(t.slug, t.name) for t in self.themes],
                theme_counts,
                self.theme and self.theme.slug,
            ),
            facet(
                self.params,
                "department",
                department_legend,
                [(d.slug, d.name) for d in self.departments],
                department_counts,
                self.department and self.department.slug,
            ),
        ]


# What ``guide_index`` and ``form_library`` return (``portal.pages.lazy_update``).
GUIDE_INDEX_KEYS = ("page_obj", "guides", "listing_key", "facets", "any_filter", "filter_summary")
FORM_LIBRARY_KEYS = ("page_obj", "forms", "listing_key", "facets", "any_filter")


def guide_index(index_page, request) -> dict:
    params = request.GET
    taxonomy = _TaxonomyFilters(params, request, index_page.pk)
    audience = params.get("audience") if params.get("audience") in AUDIENCE_LABELS else None
    online = params.get("online") == "1"
    filters = {
        "audience": next((q for a, _, q in AUDIENCES if a == audience), Q()),
        **taxonomy.conditions(),
        "online": Q(visits=0) if online else Q(),
    }
    # The index's own guides and the province's guides its local guides show.
    local_pages = public_only(LocalGuidePage.objects.live().child_of(index_page), request)
    listed = ServiceGuidePage.objects.child_of_q(index_page) | Q(pk__in=local_pages.values("guide_id"))
    base = public_only(ServiceGuidePage.objects.live().filter(listed), request)

    selection = (audience, online)
    audience_counts = taxonomy.counted(
        "audience",
        selection,
        lambda: without(base, filters, "audience").aggregate(
            **{value: Count("pk", filter=condition) for value, _, condition in AUDIENCES}
        ),
    )
    online_count = taxonomy.counted(
        "online", selection, lambda: without(base, filters, "online").filter(visits=0).count()
    )
    guides = base.filter(*filters.values()).select_related("theme", "department").order_by("theme__sort_order", "path")
    total = taxonomy.counted("total", selection, guides.count)
    page_obj = paginate(guides, params.get("page"), index_page.per_page, count=total)

    def listed_guides() -> list:
        # A province's guide is listed as the local page that shows it (same facts, the
        # city's link): one query, on a page that lists any.
        found = list(page_obj.object_list)
        elsewhere = [guide.pk for guide in found if not guide.path.startswith(index_page.path)]
        if not elsewhere:
            return found
        local_by_guide = {page.guide_id: page for page in local_pages.filter(guide_id__in=elsewhere)}
        return [local_by_guide[guide.pk].show(guide) if guide.pk in local_by_guide else guide for guide in found]

    return {
        "page_obj": page_obj,
        # The list is rendered once per site data snapshot, choice of filters and page number
        # ({% sitefragment %} keyed on ``listing_key``): its queries run only then.
        "guides": SimpleLazyObject(listed_guides),
        "listing_key": (*taxonomy.choice(selection), page_obj.number),
        "facets": [
            facet(params, "audience", _("服务对象"), list(AUDIENCE_LABELS.items()), audience_counts, audience),
            *taxonomy.facets(base, filters, _("办事主题"), _("实施部门"), selection),
            facet(
                params, "online", _("办理方式"), [("1", _("全程网办"))], {"1": online_count}, "1" if online else None
            ),
        ],
        "any_filter": bool(audience or taxonomy.theme or taxonomy.department or online),
        "filter_summary": [
            label
            for label in (
                AUDIENCE_LABELS.get(audience),
                taxonomy.theme and taxonomy.theme.name,
                taxonomy.department and taxonomy.department.name,
                _("全程网办") if online else None,
            )
            if label
        ],
    }


FORMATS = ["pdf", "docx", "doc", "xlsx", "xls", "ofd"]
# What a link to a page needs: its title, and its URL without a query (Wagtail's get_url_parts).
PAGE_LINK_FIELDS = (
    "title",
    "slug",
    "url_path",
    "path",
    "depth",
    "live",
    "locale_id",
    "translation_key",
    "content_type_id",
)


def has_format(fmt: str) -> Q:
    """Forms offered in ``fmt``: a whole entry of ``FormItem.formats`` ("docx,pdf"), so
    "doc" never matches "docx" nor "xls" "xlsx"."""
    return (
        Q(formats=fmt)
        | Q(formats__startswith=f"{fmt},")
        | Q(formats__endswith=f",{fmt}")
        | Q(formats__contains=f",{fmt},")
    )


def pages_showing_form(form: FormItem):
    """Where a form is shown (``portal.pagecache.shown_on``): the form libraries of its
    language and the guides that list it among their materials (the cities' local guides refer
    to those and are purged with them)."""
    guides = ServiceGuidePage.objects.filter(materials__form=form)
    libraries = FormLibraryPage.objects.filter(locale_id=form.locale_id)
    return Page.objects.filter(Q(pk__in=guides.values("pk")) | Q(pk__in=libraries.values("pk")))


def form_library(library_page, request) -> dict:
    params = request.GET
    taxonomy = _TaxonomyFilters(params, request, library_page.pk)
    fmt = params.get("format") if params.get("format") in FORMATS else None
    filters = {**taxonomy.conditions(), "format": has_format(fmt) if fmt else Q()}
    base = FormItem.objects.filter(locale=taxonomy.locale)

    format_counts = taxonomy.counted(
        "format",
        (fmt,),
        lambda: without(base, filters, "format").aggregate(**{f: Count("pk", filter=has_format(f)) for f in FORMATS}),
    )
    live_guides = public_only(ServiceGuidePage.objects.live(), request)
    forms = (
        base.filter(*filters.values())
        .select_related("document", "alt_document", "sample", "theme", "department")
        .prefetch_related(
            Prefetch(
                "guide_materials",
                # a link to each guide: its title and what its URL is built from, not its body
                queryset=GuideMaterial.objects.filter(page__in=live_guides)
                .select_related("page")
                .only("form_id", "page_id", *(f"page__{field}" for field in PAGE_LINK_FIELDS)),
                to_attr="live_materials",
            )
        )
        .order_by("code")
    )
    total = taxonomy.counted("total", (fmt,), base.filter(*filters.values()).count)
    page_obj = paginate(forms, params.get("page"), library_page.per_page, count=total)

    def listed_forms() -> list:
        found = list(page_obj.object_list)
        local = local_guides_of_site(request)  # on a city's site, its own page of a province's guide
        for form in found:
            # each live guide once, even when it lists the form for two materials
            guides = {material.page.pk: material.page for material in form.live_materials}.values()
            form.guides = [local.get(guide.pk, guide) for guide in guides]  # a link: title and URL
        return found

    return {
        "page_obj": page_obj,
        # Rendered once per site data snapshot, choice of filters and page number, as the guides.
        "forms": SimpleLazyObject(listed_forms),
        "listing_key": (*taxonomy.choice((fmt,)), page_obj.number),
        "facets": [
            *taxonomy.facets(base, filters, _("主题"), _("部门"), (fmt,)),
            facet(
                params,
                "format",
                _("文件格式"),
                [(f, f.upper()) for f in FORMATS if format_counts.get(f)],
                format_counts,
                fmt,
            ),
        ],
        "any_filter": bool(taxonomy.theme or taxonomy.department or fmt),
    }


# ---- local guides (网站群的办事指南) ------------------------------------------------------
def province_guide(local_page, request, preview: bool = False) -> ServiceGuidePage | None:
    """The guide a local page shows, with its theme and department (one query): the chosen
    guide, or its live translation in the page's language. None while the chosen guide is
    not live or not public: the local page is withheld (a preview shows it anyway)."""
    if local_page.guide_id is None:
        return None
    chosen = ServiceGuidePage.objects.filter(pk=local_page.guide_id).values("translation_key")
    translation = Q(translation_key__in=chosen, locale_id=local_page.locale_id, live=True)
    guides = ServiceGuidePage.objects.filter(Q(pk=local_page.guide_id) | translation)
    if not preview:
        guides = public_only(guides.live(), request)
    found = {guide.pk: guide for guide in guides.select_related("theme", "department")}
    if local_page.guide_id not in found:
        return None
    return next(
        (guide for guide in found.values() if guide.locale_id == local_page.locale_id), found[local_page.guide_id]
    )


def local_guides_of_site(request) -> dict[int, LocalGuidePage]:
    """The current site's live local pages by the pk of the guide they show, for links (their
    title and URL): kept with the site data, so one query after a save and none after."""

    def load():
        root = site_root(request)
        if root is None:
            return {}
        pages = public_only(LocalGuidePage.objects.live().descendant_of(root).exclude(guide=None), request)
        return {page.guide_id: page for page in pages.order_by("path")}

    return remember(request, "local_guides", load)


def local_versions(guide, request) -> list[dict]:
    """The cities that handle ``guide``'s item: for each other site with a live local page of
    it, the site's name, the page's URL and its place and phone. Kept with the site data
    (``remember_for``): publishing a local page purges its guide's site (``signal_handlers``),
    so after the first request a guide page pays nothing for the list."""
    return remember_for(request, "local_versions", guide.translation_key, lambda: _local_versions(guide, request))


def _local_versions(guide, request) -> list[dict]:
    """Two queries: the local pages of any language version of the guide, the sites' names."""
    language = guide.locale.language_code
    pages = public_only(
        LocalGuidePage.objects.live().filter(guide__translation_key=guide.translation_key).select_related("locale"),
        request,
    ).order_by("path")
    roots = sorted(Site.get_site_root_paths(), key=lambda root: len(root.root_path), reverse=True)
    by_site: dict[int, LocalGuidePage] = {}
    for page in pages:
        root = next((root for root in roots if page.url_path.startswith(root.root_path)), None)
        if root is None:
            continue
        # one page per site: the page in the guide's language where there is one
        if root.site_id not in by_site or page.locale.language_code == language:
            by_site[root.site_id] = page
    identities = {
        identity.site_id: identity
        for identity in SiteIdentity.objects.filter(site_id__in=by_site).select_related("site", "text")
    }
    chinese = language == languages.CHINESE
    found = []
    bcp47 = {
        page.locale.language_code: to_locale(page.locale.language_code).replace("_", "-") for page in by_site.values()
    }
    for site_id, page in by_site.items():
        identity = identities.get(site_id)
        text = identity.text if identity is not None else None
        name = (text.logo_text or text.site_name) if text is not None else ""
        if not chinese and identity is not None and identity.english_name:
            name, name_lang = identity.english_name, ""
        else:
            name_lang = "" if chinese else "zh-Hans"
        found.append(
            {
                "site_name": name or (identity.site.site_name if identity else ""),
                "site_name_lang": name_lang,
                "url": page.get_url(request),
                "lang": "" if page.locale.language_code == language else bcp47[page.locale.language_code],
                "place": page.local_place.splitlines()[0] if page.local_place else "",
                "phone": page.local_phone,
            }
        )
    return found  # in tree order: the sites in the order they were opened
