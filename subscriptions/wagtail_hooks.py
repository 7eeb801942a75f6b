"""What subscriptions add elsewhere: the feed and the 订阅 links on columns and their
articles (home's ``COLUMN_HEAD`` and ``COLUMN_LINKS``), and the report 报告 → 栏目订阅."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from home import panels as home_panels
from portal import extensions
from portal.permissions import sites_in_scope

from . import queries
from .admin_views import SubscriberCountsView


@hooks.register(home_panels.COLUMN_HEAD)
def feed_link(column, request):
    if queries.offers_subscription(column, request):
        return extensions.Panel("subscriptions/includes/feed_link.html", {"feed_column": column})


@hooks.register(home_panels.COLUMN_LINKS)
def subscribe_links(column, request):
    if queries.offers_subscription(column, request):
        return extensions.Panel("subscriptions/includes/subscribe_links.html", {"feed_column": column})


@hooks.register("register_admin_urls")
def register_report_url():
    return [path("reports/subscriptions/", SubscriberCountsView.as_view(), name="subscriber_counts")]


class SiteStaffMenuItem(MenuItem):
    def is_shown(self, request):
        return bool(sites_in_scope(request.user))


@hooks.register("register_reports_menu_item")
def register_report_menu_item():
    return SiteStaffMenuItem(_("栏目订阅"), reverse("subscriber_counts"), icon_name="mail", order=740)
