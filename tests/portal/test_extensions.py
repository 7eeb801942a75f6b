"""What apps add to other apps' pages: panels registered with hooks, and the page types'
own declarations (sections, publications, where they may go)."""

import copy
from pathlib import Path

import pytest
from django.conf import settings
from django.test import override_settings
from wagtail import hooks
from wagtail.models import Page, get_page_models

from guides.models import FormLibraryPage, ServiceGuideIndexPage, ServiceGuidePage
from home import panels
from home.models import ArticlePage, ColumnPage, HomePage, PolicyDocumentPage, StandardPage
from interviews.models import InterviewPage
from portal import extensions
from portal.pages import page_types

pytestmark = pytest.mark.django_db


def with_test_templates():
    """The settings' templates plus ``tests/templates`` (a panel of a pretend app)."""
    templates = copy.deepcopy(settings.TEMPLATES)
    templates[0]["DIRS"] = [*templates[0]["DIRS"], Path(__file__).resolve().parents[1] / "templates"]
    return override_settings(TEMPLATES=templates)


def test_a_panel_registered_by_an_app_shows_on_the_home_page(client):
    def notice(page, request):
        return extensions.Panel("tests/panel.html", {"text": f"来自测试应用：{page.title}"})

    with with_test_templates(), hooks.register_temporarily(panels.HOME_PAGE, notice):
        html = client.get("/").content.decode()
    assert "来自测试应用：国家税务总局示例省税务局" in html
    assert "来自测试应用" not in client.get("/").content.decode()


def test_a_panel_that_has_nothing_to_show_adds_nothing(client):
    baseline = client.get("/").content.decode()
    with hooks.register_temporarily(panels.HOME_PAGE, lambda page, request: None):
        assert client.get("/").content.decode().count("<section") == baseline.count("<section")


def test_the_filing_calendar_and_interviews_reach_home_pages_only_through_panels(client):
    """本月征期 on the home page and 相关在线访谈 on a policy come from their apps' hooks."""
    names = {function.__module__ for function in hooks.get_hooks(panels.HOME_PAGE)}
    assert "taxservice.wagtail_hooks" in names
    names = {function.__module__ for function in hooks.get_hooks(panels.POLICY_PAGE)}
    assert "interviews.wagtail_hooks" in names


def test_section_and_publication_types_are_declared_by_the_page_types():
    sections = set(page_types("is_section"))
    assert {ColumnPage, ServiceGuideIndexPage, FormLibraryPage} <= sections
    assert ArticlePage not in sections and HomePage not in sections
    publications = set(page_types("is_publication"))
    assert {ArticlePage, PolicyDocumentPage, ServiceGuidePage, InterviewPage} <= publications
    assert ColumnPage not in publications and StandardPage not in publications


def test_every_page_type_says_where_it_may_go():
    """The home page and columns accept any type that names them, so every type must."""
    for model in get_page_models():
        if model is Page:
            continue
        assert "parent_page_types" in vars(model), f"{model.__name__} does not declare parent_page_types"


def test_the_home_page_and_columns_accept_the_apps_page_types():
    under_home = set(HomePage.allowed_subpage_models())
    assert {ColumnPage, ServiceGuideIndexPage, FormLibraryPage, StandardPage} <= under_home
    assert ArticlePage not in under_home and ServiceGuidePage not in under_home
    under_column = set(ColumnPage.allowed_subpage_models())
    assert {ArticlePage, PolicyDocumentPage, ServiceGuideIndexPage} <= under_column
    assert HomePage not in under_column
