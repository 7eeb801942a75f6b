"""Reader preferences render on the server (no flash) and the elderly mode works without JS."""

import pytest

from portal import accessibility
from tests.helpers import outline

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
