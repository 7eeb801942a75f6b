"""Unit tests of the listing queries on trees built for each test (tests/factories.py)."""

import pytest
from django.test import RequestFactory

from home import queries
from portal import sitedata
from portal.navigation import restricted_paths, withheld_ids
from tests.factories import (
    ArticlePageFactory,
    ColumnPageFactory,
    PolicyDocumentPageFactory,
    ServiceGuideIndexPageFactory,
    SiteFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def site():
    return SiteFactory()


@pytest.fixture
def request_for(site):
    request = RequestFactory().get("/", HTTP_HOST=site.hostname)
    request._portal_memo = sitedata.RequestMemo()
    return request


def test_a_column_lists_live_articles_below_it_newest_first_with_policies(site, request_for):
    column = ColumnPageFactory(parent=site.root_page)
    sub_column = ColumnPageFactory(parent=column)
    old, new = ArticlePageFactory(parent=column), ArticlePageFactory(parent=sub_column)
    old.date, new.date = new.date, old.date
    old.save(), new.save()
    policy = PolicyDocumentPageFactory(parent=sub_column)
    ArticlePageFactory(parent=column, live=False)  # a draft
    ArticlePageFactory(parent=ColumnPageFactory(parent=site.root_page))  # another column's

    listed = list(queries.articles_below(column, request_for))
    assert [page.pk for page in listed] == [
        p.pk for p in sorted([old, new, policy], key=lambda p: p.date, reverse=True)
    ]
    assert queries.count_articles_below(column, request_for) == 3


def test_the_count_never_needs_the_article_rows(site, request_for, django_assert_num_queries):
    column = ColumnPageFactory(parent=site.root_page)
    ArticlePageFactory.create_batch(4, parent=column)
    restricted_paths(request_for), withheld_ids(request_for)  # loaded once per request
    with django_assert_num_queries(1) as captured:
        assert queries.count_articles_below(column, request_for) == 4
    assert "home_articlepage" not in captured.captured_queries[0]["sql"]
    with django_assert_num_queries(0):  # kept for the rest of the request (or site data snapshot)
        assert queries.count_articles_below(column, request_for) == 4


def test_section_navigation_lists_the_types_that_declare_themselves_sections(site, request_for):
    column = ColumnPageFactory(parent=site.root_page)
    sub_column = ColumnPageFactory(parent=column)
    guides = ServiceGuideIndexPageFactory(parent=column)
    ArticlePageFactory(parent=column)
    ColumnPageFactory(parent=column, live=False)
    assert queries.child_sections(column, request_for) == [sub_column.page_ptr, guides.page_ptr]
