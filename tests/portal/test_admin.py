"""Editors can sign in to the admin; wrong passwords are refused and rate limited."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.text import capfirst
from wagtail.models import Site
from wagtail.snippets.models import get_snippet_models

from home.models import ArticlePage
from tests.helpers import second_step

pytestmark = pytest.mark.django_db


def test_admin_login_works():
    client = Client()
    response = client.post("/admin/login/", {"username": "admin", "password": "demo-admin-2026"})
    assert response.status_code == 302
    assert client.get("/admin/")["Location"] == "/admin/2fa/?next=%2Fadmin%2F"  # a superuser: the code next
    assert second_step(client)["Location"] == "/admin/"
    dashboard = client.get("/admin/")
    assert dashboard.status_code == 200
    assert "政府网站群管理后台" in dashboard.content.decode()


def test_wrong_password_is_refused():
    client = Client()
    response = client.post("/admin/login/", {"username": "admin", "password": "wrong"})
    assert response.status_code == 200
    assert client.get("/admin/").status_code == 302  # still sent to the login page


def test_repeated_failures_lock_the_account_out():
    client = Client()
    for _ in range(5):
        client.post("/admin/login/", {"username": "admin", "password": "wrong"})
    response = client.post("/admin/login/", {"username": "admin", "password": "demo-admin-2026"})
    assert response.status_code in (403, 429)
    assert client.get("/admin/").status_code == 302


def test_city_editor_sees_only_their_site_in_the_explorer():
    client = Client()
    client.post("/admin/login/", {"username": "jia_editor", "password": "demo-jia-2026"})
    jia_home = Site.objects.get(hostname="jia.localhost").root_page
    yi_home = Site.objects.get(hostname="yi.localhost").root_page
    assert client.get(f"/admin/pages/{jia_home.pk}/").status_code == 200
    yi_article = ArticlePage.objects.descendant_of(yi_home).first()
    assert client.get(f"/admin/pages/{yi_article.pk}/edit/").status_code in (302, 403)


@pytest.mark.parametrize(
    "model_path",
    [
        "guides.models.ServiceGuidePage",
        "guides.models.ServiceGuideIndexPage",
        "guides.models.FormLibraryPage",
        "home.models.PolicyDocumentPage",
        "home.models.PolicyInterpretationPage",
        "home.models.ArticlePage",
        "home.models.ColumnPage",
        "home.models.HomePage",
    ],
)
def test_editors_can_open_every_page_type_in_the_admin(admin_client, model_path):
    from django.utils.module_loading import import_string

    page = import_string(model_path).objects.first()
    response = admin_client.get(f"/admin/pages/{page.pk}/edit/")
    assert response.status_code == 200
    assert page.title in response.content.decode()


def test_form_library_items_are_managed_as_snippets(admin_client):
    from guides.models import FormItem

    form = FormItem.objects.first()
    listing = admin_client.get("/admin/snippets/guides/formitem/")
    assert listing.status_code == 200 and form.title in listing.content.decode()
    assert admin_client.get(f"/admin/snippets/guides/formitem/edit/{form.pk}/").status_code == 200


def test_a_superuser_reaches_the_snippets_index_and_every_snippet_type(admin_client):
    response = admin_client.get("/admin/snippets/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "没有权限" not in html
    for model in get_snippet_models():
        listing = reverse(model.snippet_viewset.get_url_name("list"))
        assert f'href="{listing}"' in html and str(capfirst(model._meta.verbose_name_plural)) in html, model
    # the breadcrumb of a snippet listing leads back to that index
    form_listing = admin_client.get("/admin/snippets/guides/formitem/").content.decode()
    assert 'href="/admin/snippets/"' in form_listing


def test_account_preferences_offer_the_portals_two_languages():
    """Wagtail ships about 50 admin languages; staff choose between the two the portal speaks."""
    import re

    from django.contrib.auth import get_user_model
    from wagtail.users.models import UserProfile

    editor = get_user_model().objects.get(username="jia_editor")
    client = Client()
    client.force_login(editor)
    html = client.get("/admin/account/").content.decode()
    select = re.search(r'<select name="locale-preferred_language".*?</select>', html, re.S).group(0)
    options = re.findall(r'<option value="([^"]*)"[^>]*>\s*([^<]*?)\s*</option>', select)
    assert sorted(value for value, _label in options if value) == ["en", "zh-hans"]
    assert dict(options)["zh-hans"] == "简体中文" and dict(options)["en"] == "English"
    assert len(options) == 3  # and "use the server's language"

    UserProfile.get_for_user(editor)
    UserProfile.objects.filter(user=editor).update(preferred_language="en")
    assert '<html lang="en"' in client.get("/admin/").content.decode()
