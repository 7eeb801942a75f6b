"""English pages read as English text (issue 22, item 3): no full-width punctuation
（）：，。、； in what a reader sees or hears, except inside text marked ``lang="zh-Hans"`` (what
is left in Chinese), and the site's name once in the header. Chinese pages keep their
full-width punctuation."""

import re
from html.parser import HTMLParser

import pytest
from django.template import Context, Template
from django.utils import translation
from wagtail.models import Page

from tests.helpers import VOID

FULL_WIDTH = re.compile(r"[（）：，。、；]")
READ_ATTRIBUTES = ("alt", "title", "aria-label", "placeholder", "value")
# Routes of English pages that are not pages of their own, and filtered listings.
ROUTES = [
    "/en/search/?q=tax",
    "/en/search/?q=invoice&scope=all",
    "/en/a11y/",
    "/en/taxpayer-services/service-guides/?audience=individual",
    "/en/taxpayer-services/service-guides/fp-pzhd/checklist/",
    "/en/participation/tax-enquiries/letters/",
    "/en/participation/tax-enquiries/lookup/",
    "/en/participation/tax-enquiries/statistics/",
    "/en/no-such-page/",
]


class EnglishText(HTMLParser):
    """Full-width punctuation that an English page shows or reads out (text and the read
    attributes), outside elements marked Chinese, scripts and styles; and the header's text."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, str | None, str]] = []
        self.found: list[str] = []
        self.header = ""

    def _chinese(self) -> bool:
        lang = next((lang for _, lang, _ in reversed(self.stack) if lang), "")
        return lang.lower().startswith("zh")

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag not in VOID:
            self.stack.append((tag, attrs.get("lang"), attrs.get("class") or ""))
        if not self._chinese() and not (tag == "input" and attrs.get("type") == "hidden"):
            for name in READ_ATTRIBUTES:
                if FULL_WIDTH.search(attrs.get(name) or ""):
                    self.found.append(f"<{tag} {name}={attrs[name]!r}>")

    def handle_endtag(self, tag):
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                break

    def handle_data(self, data):
        tags = [tag for tag, _, _ in self.stack]
        if "script" in tags or "style" in tags or "title" in tags:
            return
        if any(tag == "header" and "site-header" in classes for tag, _, classes in self.stack):
            self.header += data
        if FULL_WIDTH.search(data) and not self._chinese():
            self.found.append(f"<{tags[-1] if tags else ''}> {' '.join(data.split())[:70]}")


def read(html: str) -> EnglishText:
    parser = EnglishText()
    parser.feed(html)
    return parser


def english_urls() -> list[str]:
    pages = Page.objects.live().filter(locale__language_code="en", depth__gt=1).order_by("path")
    return [page.relative_url(page.get_site()) for page in pages]


@pytest.fixture
def english(site_client):
    return site_client("main")


def test_english_pages_have_no_full_width_punctuation(english):
    urls = english_urls()
    assert len(urls) >= 30 and all(url.startswith("/en/") for url in urls)
    failures = {}
    for url in urls + ROUTES:
        response = english.get(url)
        assert response.status_code in (200, 404), url
        found = read(response.content.decode()).found
        if found:
            failures[url] = sorted(set(found))[:6]
    assert not failures, "\n".join(f"{u}\n  " + "\n  ".join(f) for u, f in failures.items())


def test_the_english_form_says_required_in_english(english):
    html = english.get("/en/participation/tax-enquiries/").content.decode()
    assert '<span class="field__required"> (required)</span>' in html
    assert "（required）" not in html


def test_the_site_name_is_in_the_english_header_once(english):
    from portal.models import SiteIdentity

    identity = SiteIdentity.objects.get(site__is_default_site=True)
    with translation.override("en"):
        name = identity.short_name
    assert identity.english_name.startswith(name)  # the demo's English name contains it
    for url in ["/en/", "/en/news/", "/en/taxpayer-services/service-guides/fp-pzhd/"]:
        header = " ".join(read(english.get(url).content.decode()).header.split())
        assert header.count(name) == 1, f"{url}: {header}"
    # Chinese pages keep the English name under the Chinese one
    chinese = " ".join(read(english.get("/").content.decode()).header.split())
    assert identity.english_name in chinese


def test_chinese_pages_keep_full_width_punctuation(site_client):
    client = site_client("main")
    mailbox = client.get("/hdjl/zxxx/").content.decode()
    assert '<span class="field__required">（必填）</span>' in mailbox
    guides = client.get("/nsfw/bszn/").content.decode()
    assert "服务对象：" in guides and re.search(r'<span class="facet__count">（\d+）</span>', guides)
    assert re.search(r"（PDF，[\d.]+\sKB）", client.get("/nsfw/bszn/fp-pzhd/").content.decode())


@pytest.mark.parametrize(
    "language, source, expected",
    [
        ("zh-hans", '{% punct "：" %}', "："),
        ("en", '{% punct "：" %}', ": "),
        ("en", '{% punct "，" %}{% punct "、" %}{% punct "；" %}{% punct "。" %}', ", , ; . "),
        ("zh-hans", "{{ n|parens }}", "（3）"),
        ("en", "{{ n|parens }}", " (3)"),
        ("en", "{{ html|parens }}", " (&lt;b&gt;)"),
        ("zh-hans", "{{ items|series }}", "个人、企业"),
        ("en", "{{ items|series }}", "个人, 企业"),
    ],
)
def test_punctuation_follows_the_language(language, source, expected):
    template = Template("{% load punctuation %}" + source)
    with translation.override(language):
        rendered = template.render(Context({"n": 3, "html": "<b>", "items": ["个人", "企业"]}))
    assert rendered == expected
