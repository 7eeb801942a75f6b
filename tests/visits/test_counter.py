"""The visit counter (visits/): what counts as a page view, cached pages included; distinct
visitors; the flush into DailyVisits (idempotent, nothing lost or doubled); no address kept."""

import datetime

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from tests.helpers import HOSTS, site_of
from visits import counter, queries, services
from visits.models import DailyVisits

pytestmark = pytest.mark.django_db

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Safari/537.36"


@pytest.fixture(autouse=True)
def fresh_counter():
    """Earlier tests' views may wait in this process's tally; a day's salt lives in the cache."""
    counter.tally.take()
    counter.salts.forget()
    yield
    counter.tally.take()
    counter.salts.forget()


def visitor(key="main", address="198.51.100.7", agent=BROWSER) -> Client:
    return Client(HTTP_HOST=f"{HOSTS[key]}:8000", REMOTE_ADDR=address, HTTP_USER_AGENT=agent)


def today_of(key="main") -> DailyVisits | None:
    return DailyVisits.objects.filter(site=site_of(key), day=timezone.localdate()).first()


def flushed(key="main") -> tuple[int, int]:
    services.flush()
    row = today_of(key)
    return (row.views, row.visitors) if row else (0, 0)


def test_a_page_view_is_counted_per_site(settings):
    assert visitor().get("/").status_code == 200
    assert visitor("jia").get("/").status_code == 200
    assert visitor("jia").get("/").status_code == 200
    assert flushed("main") == (1, 1)
    assert flushed("jia") == (2, 1)
    assert flushed("yi") == (0, 0)


def test_pages_from_the_page_cache_count_too(settings):
    settings.PAGE_CACHE_SECONDS = 300
    first, second = visitor().get("/"), visitor().get("/")
    assert (first["X-Page-Cache"], second["X-Page-Cache"]) == ("miss", "hit")
    # A browser revalidating the page it has (304 from the cache) viewed it again.
    again = visitor().get("/", HTTP_IF_NONE_MATCH=second["ETag"], HTTP_ACCEPT="text/html,*/*")
    assert again.status_code == 304
    assert flushed() == (3, 1)


@pytest.mark.parametrize(
    "what",
    ["head", "admin", "static", "bot", "spider", "crawler", "not found", "prefetch", "feed", "post"],
)
def test_what_is_not_a_page_view(what, settings):
    settings.PAGE_CACHE_SECONDS = 300
    client = visitor()
    if what == "head":
        assert client.head("/").status_code == 200
    elif what == "admin":
        assert client.get("/admin/login/").status_code == 200
    elif what == "static":
        assert client.get("/static/portal/css/portal.css").status_code in (200, 404)
    elif what in ("bot", "spider", "crawler"):
        agent = {
            "bot": "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
            "spider": "Mozilla/5.0 (compatible; Baiduspider/2.0; +http://www.baidu.com/search/spider.html)",
            "crawler": "SomeCrawler/1.0",
        }[what]
        for _ in range(2):  # rendered, then from the page cache
            assert visitor(agent=agent).get("/").status_code == 200
    elif what == "not found":
        assert client.get("/no-such-page/").status_code == 404
    elif what == "prefetch":
        assert client.get("/", HTTP_SEC_PURPOSE="prefetch").status_code == 200
    elif what == "feed":
        assert client.get("/sitemap.xml").status_code == 200
    elif what == "post":
        assert client.post("/", {}).status_code in (200, 403, 405)
    assert flushed() == (0, 0)


def test_counting_off(settings):
    settings.VISITS_ENABLED = False
    visitor().get("/")
    assert flushed() == (0, 0)


def test_one_visitor_viewing_many_pages_is_one_visitor():
    client = visitor()
    for path in ["/", "/gzdt/", "/", "/nsfw/bszn/", "/"]:
        assert client.get(path).status_code == 200
    assert flushed() == (5, 1)


def test_distinct_visitors_are_estimated_closely():
    """1,000 visitors (another address or browser each), pushed straight through the counter's
    hashing and sketch: the estimate within 3 %."""
    site = site_of("main")
    day = timezone.localdate()
    salt = counter.salts.for_day(day)
    for n in range(1000):
        address = f"203.0.{n // 250}.{n % 250}"
        agent = BROWSER if n % 2 else "Mozilla/5.0 (iPhone) Mobile Safari/604.1"
        counter.tally.add(site.pk, day, counter.visitor_digest(salt, address, agent))
        counter.tally.add(site.pk, day, counter.visitor_digest(salt, address, agent))  # came back
    assert counter.push()
    views, visitors = flushed()
    assert views == 2000
    assert abs(visitors - 1000) <= 30, visitors


