"""Panels: what one app shows on another app's pages, without the page's app importing it.

A page type offers named places, each a Wagtail hook name defined by the app that owns the
page (``home/panels.py``: the home page, policy pages; ``guides/panels.py``: a guide's FAQ;
``search/panels.py``: a search without results). An app with something to show there
registers a function in its own ``wagtail_hooks.py``, the way Wagtail's own apps add menu
items::

    @hooks.register(home_panels.HOME_PAGE)
    def month_deadlines(page, request):
        rows = queries.month_deadlines_for_home(page)
        if rows:
            return extensions.Panel("taxservice/includes/month_deadlines.html", {"filing_deadlines": rows})

The page collects them with :func:`panels` and its template renders each with
``{% render_panel panel %}`` (``portal_tags``). A function returns ``None`` when it has
nothing to show on that page.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from wagtail import hooks


@dataclass(frozen=True)
class Panel:
    template: str
    context: dict = field(default_factory=dict)


def panels(place: str, page, request) -> list[Panel]:
    """What the installed apps show at ``place`` on ``page``, in the order they registered."""
    return [panel for function in hooks.get_hooks(place) if (panel := function(page, request)) is not None]
