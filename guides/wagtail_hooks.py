"""Admin menus for the guide taxonomy and the form library (Snippets)."""

from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import Department, FormItem, Theme


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
