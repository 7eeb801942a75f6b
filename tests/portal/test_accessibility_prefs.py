"""Reader preferences render on the server (no flash) and the elderly mode works without JS."""

from html.parser import HTMLParser

import pytest
from django.test import Client

from portal import accessibility
from tests.helpers import HOSTS, VOID, outline

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "cookie, classes",
    [
        ("", ""),
        ("t2.hc", "a11y-text-2 a11y-contrast"),
        ("el", "a11y-elderly"),
        ("t1.t3.ls.rg", "a11y-text-3 a11y-spacing a11y-guide"),
        ('"><script>x</script>.t9.zz', ""),
    ],
)
def test_choices_from_the_cookie_are_on_html_before_any_script(client, cookie, classes):
    client.cookies[accessibility.COOKIE] = cookie
    html = client.get("/").content.decode()
    expected = f'class="no-js {classes}"' if classes else 'class="no-js"'
    assert expected in html.split("<head>")[0]
    assert "<script>x</script>" not in html


def test_toolbar_is_on_every_page_and_leads_to_help_without_js(site_client):
    for key, path in [("main", "/"), ("jia", "/gzdt/"), ("yi", "/sitemap/")]:
        html = site_client(key).get(path).content.decode()
        assert '<a class="a11y-bar__link no-js-only" href="/a11y/">无障碍浏览</a>' in html
        assert 'aria-controls="a11y-panel"' in html
        assert html.index("a11y-bar") < html.index('id="main-content"')
    help_page = site_client("jia").get("/a11y/")
    assert help_page.status_code == 200
    text = help_page.content.decode()
    assert "无障碍浏览帮助" in text and "Ctrl" in text and "对比度" in text
    assert 'href="/accessibility/"' in text  # the site's own accessibility statement


def test_elderly_mode_switches_on_and_off_without_javascript(client):
    response = client.get("/a11y/elderly/", {"next": "/gzdt/"})
    assert response.status_code == 302 and response["Location"] == "/gzdt/"
    assert response.cookies[accessibility.COOKIE].value == "el"
    page = client.get("/gzdt/").content.decode()
    assert "a11y-elderly" in page.split("<head>")[0]
    assert ">退出长者模式</a>" in page
    off = client.get("/a11y/elderly/", {"next": "/gzdt/"})
    assert off.cookies[accessibility.COOKIE].value == ""
    assert ">长者模式</a>" in client.get("/gzdt/").content.decode()


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "javascript:alert(1)"])
def test_elderly_switch_never_redirects_off_site(client, target):
    response = client.get("/a11y/elderly/", {"next": target})
    assert response["Location"] == "/"


def test_accessibility_statement_is_linked_from_every_footer(site_client):
    for key in ("main", "jia", "yi"):
        doc = outline(site_client(key).get("/"))
        assert any(a.get("href") == "/accessibility/" for a in doc.all("a")), key
        statement = site_client(key).get("/accessibility/").content.decode()
        assert "WCAG" in statement and "2.1" in statement and "GB/T 37668" in statement


def test_editors_get_wagtails_accessibility_checker(admin_client):
    html = admin_client.get("/").content.decode()
    assert "w-userbar" in html
    assert "accessibility" in html.lower()  # the userbar's axe-based checker item


SECTIONING = {"article", "aside", "main", "nav", "section"}
LANDMARK_ROLES = {"banner", "main", "contentinfo", "navigation", "complementary", "search", "region", "form"}


class OutsideLandmarks(HTMLParser):
    """What a screen reader user moving by landmarks would never reach (axe's ``region``
    rule): text and controls in <body> outside every landmark. The skip link, and anything
    hidden from everyone, may stay outside."""

    def __init__(self):
        super().__init__()
        self.stack: list[tuple[str, bool]] = []  # (tag, inside a landmark or exempt from here on)
        self.found: list[str] = []

    def _covered(self) -> bool:
        return any(covered for _, covered in self.stack)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        role = attrs.get("role")
        named = bool(attrs.get("aria-label") or attrs.get("aria-labelledby"))
        in_sectioning = any(name in SECTIONING for name, _ in self.stack)
        landmark = (
            tag in ("main", "nav", "aside")
            or (tag in ("header", "footer") and not in_sectioning)
            or (tag in ("section", "form") and named)
            or (role in LANDMARK_ROLES and (named or role not in ("region", "form")))
        )
        exempt = (
            tag in ("head", "script", "style", "template")
            or attrs.get("aria-hidden") == "true"
            or "hidden" in attrs
            or "skip-link" in (attrs.get("class") or "").split()
        )
        if not (landmark or exempt or self._covered()) and tag in ("a", "button", "input", "select", "textarea", "img"):
            self.found.append(self.get_starttag_text())
        if tag not in VOID:
            self.stack.append((tag, landmark or exempt))

    def handle_endtag(self, tag):
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                break

    def handle_data(self, data):
        if data.strip() and not self._covered() and any(name == "body" for name, _ in self.stack):
            self.found.append(data.strip()[:60])


def outside_landmarks(html: str) -> list[str]:
    parser = OutsideLandmarks()
    parser.feed(html)
    return parser.found


@pytest.mark.urls("tests.error_urls")
@pytest.mark.parametrize(
    "key, path",
    [
        ("main", "/"),
        ("jia", "/gzdt/"),
        ("yi", "/sitemap/"),
        ("main", "/en/"),
        ("main", "/a11y/"),
        ("main", "/no-such-page/"),  # 404 in the site's layout
        ("main", "/boom/"),  # 500 in the plain error layout
        ("main", "/lockout/"),  # 429 in the plain error layout
    ],
)
def test_the_toolbar_and_everything_else_is_inside_a_landmark(key, path):
    html = Client(HTTP_HOST=f"{HOSTS[key]}:8000", raise_request_exception=False).get(path).content.decode()
    assert outside_landmarks(html) == []
    if "a11y-bar" in html:  # the plain error layout has no toolbar
        toolbar = html.index('class="a11y-bar"')
        banner = html.index('<header class="site-header"')
        assert banner < toolbar < html.index("</header>", banner)  # in the banner, with the site's name
        assert html.index('class="skip-link"') < banner  # the skip link stays the first thing in <body>
