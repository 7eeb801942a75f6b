"""The English edition is a per-site choice: the demo turns it on for the main site only.
Where it is on, each page links to its live translation (with hreflang), or to the English
home page with a note when it has none; English pages read in English throughout."""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.utils.html import escape
from wagtail.models import Locale, Page, Site

from correspondence.models import Letter
from demo import english
from guides.models import ServiceGuidePage
from home.models import PolicyDocumentPage
from interviews.models import InterviewPage
from portal.models import SiteIdentity, SiteText
from tests.correspondence.test_mailboxes import form_defaults
from tests.helpers import deliver_queued_mail, unmarked_chinese


def chinese_page(path: str) -> Page:
    home = Site.objects.get(is_default_site=True).root_page
    return Page.objects.get(url_path=f"{home.url_path}{path}", locale=home.locale).specific


def english_of(page: Page) -> Page:
    return page.get_translation(Locale.objects.get(language_code="en")).specific


def url(page: Page) -> str:
    return page.relative_url(page.get_site())


@pytest.mark.parametrize("path", [path for path, _ in english.PAGES])
def test_every_translated_demo_page_reads_in_english(site_client, path):
    chinese = chinese_page(path)
    translated = english_of(chinese)
    response = site_client("main").get(url(translated))
    html = response.content.decode()
    assert response.status_code == 200 and url(translated).startswith("/en/")
    assert '<html lang="en"' in html
    assert f'<link rel="alternate" hreflang="zh-Hans" href="http://localhost:8000{url(chinese)}">' in html
    assert f'href="{url(chinese)}" hreflang="zh-Hans" lang="zh-Hans">中文</a>' in html
    assert unmarked_chinese(html) == [], url(translated)
    back = site_client("main").get(url(chinese)).content.decode()
    assert f'<link rel="alternate" hreflang="en" href="http://localhost:8000{url(translated)}">' in back


def test_the_english_demo_is_complete_and_synced_through_wagtail_localize(db):
    from wagtail_localize.models import Translation

    home = Site.objects.get(is_default_site=True).root_page
    sources = english.sources(home)
    assert len([s for s in sources if isinstance(s.instance, Page)]) == len(english.PAGES)
    for source in sources:
        translation = Translation.objects.get(
            source__object_id=source.instance.translation_key, target_locale__language_code="en"
        )
        total, done = translation.get_progress()
        assert total == done, f"{source.label}: {total - done} strings untranslated"


def test_english_pages_link_to_english_pages(site_client):
    client = site_client("main")
    home = client.get("/en/").content.decode()
    assert 'href="/en/news/headlines/"' in home and 'href="/en/notices/"' in home
    assert 'href="/en/taxpayer-services/service-guides/"' in home  # a quick link to a page
    guide = english_of(chinese_page("nsfw/bszn/yh-xwqy/"))
    html = client.get(url(guide)).content.decode()
    policy = english_of(chinese_page("zcwj/p2026-08-small-profit/"))
    assert f'href="{url(policy)}">{policy.title}</a>' in html  # legal basis: the English policy
    assert guide.theme.locale.language_code == "en" and guide.theme.name in html
    assert all(material.locale.language_code == "en" for material in guide.materials.all())
    # the footer's statement and site map are the English ones
    assert 'href="/en/accessibility/"' in html and 'href="/en/sitemap/"' in html


def test_the_english_interview_archive_has_its_own_transcript_and_links_back(site_client):
    chinese = chinese_page(f"zxft/{english.INTERVIEW}/")
    interview = english_of(chinese)
    assert isinstance(interview, InterviewPage)
    assert interview.entries.count() == chinese.entries.count()
    html = site_client("main").get(url(interview)).content.decode()
    assert "Wang Liheng" in html and "Director, Income Tax Division" in html
    assert "small low-profit enterprise" in html
    policy = english_of(chinese_page("zcwj/p2026-08-small-profit/"))
    policy_html = site_client("main").get(url(policy)).content.decode()
    assert f'href="{url(interview)}">{escape(interview.title)}</a>' in policy_html


