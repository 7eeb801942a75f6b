"""热门搜索 that nobody can write into by searching, a search log without personal data, and
the per-address search limit (issue #26, item 6)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.cache import cache
from django.test import Client, override_settings
from django.utils import timezone
from wagtail.models import Locale

from correspondence.models import Letter
from inforequests.models import Application
from search.models import PopularSearch, SearchTermDay
from tests.helpers import HOSTS

pytestmark = pytest.mark.django_db

NOTHING = "量子纠缠火星"  # finds nothing: its page lists the popular searches
AD = "代开发票 13800138000"
CONTROL = "个税汇算"


def client(address: str, language: str = "") -> Client:
    return Client(HTTP_HOST=f"{HOSTS['main']}:8000", REMOTE_ADDR=address)


def popular_on_page(address: str = "192.0.2.250", prefix: str = "") -> str:
    """The 热门搜索 block of the page of a search that found nothing."""
    response = client(address).get(f"{prefix}/search/", {"q": NOTHING})
    assert response.status_code == 200
    html = response.content.decode()
    if 'class="tag-list"' not in html:
        return ""
    return html.split('id="search-suggestions-heading"', 1)[1].split("</ul>", 1)[0]


def on_days(days: int, monkeypatch, search) -> None:
    """Run ``search(day)`` once for each of the last ``days`` days, today last."""
    today = timezone.localdate()
    for back in range(days - 1, -1, -1):
        day = today - timedelta(days=back)
        monkeypatch.setattr(timezone, "localdate", lambda *args, _day=day, **kwargs: _day)
        search(day)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: today)


def everyone_searches(queries: list[str], addresses: int = 12):
    def search(day: date) -> None:
        for number in range(addresses):
            visitor = client(f"203.0.113.{number + 1}")
            for query in queries:
                assert visitor.get("/search/", {"q": query}).status_code == 200

    return search


def test_twelve_visitors_on_three_days_make_a_query_popular_but_never_an_advert_with_a_phone_number(
    monkeypatch,
):
    on_days(3, monkeypatch, everyone_searches([AD, CONTROL]))
    popular = popular_on_page()
    assert CONTROL in popular  # the control: the same crowd makes an ordinary query popular
    assert "13800138000" not in popular and "代开发票" not in popular
    # the log never held the number: the advert is counted under its masked form
    assert not SearchTermDay.objects.filter(query__contains="13800138000").exists()
    masked = SearchTermDay.objects.filter(query="代开发票 [号码]")
    assert sum(row.searches for row in masked) == 36 and {row.visitors for row in masked} == {12}


def test_one_address_searching_all_day_counts_as_one_visitor(monkeypatch):
    def search(day: date) -> None:
        for _ in range(12):
            assert client("198.51.100.7").get("/search/", {"q": CONTROL}).status_code == 200

    on_days(3, monkeypatch, search)
    assert CONTROL not in popular_on_page()
    assert [row.visitors for row in SearchTermDay.objects.filter(query=CONTROL)] == [1, 1, 1]


def test_a_query_searched_on_too_few_days_is_not_listed(monkeypatch):
    on_days(2, monkeypatch, everyone_searches([CONTROL]))
    assert CONTROL not in popular_on_page()


@pytest.mark.parametrize("person", ["letter writer", "applicant"])
def test_a_letter_writers_or_applicants_name_never_reaches_the_public_list(monkeypatch, person):
    if person == "applicant":  # 依申请公开: people's names, not organisations'
        name = Application.objects.filter(applicant_type="person").order_by("pk").first().name
        assert not Letter.objects.filter(name=name).exists()
    else:
        name = Letter.objects.order_by("pk").first().name
    query = f"{name} 来信"
    on_days(3, monkeypatch, everyone_searches([query, CONTROL]))
    assert not SearchTermDay.objects.filter(query__contains=name).exists()  # logged as [姓名] 来信
    assert SearchTermDay.objects.filter(query="[姓名] 来信").exists()
    # rows logged before names were masked are still kept off the list
    today = timezone.localdate()
    for back in range(3):
        SearchTermDay.objects.create(query=name, date=today - timedelta(days=back), searches=20, visitors=15)
    popular = popular_on_page()
    assert CONTROL in popular and name not in popular and "[姓名]" not in popular


@pytest.mark.parametrize(
    "query",
    ["发票 zhang.san@example.com", "身份证 11010519491231002X", "退税 0571-8888 8888", "代开发票加微信fp888"],
)
def test_queries_with_personal_data_or_contact_details_are_not_listed(query, monkeypatch):
    today = timezone.localdate()
    for back in range(5):
        SearchTermDay.objects.create(query=query.lower(), date=today - timedelta(days=back), searches=30, visitors=20)
        SearchTermDay.objects.create(query=CONTROL, date=today - timedelta(days=back), searches=30, visitors=20)
    popular = popular_on_page()
    assert CONTROL in popular and query.lower() not in popular


def test_an_editors_term_is_listed_first_in_its_language():
    chinese = Locale.objects.get(language_code="zh-hans")
    english = Locale.objects.get(language_code="en")
    PopularSearch.objects.create(query="数电发票", sort_order=2, locale=chinese)
    PopularSearch.objects.create(query="小规模纳税人", sort_order=1, locale=chinese)
    PopularSearch.objects.create(query="e-invoices", sort_order=1, locale=english)
    popular = popular_on_page()
    assert popular.index("小规模纳税人") < popular.index("数电发票")
    assert "e-invoices" not in popular
    assert "q=%E5%B0%8F%E8%A7%84%E6%A8%A1%E7%BA%B3%E7%A8%8E%E4%BA%BA" in popular  # links a search for it
    english_popular = popular_on_page(prefix="/en")
    assert "e-invoices" in english_popular and "数电发票" not in english_popular


@override_settings(SEARCH_POPULAR_AUTOMATIC=False)
def test_the_automatic_list_can_be_turned_off(monkeypatch):
    PopularSearch.objects.create(query="数电发票", locale=Locale.objects.get(language_code="zh-hans"))
    on_days(3, monkeypatch, everyone_searches([CONTROL]))
    popular = popular_on_page()
    assert "数电发票" in popular and CONTROL not in popular


def test_the_log_and_the_cache_keep_no_address(monkeypatch):
    on_days(1, monkeypatch, everyone_searches([CONTROL], addresses=3))
    row = SearchTermDay.objects.get(query=CONTROL)
    assert (row.searches, row.visitors) == (3, 3)
    entries = cache_entries()
    # the search's own entries (the day's salt, the visitor digests) hold neither address nor
    # query; the only entries naming an address are the rate limit's counters, which hold no query
    assert [entry for entry in entries if "search:seen:" in entry or "search:visitor-salt:" in entry]
    assert all("203.0.113" not in entry for entry in entries if ":ratelimit:" not in entry)
    # (the editors' synonym list, kept in the cache too, names 个税 itself: not a visitor's query)
    assert all("个税" not in entry and CONTROL not in entry for entry in entries if "search:synonyms:" not in entry)


def cache_entries() -> list[str]:
    """Every key and value the cache holds, as text: local memory's dict, or Redis's keys (CI's
    PostgreSQL run) with their stored bytes read as UTF-8."""
    store = cache._cache
    if isinstance(store, dict):
        return [f"{key} {value}" for key, value in store.items()]
    client = store.get_client()
    return [f"{key.decode()} {(client.get(key) or b'').decode('utf-8', 'ignore')}" for key in client.keys("*")]


@override_settings(SEARCH_RATE_LIMIT=3)
def test_searching_over_the_limit_gets_a_clear_429_page():
    visitor = client("198.51.100.20")
    for _ in range(3):
        assert visitor.get("/search/", {"q": "发票"}).status_code == 200
    response = visitor.get("/search/", {"q": "发票"})
    assert response.status_code == 429
    html = response.content.decode()
    # the window slides in 10-minute steps (portal/ratelimit.py): the wait is when the oldest
    # search leaves it, between the 10-minute window and one step more
    wait = int(response["Retry-After"])
    assert 600 <= wait <= 700
    assert "<h1>搜索过于频繁</h1>" in html and f"请在 {-(-wait // 60)} 分钟后再试" in html and "12366" in html
    assert SearchTermDay.objects.get(query="发票").searches == 3  # the refused search is not counted
    assert client("198.51.100.21").get("/search/", {"q": "发票"}).status_code == 200  # another address
    assert visitor.get("/search/").status_code == 200  # the empty search form is not a search
    english = visitor.get("/en/search/", {"q": "invoice"})
    assert english.status_code == 429 and "Too many searches" in english.content.decode()


@override_settings(SEARCH_SUGGEST_RATE_LIMIT=2)
def test_suggestions_over_the_limit_are_refused_uncached():
    visitor = client("198.51.100.30")
    for _ in range(2):
        assert visitor.get("/search/suggest/", {"q": "发票"}).status_code == 200
    response = visitor.get("/search/suggest/", {"q": "发票"})
    assert response.status_code == 429 and response.json() == {"suggestions": []}
    assert "no-store" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
