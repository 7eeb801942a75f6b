"""Small helpers for tests: the demo's hosts, staff clients, page URLs, reading rendered
pages, filling in public forms and delivering the queued mail."""

import os
import re
import struct
import tempfile
from html.parser import HTMLParser
from pathlib import Path
from unittest import mock

import post_office.mail
from captcha.models import CaptchaStore
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command
from django.test import Client
from wagtail.models import Site

from demo.sites import SITES

HOSTS = {spec["key"]: spec["hostname"] for spec in SITES}  # "main" -> "localhost", "jia" -> "jia.localhost" …


def site_of(key: str = "main") -> Site:
    return Site.objects.select_related("root_page").get(hostname=HOSTS[key])


def city_article(key: str = "jia"):
    """A live article of a city site that the main site has not taken up (信息报送 puts a copy
    with the same title there): a query for its title finds it on that city's site only."""
    from home.models import ArticlePage
    from submission.models import Submission

    taken_up = Submission.objects.values("source_page")
    articles = ArticlePage.objects.live().descendant_of(site_of(key).root_page).exclude(pk__in=taken_up)
    return articles.order_by("path").first()


def url_of(page) -> str:
    """The page's URL on its own site, without the host."""
    return page.relative_url(page.get_site())


def staff_client(username: str, host: str = "localhost:8000") -> Client:
    """A client logged in as one of the demo accounts (``admin``, ``jia_editor`` …)."""
    client = Client(HTTP_HOST=host)
    client.force_login(get_user_model().objects.get(username=username))
    return client


# The sender's lock file, one per test process (post_office's default is one per machine).
SENDER_LOCK = os.path.join(tempfile.gettempdir(), f"portal-test-send-queued-mail-{os.getpid()}")


class _KeepConnection:
    def close(self):
        pass


def deliver_queued_mail() -> list:
    """Run the sender as cron does (``manage.py send_queued_mail``) and return
    ``django.core.mail.outbox``, where the test settings' backend delivers. Everything a test
    mailed is queued in the outbox until then.

    post_office closes the database connection after each batch (for its worker processes); a
    test runs inside a transaction that must survive, so that one call is left out here."""
    with mock.patch.object(post_office.mail, "db_connection", _KeepConnection()):
        call_command("send_queued_mail", lockfile=SENDER_LOCK)
    return mail.outbox


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


def cmap_characters(path) -> set[str]:
    """The characters a TrueType font maps to glyphs (its format 4 and 12 ``cmap`` subtables),
    read without fontTools, which the portal does not install."""
    data = Path(path).read_bytes()
    (count,) = struct.unpack_from(">H", data, 4)
    tables = {data[12 + 16 * i : 16 + 16 * i]: struct.unpack_from(">I", data, 20 + 16 * i)[0] for i in range(count)}
    cmap = tables[b"cmap"]
    characters: set[str] = set()
    (subtables,) = struct.unpack_from(">H", data, cmap + 2)
    for i in range(subtables):
        offset = cmap + struct.unpack_from(">I", data, cmap + 8 + 8 * i)[0]
        (kind,) = struct.unpack_from(">H", data, offset)
        if kind == 4:
            (doubled,) = struct.unpack_from(">H", data, offset + 6)
            segments = doubled // 2
            ends = struct.unpack_from(f">{segments}H", data, offset + 14)
            starts = struct.unpack_from(f">{segments}H", data, offset + 16 + doubled)
            deltas = struct.unpack_from(f">{segments}h", data, offset + 16 + 2 * doubled)
            ranges_at = offset + 16 + 3 * doubled
            range_offsets = struct.unpack_from(f">{segments}H", data, ranges_at)
            for s, (start, end, delta, range_offset) in enumerate(
                zip(starts, ends, deltas, range_offsets, strict=True)
            ):
                for code in range(start, min(end, 0xFFFE) + 1):
                    if range_offset == 0:
                        glyph = (code + delta) & 0xFFFF
                    else:
                        at = ranges_at + 2 * s + range_offset + 2 * (code - start)
                        glyph = struct.unpack_from(">H", data, at)[0]
                        glyph = (glyph + delta) & 0xFFFF if glyph else 0
                    if glyph:
                        characters.add(chr(code))
        elif kind == 12:
            (groups,) = struct.unpack_from(">I", data, offset + 12)
            for g in range(groups):
                start, end, _glyph = struct.unpack_from(">III", data, offset + 16 + 12 * g)
                characters.update(chr(code) for code in range(start, end + 1))
    return characters


def demo_totp_code() -> str:
    """The current code of the demo authenticator (README "Demo accounts": key SHILIDEMOTOTPKEY),
    which ``admin`` and the ``<site>_admin`` accounts are enrolled with."""
    from django_otp.oath import TOTP

    from signin.demo import demo_key_hex

    return f"{TOTP(bytes.fromhex(demo_key_hex())).token():06d}"


def second_step(client: Client, code: str | None = None):
    """After the password: the code at /admin/2fa/ (the demo authenticator's by default)."""
    return client.post("/admin/2fa/", {"code": code or demo_totp_code()})
