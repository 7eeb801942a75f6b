"""Admin: synonyms (搜索同义词) and the search report (报告 → 搜索统计). Best bets are
Wagtail's own *推广搜索结果* (wagtail.contrib.search_promotions); its *搜索词* report is taken out
of the reports menu: it reads Wagtail's query log, which nothing here writes (searches are
counted in ``SearchTermDay``, with the ones that found nothing, and reported as 搜索统计)."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .admin_views import SearchTermsReportView
from .models import PopularSearch, SynonymGroup


class SynonymGroupViewSet(SnippetViewSet):
    model = SynonymGroup
    icon = "search"
    menu_label = _("搜索同义词")
    add_to_settings_menu = True
    list_display = ["terms"]
    search_fields = ["terms"]


register_snippet(SynonymGroupViewSet)


class PopularSearchViewSet(SnippetViewSet):
    """热门搜索词: what a search that found nothing offers first (search/popular.py)."""

    model = PopularSearch
    icon = "search"
    menu_label = _("热门搜索词")
    add_to_settings_menu = True
    list_display = ["query", "sort_order"]
    search_fields = ["query"]


register_snippet(PopularSearchViewSet)


@hooks.register("register_admin_urls")
def register_report_url():
    return [path("reports/search-terms/", SearchTermsReportView.as_view(), name="search_terms_report")]


class SearchReportMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("portal_search.view_searchtermday")


@hooks.register("register_reports_menu_item")
def register_report_menu_item():
    return SearchReportMenuItem(_("搜索统计"), reverse("search_terms_report"), icon_name="search", order=700)


@hooks.register("construct_reports_menu")
def hide_wagtail_search_terms_report(request, menu_items):
    wagtail_report = reverse("wagtailsearchpromotions:search_terms")
    menu_items[:] = [item for item in menu_items if item.url != wagtail_report]
