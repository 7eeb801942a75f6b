"""What the app adds: the 信息索引 block on articles and policies (``home``'s ARTICLE_META
place), *信息索引* in the page header's menu and its history entries, and the report
*报告 → 法定主动公开*."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.widgets import Button

from home import panels as home_panels
from home.models import ArticlePage
from portal import (
    converters,  # noqa: F401 - registers <id:…> (portal/converters.py)
    extensions,
    languages,
)
from portal.navigation import current_site
from portal.reports import SiteReportMenuItem
from portal.sitedata import remember

from . import admin_views, queries
from .models import DisclosureCataloguePage

admin_urls = ([path("page/<id:page_id>/", admin_views.EntryView.as_view(), name="entry")], "disclosure_admin")


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [
        path("disclosure/", include(admin_urls)),
        path("reports/statutory-disclosure/", admin_views.StatutoryReportView.as_view(), name="disclosure_statutory"),
    ]


@hooks.register("register_reports_menu_item")
def register_statutory_menu_item():
    return SiteReportMenuItem(_("法定主动公开"), reverse("disclosure_statutory"), icon_name="tasks", order=735)


@hooks.register("register_page_header_buttons")
def entry_button(page, user, view_name, next_url=None):
    if isinstance(page.specific_deferred, ArticlePage) and page.permissions_for_user(user).can_publish():
        yield Button(_("信息索引"), reverse("disclosure_admin:entry", args=[page.pk]), icon_name="list-ul", priority=80)


@hooks.register("register_log_actions")
def register_log_actions(actions):
    actions.register_action("disclosure.include", _("纳入公开目录"), _("已纳入政府信息公开目录"))
    actions.register_action("disclosure.edit", _("修改信息索引"), _("信息索引已修改"))
    actions.register_action("disclosure.withdraw", _("移出公开目录"), _("已移出政府信息公开目录"))


def catalogue_link(request) -> tuple[str, str]:
    """The site's 公开目录 in the active language (its URL, and ``lang`` when only the Chinese
    one exists), kept with the site data; ("", "") when the site has none."""

    def load():
        site = current_site(request)
        found = site and DisclosureCataloguePage.objects.live().descendant_of(site.root_page).first()
        if not found:
            return "", ""
        shown = languages.localize_page(found, specific=False)
        chinese_only = shown.locale_id == found.locale_id and not languages.is_default_language()
        return shown.get_url(request), "zh-Hans" if chinese_only else ""

    return remember(request, "disclosure_catalogue_link", load)


@hooks.register(home_panels.ARTICLE_META)
def index_block(page, request):
    entry = queries.entry_of(page, request)
    if entry is not None:
        url, lang = catalogue_link(request)
        return extensions.Panel(
            "disclosure/includes/index_block.html", {"entry": entry, "catalogue_url": url, "catalogue_lang": lang}
        )
