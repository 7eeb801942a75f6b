"""A column's RSS 2.0 feed (``django.contrib.syndication``): its newest live public
articles with title, link on the column's site, publication date and summary; policies
also with their 文号.

Everything is read in ``get_object`` (the request is at hand there, and the feed's other
methods only format), in two queries: the column and its articles. Anonymous requests are
served from the page cache (``application/rss+xml`` is kept like HTML) and purged with the
column's site whenever a page is published there."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Rss201rev2Feed
from django.utils.translation import gettext as _

from portal.addresses import absolute_url
from portal.models import SiteIdentity

from . import queries


@dataclass
class Item:
    title: str
    link: str
    date: object
    description: str


@dataclass
class Channel:
    title: str
    link: str
    description: str
    items: list[Item]
    feed_url: str


def describe(article) -> str:
    """A policy's 文号, then the summary."""
    parts = [_("文号：%(number)s") % {"number": article.document_number}] if article.document_number else []
    if article.summary:
        parts.append(article.summary)
    return " ".join(parts)


class ColumnFeed(Feed):
    feed_type = Rss201rev2Feed

    def get_object(self, request, column):
        site_name = SiteIdentity.for_request(request).site_name  # the request's language is the column's
        items = [
            Item(article.title, article.get_full_url(request), article.date, describe(article))
            for article in queries.feed_articles(column, request)
        ]
        separator = getattr(settings, "PAGE_TITLE_SEPARATOR", "_")
        return Channel(
            title=f"{column.title}{separator}{site_name}" if site_name else column.title,
            link=column.get_full_url(request),
            description=column.intro
            or _("%(site)s“%(column)s”栏目的最新信息") % {"site": site_name, "column": column.title},
            items=items,
            # the feed's own address (atom:link rel="self"): Django would build it from the Host header
            feed_url=absolute_url(request, request.path),
        )

    def title(self, channel):
        return channel.title

    def link(self, channel):
        return channel.link

    def feed_url(self, channel):
        return channel.feed_url

    def description(self, channel):
        return channel.description

    def items(self, channel):
        return channel.items

    def item_title(self, item):
        return item.title

    def item_link(self, item):
        return item.link

    def item_pubdate(self, item):
        return item.date

    def item_description(self, item):
        return item.description
