"""The 40 questions asked most (``search/TOPICS.md``) each have a page in the demo, and a
citizen's query for each finds it in the top three (issue #26, item 5).

``tests/data/search_queries_topics.json`` has the format of ``search_queries.json``; once the
relevance test loads every ``tests/data/search_queries*.json``, this test repeats it for these
queries only and may go."""

import json
import re
from pathlib import Path

import pytest
from django.db import connection
from django.utils.html import escape

pytestmark = pytest.mark.django_db

DATA = Path(__file__).resolve().parents[1] / "data" / "search_queries_topics.json"
TOPICS = Path(__file__).resolve().parents[2] / "search" / "TOPICS.md"
QUERIES = json.loads(DATA.read_text(encoding="utf-8"))


def result_links(html: str) -> list[str]:
    return re.findall(r'<li class="search-result[^"]*">\s*<h3><a href="([^"]+)"', html.split("<main", 1)[1])


def topic_rows() -> list[str]:
    return re.findall(r"^\| (\d+) \|", TOPICS.read_text(encoding="utf-8"), re.MULTILINE)


def test_forty_topics_each_with_a_query():
    assert topic_rows() == [str(number) for number in range(1, 41)]
    asked = {int(case["why"].split(" ", 1)[0].split("/", 1)[0]) for case in QUERIES}
    assert asked == set(range(1, 41))


@pytest.mark.parametrize("case", QUERIES, ids=[case["query"] for case in QUERIES])
def test_each_topic_finds_its_page_in_the_top_three(site_client, case):
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL's ts_rank: measured with the relevance set (tests/search/test_search.py)")
    response = site_client("main").get("/search/", {"q": case["query"]})
    assert response.status_code == 200
    links = result_links(response.content.decode())
    expected = [case["expected"], *case.get("also", [])]
    assert any(page in links[:3] for page in expected), f"{case['query']} → {links[:5]}"


ANSWERS = sorted({path for case in QUERIES for path in [case["expected"], *case.get("also", [])]})


@pytest.mark.parametrize("path", ANSWERS)
def test_every_answering_page_is_live(site_client, path):
    assert site_client("main").get(path).status_code == 200


ENGLISH = re.findall(r"^\| \d+ \| .*?`(/[^`]+/)`.* \| yes \|$", TOPICS.read_text(encoding="utf-8"), re.MULTILINE)
HAN = re.compile(r"[\u3400-\u9fff]")


@pytest.mark.parametrize("path", ENGLISH)
def test_topics_marked_english_have_an_english_page(site_client, path):
    """The answering page has a live English translation, titled and served in English."""
    from wagtail.models import Locale, Page

    from tests.helpers import site_of

    home = site_of("main").root_page
    chinese = Page.objects.get(url_path=f"{home.url_path}{path.lstrip('/')}", locale=home.locale)
    english = chinese.get_translation(Locale.objects.get(language_code="en"))
    assert english.live and not HAN.search(english.title), english.title
    response = site_client("main").get(english.relative_url(english.get_site()))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="en"' in html and escape(english.title) in html
