"""Unit tests of the guide index's filters (portal.facets) on guides built for each test."""

import pytest
from django.test import RequestFactory

from guides import queries
from portal import sitedata
from tests.factories import (
    DepartmentFactory,
    ServiceGuideIndexPageFactory,
    ServiceGuidePageFactory,
    SiteFactory,
    ThemeFactory,
)

pytestmark = pytest.mark.django_db


def get(params: dict):
    request = RequestFactory().get("/", params)
    request._portal_memo = sitedata.RequestMemo()
    return request


@pytest.fixture
def index():
    return ServiceGuideIndexPageFactory(parent=SiteFactory().root_page)


def facet(context, key):
    return next(group for group in context["facets"] if group["key"] == key)


def test_every_option_counts_what_it_would_give_with_the_other_filters(index):
    invoices, filing = ThemeFactory(), ThemeFactory()
    office = DepartmentFactory()
    ServiceGuidePageFactory(parent=index, theme=invoices, department=office, visits=0)
    ServiceGuidePageFactory(parent=index, theme=invoices, for_enterprises=True, for_individuals=False)
    ServiceGuidePageFactory(parent=index, theme=filing, department=office)
    ServiceGuidePageFactory(parent=index, theme=filing, live=False)  # a draft counts nowhere

    context = queries.guide_index(index, get({"theme": invoices.slug}))
    assert len(context["guides"]) == 2
    themes = {option["value"]: option for option in facet(context, "theme")["options"]}
    assert themes[invoices.slug]["count"] == 2 and themes[invoices.slug]["current"]
    assert themes[filing.slug]["count"] == 1  # what choosing it instead would give
    assert themes[invoices.slug]["url"] == "?"  # choosing the current one again clears it
    assert facet(context, "online")["options"][0]["count"] == 1
    audience = {option["value"]: option["count"] for option in facet(context, "audience")["options"]}
    assert audience == {"individual": 1, "enterprise": 1}


def test_an_unknown_filter_value_is_ignored_and_the_page_number_never_fails(index):
    ServiceGuidePageFactory.create_batch(3, parent=index)
    context = queries.guide_index(index, get({"theme": "no-such-theme", "audience": "aliens", "page": "abc"}))
    assert len(context["guides"]) == 3 and not context["any_filter"]