def test_dates_follow_the_language(site_client):
    chinese = chinese_page("zcwj/p2026-03-einvoice/")
    translated = english_of(chinese)
    day = chinese.date
    assert day.strftime("%Y-%m-%d") in site_client("main").get(url(chinese)).content.decode()
    english_html = site_client("main").get(url(translated)).content.decode()
    assert f"{day.day} {day.strftime('%b %Y')}" in english_html
    visible = re.sub(r'datetime="[^"]*"', "", english_html.split("<main", 1)[1])
    assert day.strftime("%Y-%m-%d") not in visible


def test_the_site_identity_is_translated_as_a_snippet(site_client):
    identity = SiteIdentity.for_site(Site.objects.get(is_default_site=True))
    translated = identity.text.get_translation(Locale.objects.get(language_code="en"))
    assert isinstance(translated, SiteText) and translated.sponsor.startswith("Shili Provincial Tax Service")
    english_html = site_client("main").get("/en/").content.decode()
    assert translated.sponsor in english_html and translated.address in english_html
    assert identity.text.sponsor in site_client("main").get("/").content.decode()
    # the other sites of the cluster have no English edition: their English names
    assert ">Jia City Tax Service</a>" in english_html


def test_an_english_letter_is_accepted_by_the_english_mailbox(site_client):
    mailbox = english_of(chinese_page("hdjl/zxxx/"))
    client = site_client("main")
    data = form_defaults(client, url(mailbox))
    data.update(
        name="Anna Berg",
        subject="VAT refund for a foreign-invested company",
        content="Our company was set up in Jia City last year. How do we apply for a VAT credit refund?",
        phone="",
    )
    response = client.post(url(mailbox), data)
    assert response.status_code == 302 and f"{url(mailbox)}sent/" in response["Location"]
    letter = Letter.objects.get(subject="VAT refund for a foreign-invested company")
    assert letter.mailbox_id == mailbox.pk and letter.content.startswith("Our company")
    sent = client.get(response["Location"]).content.decode()
    assert '<html lang="en"' in sent and unmarked_chinese(sent) == []
    assert len(deliver_queued_mail()) >= 1


def test_without_an_english_edition_there_is_no_en_url_and_no_switcher(site_client):
    client = site_client("jia")
    for path in ("/en/", "/en/a11y/", "/en/search/?q=tax", "/en/news/"):
        assert client.get(path).status_code == 404, path
    html = client.get("/").content.decode()
    assert "lang-switch" not in html and 'rel="alternate" hreflang' not in html


def test_turning_the_edition_off_removes_it(site_client):
    identity = SiteIdentity.for_site(Site.objects.get(is_default_site=True))
    identity.english_edition = False
    identity.save()
    client = site_client("main")
    assert client.get("/en/").status_code == 404 and client.get("/en/news/").status_code == 404
    assert "lang-switch" not in client.get("/").content.decode()


def test_an_untranslated_page_points_to_the_english_home_page(site_client):
    html = site_client("main").get("/hdjl/jzxx/").content.decode()
    assert 'href="/en/" hreflang="en" lang="en">English home page' in html
    assert "this page is not available in English" in html
    assert 'rel="alternate" hreflang' not in html


def test_non_page_views_switch_to_the_same_view(site_client):
    html = site_client("main").get("/a11y/").content.decode()
    assert 'href="/en/a11y/" hreflang="en" lang="en">English</a>' in html
    assert site_client("main").get("/en/a11y/").status_code == 200


