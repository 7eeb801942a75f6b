"""Admin menus for the guide taxonomy and the form library (Snippets); what guides add to
search (the 办事指南 and 表格下载 result types, the themes offered when nothing is found)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.models import Locale
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from portal import extensions
from portal.navigation import public_only
from search import panels as search_panels
from search import types

from .models import Department, FormItem, LocalGuidePage, ServiceGuideIndexPage, ServiceGuidePage, Theme


class ThemeViewSet(SnippetViewSet):
    model = Theme
    icon = "tag"
    list_display = ["name", "slug", "sort_order"]


class DepartmentViewSet(SnippetViewSet):
    model = Department
    icon = "group"
    list_display = ["name", "slug", "sort_order"]


class FormItemViewSet(SnippetViewSet):
    model = FormItem
    icon = "doc-full"
    list_display = ["code", "title", "theme", "updated", "download_count"]
    list_filter = ["theme", "department"]
    search_fields = ["title", "code"]


class GuidesGroup(SnippetViewSetGroup):
    menu_label = "办事服务"
    menu_icon = "list-ul"
    menu_order = 250
    items = (FormItemViewSet, ThemeViewSet, DepartmentViewSet)


register_snippet(GuidesGroup)


def describe_form(form: FormItem, request) -> types.RecordHit:
    # The snippet is the form's theme; its number (表格编号) is shown under its label when searched for.
    text = str(form.theme or "")
    return types.RecordHit(form.title, reverse("form_download", args=[form.pk, "form"]), form.updated, text)


@hooks.register(types.REGISTER_HOOK)
def search_result_types():
    return [
        # A city's local guide is a 办事指南 of its site (the province's item, indexed through it).
        types.ResultType("guide", _("办事指南"), pages=(ServiceGuidePage, LocalGuidePage), order=10, suggest=True),
        types.ResultType(
            "form",
            _("表格下载"),
            records=lambda locale, request: FormItem.objects.filter(locale=locale).select_related("theme"),
            describe=describe_form,
            order=40,
        ),
    ]


@hooks.register(search_panels.NO_RESULTS)
def guide_themes(root, request):
    """按主题查找办事指南: the site's guide index, filtered by each theme."""
    index = public_only(ServiceGuideIndexPage.objects.live().descendant_of(root), request).order_by("path").first()
    if index is None:
        return None
    themes = list(Theme.objects.filter(locale=Locale.get_active()).order_by("sort_order", "pk"))
    return extensions.Panel("guides/includes/search_themes.html", {"guide_index": index, "themes": themes})
