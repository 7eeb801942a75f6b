"""The site icon: every page declares it, and /favicon.ico (which browsers, bookmarks and
feed readers ask for whatever a page declares) answers on every site of the cluster."""

import io
import re

import pytest
from django.test import Client
from PIL import Image

from tests.helpers import HOSTS

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.error_urls")]


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def icon_links(html: str) -> list[str]:
    return re.findall(r'<link rel="icon"[^>]* href="([^"]+)"', html)


@pytest.mark.parametrize("key", ["main", "jia"])
def test_favicon_ico_answers_on_every_site(key):
    response = Client(HTTP_HOST=f"{HOSTS[key]}:8000").get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] in ("image/x-icon", "image/vnd.microsoft.icon")
    assert "max-age=" in response["Cache-Control"] and "public" in response["Cache-Control"]
    icon = Image.open(io.BytesIO(body(response)))
    assert icon.format == "ICO" and (32, 32) in icon.info["sizes"]


@pytest.mark.parametrize(
    "key, path",
    [
        ("main", "/"),
        ("yi", "/gzdt/"),
        ("main", "/en/"),
        ("main", "/no-such-page/"),  # 404 in the site's layout
        ("main", "/boom/"),  # 500 in the plain error layout
    ],
)
def test_pages_declare_an_icon_that_answers(key, path):
    client = Client(HTTP_HOST=f"{HOSTS[key]}:8000", raise_request_exception=False)
    html = client.get(path).content.decode()
    links = icon_links(html)
    assert links, f"no <link rel=icon> on {path}"
    types = set()
    for url in links:
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Content-Type"].startswith("image/"), url
        types.add(response["Content-Type"].split(";")[0])
    assert "image/svg+xml" in types  # sharp at any size
    assert types - {"image/svg+xml"}  # and a bitmap for browsers without SVG icons
