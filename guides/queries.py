"""Listings behind the guide index and the form library: filters that combine, each
option with the count it would give, in a fixed number of queries however many
guides or forms exist."""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q
from django.http import QueryDict
from wagtail.models import Locale

from home.queries import paginate
from portal.navigation import public_only

AUDIENCES = [("individual", "个人", Q(for_individuals=True)), ("enterprise", "法人", Q(for_enterprises=True))]
AUDIENCE_LABELS = {value: label for value, label, _ in AUDIENCES}


def _link(params: QueryDict, key: str, value: str | None) -> str:
    """The query string with ``key`` set to ``value`` (or removed), back on page 1."""
    query = params.copy()
    query.pop("page", None)
    if value is None:
        query.pop(key, None)
    else:
        query[key] = value
    encoded = query.urlencode()
    return f"?{encoded}" if encoded else "?"


def _without(base, filters: dict, key: str):
    """Matches of every filter except ``key`` (what choosing another ``key`` value would
    give), unordered so that GROUP BY sees only the facet column."""
    q = Q()
    for name, condition in filters.items():
        if name != key:
            q &= condition
    return base.filter(q).order_by()


def _counts(base, filters: dict, key: str, field: str) -> dict:
    """``{value: count}`` of ``field`` among the matches of the other filters (one query)."""
    return dict(_without(base, filters, key).values_list(field).annotate(n=Count("pk")).values_list(field, "n"))


def _facet(params, key, options, counts, selected):
    """``[{label, count, url, current}]`` for one filter; selecting the current value clears it."""
    return {
        "key": key,
        "selected": selected,
        "clear_url": _link(params, key, None),
        "options": [
            {
                "value": value,
                "label": label,
                "count": counts.get(value, 0),
                "url": _link(params, key, None if value == selected else value),
                "current": value == selected,
            }
            for value, label in options
        ],
    }


def guide_index(index_page, request) -> dict:
    from .models import Department, ServiceGuidePage, Theme

    params = request.GET
    locale = Locale.get_active()
    themes = list(Theme.objects.filter(locale=locale))
    departments = list(Department.objects.filter(locale=locale))
    theme_by_slug = {t.slug: t for t in themes}
    department_by_slug = {d.slug: d for d in departments}

    audience = params.get("audience") if params.get("audience") in AUDIENCE_LABELS else None
    theme = theme_by_slug.get(params.get("theme", ""))
    department = department_by_slug.get(params.get("department", ""))
    online = params.get("online") == "1"

    filters = {
        "audience": next((q for a, _, q in AUDIENCES if a == audience), Q()),
        "theme": Q(theme=theme) if theme else Q(),
        "department": Q(department=department) if department else Q(),
        "online": Q(visits=0) if online else Q(),
    }

    base = public_only(ServiceGuidePage.objects.live().child_of(index_page), request)

    theme_counts = _counts(base, filters, "theme", "theme__slug")
    department_counts = _counts(base, filters, "department", "department__slug")
    audience_counts = _without(base, filters, "audience").aggregate(
        **{value: Count("pk", filter=condition) for value, _, condition in AUDIENCES}
    )
    online_count = _without(base, filters, "online").filter(visits=0).count()

    guides = base.filter(*filters.values()).select_related("theme", "department").order_by("theme__sort_order", "path")
    page_obj = paginate(guides, params.get("page"), index_page.per_page)
    return {
        "page_obj": page_obj,
        "guides": page_obj.object_list,
        "facets": [
            dict(
                _facet(params, "audience", [(a, label) for a, label, _ in AUDIENCES], audience_counts, audience),
                legend="服务对象",
            ),
            dict(
                _facet(params, "theme", [(t.slug, t.name) for t in themes], theme_counts, theme and theme.slug),
                legend="办事主题",
            ),
            dict(
                _facet(
                    params,
                    "department",
                    [(d.slug, d.name) for d in departments],
                    department_counts,
                    department and department.slug,
                ),
                legend="实施部门",
            ),
            dict(
                _facet(params, "online", [("1", "全程网办")], {"1": online_count}, "1" if online else None),
                legend="办理方式",
            ),
        ],
        "any_filter": bool(audience or theme or department or online),
        "filter_summary": [
            x
            for x in (
                AUDIENCE_LABELS.get(audience),
                theme and theme.name,
                department and department.name,
                "全程网办" if online else None,
            )
            if x
        ],
    }


def form_library(library_page, request) -> dict:
    from .models import Department, FormItem, GuideMaterial, ServiceGuidePage, Theme

    params = request.GET
    locale = Locale.get_active()
    themes = list(Theme.objects.filter(locale=locale))
    departments = list(Department.objects.filter(locale=locale))
    theme = next((t for t in themes if t.slug == params.get("theme")), None)
    department = next((d for d in departments if d.slug == params.get("department")), None)
    formats = ["pdf", "docx", "doc", "xlsx", "xls", "ofd"]
    fmt = params.get("format") if params.get("format") in formats else None

    filters = {
        "theme": Q(theme=theme) if theme else Q(),
        "department": Q(department=department) if department else Q(),
        "format": Q(formats__contains=fmt) if fmt else Q(),
    }
    base = FormItem.objects.filter(locale=locale)

    theme_counts = _counts(base, filters, "theme", "theme__slug")
    department_counts = _counts(base, filters, "department", "department__slug")
    format_counts = _without(base, filters, "format").aggregate(
        **{f: Count("pk", filter=Q(formats__contains=f)) for f in formats}
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
        seen = {}
        for material in form.live_materials:
            seen.setdefault(material.page.pk, material.page)
        form.guides = list(seen.values())
    return {
        "page_obj": page_obj,
        "forms": page_obj.object_list,
        "facets": [
            dict(
                _facet(params, "theme", [(t.slug, t.name) for t in themes], theme_counts, theme and theme.slug),
                legend="主题",
            ),
            dict(
                _facet(
                    params,
                    "department",
                    [(d.slug, d.name) for d in departments],
                    department_counts,
                    department and department.slug,
                ),
                legend="部门",
            ),
            dict(
                _facet(params, "format", [(f, f.upper()) for f in formats if format_counts.get(f)], format_counts, fmt),
                legend="文件格式",
            ),
        ],
        "any_filter": bool(theme or department or fmt),
    }