def test_a_translation_synced_with_wagtail_localize_is_published_and_found_by_english_search(
    site_client, django_capture_on_commit_callbacks
):
    from wagtail_localize.models import Translation, TranslationSource

    policy = chinese_page("zcwj/p2026-05-filing/")
    assert policy.get_translation_or_none(Locale.objects.get(language_code="en")) is None
    source, _ = TranslationSource.get_or_create_from_instance(policy)
    translation = Translation.objects.create(source=source, target_locale=Locale.objects.get(language_code="en"))
    po = translation.export_po()
    for number, entry in enumerate(po):
        if entry.msgctxt == "title":
            entry.msgstr = "Notice on combined filing for taxes and fees"
        elif entry.msgctxt == "slug":
            entry.msgstr = "combined-filing-taxes-fees"
        else:
            entry.msgstr = f"English text {number}"
    translation.import_po(po)
    with django_capture_on_commit_callbacks(execute=True):  # wagtail-localize publishes on commit
        translation.save_target(publish=True)

    translated = english_of(policy)
    assert translated.live and translated.title == "Notice on combined filing for taxes and fees"
    assert url(translated) == "/en/policies/combined-filing-taxes-fees/"
    client = site_client("main")
    found = client.get("/en/search/?q=combined").content.decode()
    assert f'href="{url(translated)}"' in found and "Notice on combined filing for taxes and fees" in found
    assert f'href="{url(policy)}"' not in found  # Chinese pages stay out of English results
    assert f'href="{url(translated)}"' not in client.get("/search/?q=combined").content.decode()
    switcher = f'href="{url(translated)}" hreflang="en" lang="en">English</a>'
    assert switcher in client.get(url(policy)).content.decode()


def test_a_changed_chinese_page_is_offered_for_update_not_changed_silently(site_client):
    from wagtail_localize.models import TranslationSource

    news = chinese_page("gzdt/")
    news.intro = "本栏目发布全省税务系统工作动态（已修订）。"
    news.save_revision().publish()
    news.refresh_from_db()
    source = TranslationSource.objects.get(object_id=news.translation_key, locale=news.locale)
    assert source.get_source_instance().intro.endswith("（已修订）。")
    assert source.last_updated_at < news.last_published_at  # wagtail-localize offers "sync"
    translated = english_of(news)
    assert "已修订" not in translated.intro


def test_policy_pages_without_translation_keep_chinese_listing(site_client):
    english_policies = PolicyDocumentPage.objects.filter(locale__language_code="en").live()
    assert english_policies.count() == len([path for path, _ in english.PAGES if path.startswith("zcwj/p")])
    html = site_client("main").get("/en/policies/").content.decode()
    for policy in english_policies:
        assert f'href="{url(policy)}"' in html


HREFLANG_ELEMENTS = {"a", "link", "area"}  # the only elements HTML allows hreflang on


class _Hreflang(HTMLParser):
    def __init__(self):
        super().__init__()
        self.misplaced: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag not in HREFLANG_ELEMENTS and any(name == "hreflang" for name, _ in attrs):
            self.misplaced.append(self.get_starttag_text())


def test_english_guides_put_hreflang_on_links_only(site_client):
    """A guide's legal basis names Chinese policies: their document number is marked
    ``lang="zh-Hans"`` for screen readers, but ``hreflang`` belongs to the link alone."""
    guides = ServiceGuidePage.objects.live().filter(locale__language_code="en")
    assert guides.count() >= 3
    client = site_client("main")
    misplaced = {}
    for guide in guides:
        parser = _Hreflang()
        parser.feed(client.get(url(guide)).content.decode())
        if parser.misplaced:
            misplaced[url(guide)] = parser.misplaced
    assert not misplaced
    html = client.get(url(english_of(chinese_page("nsfw/bszn/sb-qysds-yj/")))).content.decode()
    assert re.search(r'</a> <span lang="zh-Hans">（示税公告〔', html)  # still read as Chinese


def test_no_template_puts_hreflang_on_anything_but_a_link():
    """``hreflang`` (also through the ``lang_of`` filter, which writes it) only on a, link, area."""
    from django.conf import settings

    pattern = re.compile(r"<(\w+)\b[^<>]*(?:hreflang|\|lang_of)")
    found = []
    root = Path(settings.BASE_DIR)
    templates = [*root.glob("templates/**/*.html"), *root.glob("*/templates/**/*.html")]  # and the apps' own
    assert len(templates) > 50
    for template in templates:
        for tag in pattern.findall(template.read_text()):
            if tag not in HREFLANG_ELEMENTS:
                found.append(f"{template.name}: <{tag}>")
    assert not found
