"""Routing a URL to its page in two queries instead of two per level.

Wagtail's ``Page.route`` walks the URL one segment at a time: at each level it loads the
child with that slug, then that child's specific page, and asks it to route the rest. An
article three levels down costs six queries before its view runs. ``route_from`` loads every
page on the path at once (the pages below the root with those slugs at those depths; the
tree path says which is whose child) and only the last one's specific page. A page type
with a ``route`` of its own (routable pages: a mailbox, a guide's print view) is handed the
rest of the path exactly as Wagtail would, so its own URLs keep working.
"""

from __future__ import annotations

from django.http import Http404
from wagtail.models import Page
from wagtail.url_routing import RouteResult

from portal.sitedata import remember_for

# Page types whose ``route`` is Wagtail's own (or this module's): plain tree walking.
PLAIN_ROUTES = {Page.route}


def plain_route(func):
    """Mark a page type's ``route`` override as plain tree walking (see ``PLAIN_ROUTES``)."""
    PLAIN_ROUTES.add(func)
    return func


def _routes_itself(page: Page) -> bool:
    model = page.specific_class  # from the cached content type: no query
    return model is None or model.route not in PLAIN_ROUTES


def route_from(root: Page, request, components: list[str]) -> RouteResult:
    """What ``root.route(request, components)`` returns with Wagtail's walk, for a
    ``root`` whose own routing is plain. Where the walk ends (the page's id and type, and
    how much of the path it routes itself) is kept with the site data snapshot, which a
    publish, a move or a deletion replaces: a path served before costs one query, the
    specific page's."""
    model, pk, rest = remember_for(request, "route", (root.pk, *components), lambda: _walk(root, components))
    try:
        specific = model.objects.select_related(*getattr(model, "serve_related", ())).get(pk=pk)
    except model.DoesNotExist:
        raise Http404 from None
    if rest is not None:
        return specific.route(request, components[rest:])
    if not specific.live:
        raise Http404
    return RouteResult(specific)


def _walk(root: Page, components: list[str]) -> tuple[type[Page], int, int | None]:
    """The page the path leads to: its specific type, its id, and the index of the path
    component from which it routes the rest itself (None: it is the page served)."""
    candidates = Page.objects.filter(
        slug__in=set(components),
        path__startswith=root.path,
        depth__gt=root.depth,
        depth__lte=root.depth + len(components),
    ).only("path", "depth", "slug", "content_type")
    by_level: dict[tuple[int, str], list[Page]] = {}
    for candidate in candidates:
        by_level.setdefault((candidate.depth, candidate.slug), []).append(candidate)
    page = root
    for index, component in enumerate(components):
        if page is not root and _routes_itself(page):
            return page.specific_class, page.pk, index
        child = next(
            (found for found in by_level.get((page.depth + 1, component), ()) if found.path.startswith(page.path)),
            None,
        )
        if child is None:
            raise Http404
        page = child
    if page.specific_class is None:
        raise Http404
    return page.specific_class, page.pk, len(components) if _routes_itself(page) else None
