"""The English edition is a per-site choice: where it is off there is no /en/ and no
switcher; where it is on, each page links to its live translation (with hreflang), or to the
English home page with a note when it has none."""

import pytest
from wagtail.models import Locale, Site

from home.models import ColumnPage
from portal.models import SiteIdentity


@pytest.fixture
def english_main_site():
    """The main site with its English edition on, the home page and 工作动态 translated."""
    site = Site.objects.get(hostname="localhost")
    identity = SiteIdentity.for_site(site)
    identity.english_edition = True
    identity.save()
    english, _ = Locale.objects.get_or_create(language_code="en")
    home = site.root_page.specific
    home_en = home.copy_for_translation(english)
    home_en.title = "Shili Provincial Tax Service"
    home_en.save_revision().publish()
    news = ColumnPage.objects.child_of(home).get(slug="gzdt")
    news_en = news.copy_for_translation(english)
    news_en.title = "Tax news"
    news_en.save_revision().publish()
    return {"home": home, "home_en": home_en, "news": news, "news_en": news_en}


def test_without_an_english_edition_there_is_no_en_url_and_no_switcher(site_client):
    client = site_client("main")
    for url in ("/en/", "/en/a11y/", "/en/search/?q=tax", "/en/gzdt/"):
        assert client.get(url).status_code == 404, url
    html = client.get("/").content.decode()
    assert "lang-switch" not in html and 'rel="alternate" hreflang' not in html


def test_a_translated_page_links_to_its_translation_both_ways(site_client, english_main_site):
    client = site_client("main")
    chinese = client.get("/gzdt/").content.decode()
    assert '<a class="a11y-bar__link lang-switch" href="/en/gzdt/" hreflang="en" lang="en">English</a>' in chinese
    assert '<link rel="alternate" hreflang="en" href="http://localhost:8000/en/gzdt/">' in chinese
    assert '<link rel="alternate" hreflang="zh-Hans" href="http://localhost:8000/gzdt/">' in chinese

    english = client.get("/en/gzdt/")
    html = english.content.decode()
    assert english.status_code == 200 and '<html lang="en"' in html and "<h1>Tax news</h1>" in html
    assert 'href="/gzdt/" hreflang="zh-Hans" lang="zh-Hans">中文</a>' in html
    assert "Skip to main content" in html


def test_an_untranslated_page_points_to_the_english_home_page(site_client, english_main_site):
    html = site_client("main").get("/hdjl/").content.decode()
    assert 'href="/en/" hreflang="en" lang="en">English home page' in html
    assert "this page is not available in English" in html
    assert 'rel="alternate" hreflang' not in html
    assert site_client("main").get("/en/hdjl/").status_code == 404


def test_the_edition_is_per_site(site_client, english_main_site):
    assert site_client("main").get("/en/").status_code == 200
    assert site_client("jia").get("/en/").status_code == 404
    assert "lang-switch" not in site_client("jia").get("/").content.decode()


def test_non_page_views_switch_to_the_same_view(site_client, english_main_site):
    html = site_client("main").get("/a11y/").content.decode()
    assert 'href="/en/a11y/" hreflang="en" lang="en">English</a>' in html
    assert site_client("main").get("/en/a11y/").status_code == 200


def test_a_translation_synced_with_wagtail_localize_is_published_and_found_by_english_search(
    site_client, english_main_site, django_capture_on_commit_callbacks
):
    from wagtail_localize.models import Translation, TranslationSource

    from home.models import PolicyDocumentPage

    policy = PolicyDocumentPage.objects.live().descendant_of(english_main_site["home"]).first()
    source, _ = TranslationSource.get_or_create_from_instance(policy)
    translation = Translation.objects.create(source=source, target_locale=Locale.objects.get(language_code="en"))
    po = translation.export_po()
    for number, entry in enumerate(po):
        if entry.msgctxt == "title":
            entry.msgstr = "Notice on faster VAT refunds for exporters"
        elif entry.msgctxt == "slug":
            entry.msgstr = "faster-vat-refunds-exporters"
        else:
            entry.msgstr = f"English text {number}"
    translation.import_po(po)
    with django_capture_on_commit_callbacks(execute=True):  # wagtail-localize publishes on commit
        translation.save_target(publish=True)

    english = policy.get_translation(Locale.objects.get(language_code="en"))
    assert english.live and english.title == "Notice on faster VAT refunds for exporters"
    english_url, chinese_url = (page.relative_url(page.get_site()) for page in (english, policy))
    assert english_url == "/en/zcwj/faster-vat-refunds-exporters/"
    client = site_client("main")
    found = client.get("/en/search/?q=exporters").content.decode()
    assert f'href="{english_url}"' in found and "Notice on faster VAT refunds for exporters" in found
    assert f'href="{chinese_url}"' not in found  # Chinese pages stay out of English results
    assert f'href="{english_url}"' not in client.get("/search/?q=exporters").content.decode()
    # the Chinese policy now links to its English version
    switcher = f'href="{english_url}" hreflang="en" lang="en">English</a>'
    assert switcher in client.get(chinese_url).content.decode()