def test_flushing_twice_counts_once_and_views_arriving_later_are_kept():
    visitor().get("/")
    visitor().get("/")
    assert flushed() == (2, 1)
    assert flushed() == (2, 1)  # nothing new: nothing added
    visitor(address="198.51.100.8").get("/")
    assert flushed() == (3, 2)
    assert DailyVisits.objects.filter(site=site_of("main"), day=timezone.localdate()).count() == 1


def test_views_pushed_during_a_flush_are_left_for_the_next_one(monkeypatch):
    """A worker pushes between the flush reading the counter and taking it: the flush takes
    only what it read, the rest waits in the cache."""
    for _ in range(3):
        visitor().get("/")
    store = counter.store()
    original = type(store).take_views

    def take_views_with_a_push_in_between(self, keys):
        taken = original(self, keys)
        site, day = site_of("main").pk, timezone.localdate()
        counter.tally.add(site, day, counter.visitor_digest(b"x" * 16, "a", "b"))
        counter.push()
        return taken

    monkeypatch.setattr(type(store), "take_views", take_views_with_a_push_in_between)
    services.flush()
    monkeypatch.undo()
    assert today_of().views == 3
    assert flushed()[0] == 4


def test_a_failed_database_write_puts_the_views_back(monkeypatch):
    for _ in range(2):
        visitor().get("/")

    def refuse(*args):
        raise RuntimeError("database gone")

    monkeypatch.setattr(services, "_add", refuse)
    with pytest.raises(RuntimeError):
        services.flush()
    monkeypatch.undo()
    assert today_of() is None
    assert flushed() == (2, 1)


def test_a_second_flusher_waits_for_the_first(monkeypatch):
    visitor().get("/")
    assert cache.add(services.LOCK_KEY, "someone else", 60)
    assert services.flush(wait=0.2).skipped
    assert today_of() is None
    cache.delete(services.LOCK_KEY)
    assert flushed() == (1, 1)


def test_views_wait_in_the_process_while_the_cache_is_down(monkeypatch):
    from portal.cache import CacheUnavailable

    def down(self, views, digests):
        raise CacheUnavailable("test")

    monkeypatch.setattr(counter.CacheStore, "push", down)
    monkeypatch.setattr(counter.RedisStore, "push", down)
    visitor().get("/")
    visitor().get("/gzdt/")
    monkeypatch.undo()
    assert flushed() == (2, 1)  # pushed by the flush, in this process


def test_no_address_or_browser_is_kept():
    address, agent = "192.0.2.201", "Mozilla/5.0 UniqueAgentString/9.9"
    visitor(address=address, agent=agent).get("/")
    visitor(address=address, agent=agent).get("/gzdt/")
    services.flush()
    secrets = (address.encode(), b"UniqueAgentString")
    for row in DailyVisits.objects.values():
        assert not any(secret in str(row).encode() for secret in secrets)
    local = getattr(cache, "_cache", None)
    if isinstance(local, dict):  # local memory: every key and (pickled) value the counter left
        kept = [key.encode() + value for key, value in local.items() if ":visits:" in key]
    else:  # Redis
        client = counter.store().client
        kept = [key + (client.dump(key) or b"") for key in client.scan_iter(match="*visits:*")]
    assert len(kept) >= 3  # views, sketch, salt
    assert not any(secret in text for secret in secrets for text in kept)


def test_the_queries_add_up_days_and_months():
    site, other = site_of("jia"), site_of("yi")
    DailyVisits.objects.filter(site__in=[site, other]).delete()
    DailyVisits.objects.bulk_create(
        [
            DailyVisits(site=site, day=datetime.date(2025, 1, 31), views=10, visitors=4),
            DailyVisits(site=site, day=datetime.date(2025, 2, 1), views=20, visitors=5),
            DailyVisits(site=site, day=datetime.date(2025, 12, 31), views=5, visitors=1),
            DailyVisits(site=site, day=datetime.date(2026, 1, 1), views=100, visitors=50),
        ]
    )
    year = (datetime.date(2025, 1, 1), datetime.date(2025, 12, 31))
    assert queries.totals(site, *year) == (35, 10)
    assert queries.totals(site.pk, *year).views == 35
    assert queries.by_site([site, other], *year) == {site.pk: (35, 10), other.pk: (0, 0)}
    months = queries.monthly(site, *year)
    assert len(months) == 12 and months[0] == (datetime.date(2025, 1, 1), 10, 4) and months[5].views == 0
    days = queries.daily(site, datetime.date(2025, 1, 30), datetime.date(2025, 2, 2))
    assert [day.views for day in days] == [0, 10, 20, 0]
