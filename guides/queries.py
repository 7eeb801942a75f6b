"""Listings behind the guide index and the form library: filters that combine, each
option with the count it would give, in a fixed number of queries however many
guides or forms exist."""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _
from wagtail.models import Locale

from portal.facets import counts, facet, without
from portal.navigation import public_only
from portal.pagination import paginate

from .models import Department, FormItem, GuideMaterial, ServiceGuidePage, Theme

AUDIENCES = [("individual", _("个人"), Q(for_individuals=True)), ("enterprise", _("法人"), Q(for_enterprises=True))]
AUDIENCE_LABELS = {value: label for value, label, _ in AUDIENCES}


class _TaxonomyFilters:
    """The theme and department filters that the guide index and the form library share:
    the options of the active language, the chosen ones (unknown slugs are ignored), their
    conditions and their filter groups with counts."""

    def __init__(self, params: QueryDict):
        self.locale = Locale.get_active()
        self.params = params
        self.themes = list(Theme.objects.filter(locale=self.locale))
        self.departments = list(Department.objects.filter(locale=self.locale))
        self.theme = next((t for t in self.themes if t.slug == params.get("theme")), None)
        self.department = next((d for d in self.departments if d.slug == params.get("department")), None)

    def conditions(self) -> dict:
        return {
            "theme": Q(theme=self.theme) if self.theme else Q(),
            "department": Q(department=self.department) if self.department else Q(),
        }

    def facets(self, base, filters: dict, theme_legend: str, department_legend: str) -> list[dict]:
        return [
            facet(
                self.params,
                "theme",
                theme_legend,
                [(t.slug, t.name) for t in self.themes],
                counts(base, filters, "theme", "theme__slug"),
                self.theme and self.theme.slug,
            ),
            facet(
                self.params,
                "department",
                department_legend,
                [(d.slug, d.name) for d in self.departments],
                counts(base, filters, "department", "department__slug"),
                self.department and self.department.slug,
            ),
        ]


def guide_index(index_page, request) -> dict:
    params = request.GET
    taxonomy = _TaxonomyFilters(params)
    audience = params.get("audience") if params.get("audience") in AUDIENCE_LABELS else None
    online = params.get("online") == "1"
    filters = {
        "audience": next((q for a, _, q in AUDIENCES if a == audience), Q()),
        **taxonomy.conditions(),
        "online": Q(visits=0) if online else Q(),
    }
    base = public_only(ServiceGuidePage.objects.live().child_of(index_page), request)

    audience_counts = without(base, filters, "audience").aggregate(
        **{value: Count("pk", filter=condition) for value, _, condition in AUDIENCES}
    )
    online_count = without(base, filters, "online").filter(visits=0).count()
    guides = base.filter(*filters.values()).select_related("theme", "department").order_by("theme__sort_order", "path")
    page_obj = paginate(guides, params.get("page"), index_page.per_page)
    return {
        "page_obj": page_obj,
        "guides": page_obj.object_list,
        "facets": [
            facet(params, "audience", _("服务对象"), list(AUDIENCE_LABELS.items()), audience_counts, audience),
            *taxonomy.facets(base, filters, _("办事主题"), _("实施部门")),
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


def has_format(fmt: str) -> Q:
    """Forms offered in ``fmt``: a whole entry of ``FormItem.formats`` ("docx,pdf"), so
    "doc" never matches "docx" nor "xls" "xlsx"."""
    return (
        Q(formats=fmt)
        | Q(formats__startswith=f"{fmt},")
        | Q(formats__endswith=f",{fmt}")
        | Q(formats__contains=f",{fmt},")
    )


def form_library(library_page, request) -> dict:
    params = request.GET
    taxonomy = _TaxonomyFilters(params)
    fmt = params.get("format") if params.get("format") in FORMATS else None
    filters = {**taxonomy.conditions(), "format": has_format(fmt) if fmt else Q()}
    base = FormItem.objects.filter(locale=taxonomy.locale)

    format_counts = without(base, filters, "format").aggregate(
        **{f: Count("pk", filter=has_format(f)) for f in FORMATS}
    )
    live_guides = public_only(ServiceGuidePage.objects.live(), request)
    forms = (
        base.filter(*filters.values())
        .select_related("document", "alt_document", "sample", "theme", "department")
        .prefetch_related(
            Prefetch(
                "guide_materials",
                queryset=GuideMaterial.objects.filter(page__in=live_guides).select_related("page"),
                to_attr="live_materials",
            )
        )
        .order_by("code")
    )
    page_obj = paginate(forms, params.get("page"), library_page.per_page)
    for form in page_obj.object_list:
        # each live guide once, even when it lists the form for two materials
        form.guides = list({material.page.pk: material.page for material in form.live_materials}.values())
    return {
        "page_obj": page_obj,
        "forms": page_obj.object_list,
        "facets": [
            *taxonomy.facets(base, filters, _("主题"), _("部门")),
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
