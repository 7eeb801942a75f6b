"""Public reads of a register: its listing (search by name or 纳税人识别号, filter by year, 20
a page) and the rows of its CSV, in a fixed number of queries however many entries it holds.

A 纳税人识别号 is matched whole, never in part: an individual's number is shown masked, and
a search by its beginning would give the hidden digits away one by one."""

from __future__ import annotations

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.facets import counts, facet, link
from portal.pagination import paginate

from . import identifiers
from .kinds import Kind
from .models import RegisterEntry

QUERY_MAX_LENGTH = 100


def ordering(page) -> tuple[str, ...]:
    return ("-year", "taxpayer_number", "pk") if page.kind == Kind.A_GRADE else ("-published_on", "-pk")


def search_condition(query: str) -> Q:
    """Each word in the name (or the 决定文书号), or the whole query as a 纳税人识别号."""
    number = identifiers.normalise(query)
    whole_number = Q(taxpayer_number=number) if 15 <= len(number) <= 20 else Q(pk__in=[])
    words = Q()
    for word in query.split():
        words &= Q(name__icontains=word) | Q(document_number__icontains=word)
    return whole_number | words


def chosen(params) -> tuple[str, str | None]:
    query = " ".join(params.get("q", "").split())[:QUERY_MAX_LENGTH]
    year = params.get("year", "")
    return query, year if year.isdigit() and len(year) == 4 else None


def matching(page, params, today=None):
    """The public entries of ``page`` a visitor's search and year choose, and the year counts."""
    query, year = chosen(params)
    base = RegisterEntry.objects.filter(page=page).public(today or timezone.localdate())
    if query:
        base = base.filter(search_condition(query))
    filters = {"year": Q(year=int(year)) if year else Q()}
    return base, filters, query, year


def register(page, request) -> dict:
    params = request.GET
    base, filters, query, year = matching(page, params)
    year_counts = {str(value): n for value, n in counts(base, filters, "year", "year").items()}
    entries = base.filter(*filters.values()).order_by(*ordering(page))
    total = sum(year_counts.values()) if not year else year_counts.get(year, 0)
    page_obj = paginate(entries, params.get("page"), page.per_page, count=total)
    spec = page.spec
    columns = spec.public_columns
    rows = [(entry, [(column, entry.public_value(column)) for column in columns[1:]]) for entry in page_obj.object_list]
    export_query = link(params, "page", None).lstrip("?")
    return {
        "spec": spec,
        "columns": columns,
        "rows": rows,
        "page_obj": page_obj,
        "query": query,
        "year": year,
        "year_facet": facet(
            params,
            "year",
            _("年度"),
            [(y, y) for y in sorted(set(year_counts) | ({year} if year else set()), reverse=True)],
            year_counts,
            year,
        ),
        "any_filter": bool(query or year),
        "clear_search_url": link(params, "q", None),
        "export_query": export_query,
    }


def export_rows(page, params):
    """The header and every entry the listing shows for ``params``, public columns only, masked."""
    base, filters, _query, _year = matching(page, params)
    columns = page.spec.public_columns
    yield [str(column.label) for column in columns]
    for entry in base.filter(*filters.values()).order_by(*ordering(page)).iterator():
        yield [entry.public_value(column) for column in columns]
