"""Admin: 来信办理 (letters, scoped to the user's sites) and the settings they depend on."""

from wagtail import hooks
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from search.personal import PERSONAL_NAMES

from . import queries
from .admin_views import LetterPermissionPolicy, LetterViewSet
from .models import Letter, LetterDepartment

register_permission_policy(Letter, LetterPermissionPolicy(Letter), exact_class=True)


@hooks.register("register_admin_viewset")
def register_letter_viewset():
    return LetterViewSet("letters")


class LetterDepartmentViewSet(SnippetViewSet):
    model = LetterDepartment
    icon = "group"
    list_display = ["name", "site", "email"]
    list_filter = ["site"]


class CorrespondenceSettingsGroup(SnippetViewSetGroup):
    menu_label = "信箱设置"
    menu_icon = "cog"
    menu_order = 261
    items = (LetterDepartmentViewSet,)


register_snippet(CorrespondenceSettingsGroup)


@hooks.register(PERSONAL_NAMES)
def letter_writers(texts):
    """A letter writer's name is masked in the search log and never listed as a popular search."""
    return queries.writer_names_in(texts)
