"""The base class of every page type, and what a page type declares about itself.

A page type says what it is with class attributes, so that the apps that list, count or
search pages find new page types without a list to edit:

* ``is_section``: a column-like page (栏目, 办事指南目录, 表格下载 …) that its parent column lists
  in its section navigation (``home.queries.child_sections``);
* ``is_publication``: what inspectors count as 信息发布 (articles, policies, guides,
  interviews, consultations, surveys): counted by 发文统计 (``monitoring.statistics``);
* ``withheld_ids()``, a classmethod: the ids of its live pages that visitors must not reach
  although they are live (a city's local guide whose province guide is not live): they are
  left out of every listing and search (``portal.navigation.public_only``) and answer 404.

Where pages may go is declared by each child type's ``parent_page_types``: the home page
and columns accept any type that names them.
"""

from __future__ import annotations

from wagtail.models import Page, get_page_models


class PortalPage(Page):
    """Abstract base: the metadata (<meta name=...>) a page contributes."""

    show_in_menus_default = False
    is_section = False
    is_publication = False

    class Meta:
        abstract = True

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


def page_types(declaration: str) -> list[type[Page]]:
    """The concrete page types whose class sets ``declaration`` (``"is_section"``, ...)."""
    return [model for model in get_page_models() if getattr(model, declaration, False)]


def withheld_page_ids() -> list[int]:
    """Live pages that their type withholds from visitors (``withheld_ids()``), one query per
    such type."""
    models = [model for model in get_page_models() if callable(getattr(model, "withheld_ids", None))]
    return sorted({pk for model in models for pk in model.withheld_ids()})
