"""Small helpers for tests: the demo's hosts, staff clients, page URLs, reading rendered
pages and filling in public forms."""

import re
from html.parser import HTMLParser

from captcha.models import CaptchaStore
from django.contrib.auth import get_user_model
from django.test import Client
from wagtail.models import Site

from demo.sites import SITES

HOSTS = {spec["key"]: spec["hostname"] for spec in SITES}  # "main" -> "localhost", "jia" -> "jia.localhost" …


def site_of(key: str = "main") -> Site:
    return Site.objects.select_related("root_page").get(hostname=HOSTS[key])


def url_of(page) -> str:
    """The page's URL on its own site, without the host."""
    return page.relative_url(page.get_site())


def staff_client(username: str, host: str = "localhost:8000") -> Client:
    """A client logged in as one of the demo accounts (``admin``, ``jia_editor`` …)."""
    client = Client(HTTP_HOST=host)
    client.force_login(get_user_model().objects.get(username=username))
    return client


class Outline(HTMLParser):
    """Collects what a user (or a screen reader) meets on a page."""

    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.h1_text: list[str] = []
        self._in_h1 = False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag == "h1":
            self._in_h1 = True
            self.h1_text.append("")

    def handle_endtag(self, tag):
        if tag == "h1":
            self._in_h1 = False

    def handle_data(self, data):
        if self._in_h1:
            self.h1_text[-1] += data

    def all(self, tag: str) -> list[dict]:
        return [attrs for name, attrs in self.tags if name == tag]

    def meta(self) -> dict[str, str]:
        return {a["name"]: a.get("content", "") for a in self.all("meta") if "name" in a}


def outline(response) -> Outline:
    parser = Outline()
    parser.feed(response.content.decode())
    return parser


VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
READ_ATTRIBUTES = ("alt", "title", "aria-label", "placeholder")


class UnmarkedChinese(HTMLParser):
    """Chinese text that a screen reader would read in the page language: text, alt and
    labels outside any element marked ``lang="zh-..."`` (scripts and styles aside)."""

    def __init__(self):
        super().__init__()
        self.stack: list[tuple[str, str | None]] = []
        self.found: list[str] = []

    def _language(self) -> str:
        return next((lang for _, lang in reversed(self.stack) if lang), "")

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        lang = attrs.get("lang")
        chinese = (lang or self._language()).lower().startswith("zh")
        if not chinese:
            for name in READ_ATTRIBUTES:
                if _han(attrs.get(name)):
                    self.found.append(f"<{tag} {name}={attrs[name]!r}>")
        if tag not in VOID:
            self.stack.append((tag, lang))

    def handle_endtag(self, tag):
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                break

    def handle_data(self, data):
        if any(tag in ("script", "style") for tag, _ in self.stack):
            return
        if _han(data) and not self._language().lower().startswith("zh"):
            self.found.append(f"<{self.stack[-1][0] if self.stack else ''}> {data.strip()[:60]}")


def _han(text: str | None) -> bool:
    return bool(text) and any("\u3400" <= char <= "\u9fff" for char in text)


def unmarked_chinese(html: str) -> list[str]:
    parser = UnmarkedChinese()
    parser.feed(html)
    return parser.found


def chinese(queryset):
    """Only the Chinese rows of a translatable model: the demo's English edition holds
    translations of some guides, forms, themes and departments beside them."""
    return queryset.filter(locale__language_code="zh-hans")


def answered_form(client, url) -> dict:
    """The hidden parts of a public form (``portal.forms.PublicForm``) as a person's browser
    would send them after reading the page at ``url``: the fill-time stamp, the empty
    honeypot and the captcha answered."""
    html = client.get(url).content.decode()
    key = re.search(r'name="captcha_0" value="([^"]+)"', html).group(1)
    return {
        "started": re.search(r'name="started" value="([^"]+)"', html).group(1),
        "website": "",
        "captcha_0": key,
        "captcha_1": CaptchaStore.objects.get(hashkey=key).response,
    }
