"""The visit counter on the real stack (gunicorn, 2 workers × 2 threads, PostgreSQL, Redis):
concurrent page views, from the page cache and rendered, with two ``flush_visits`` running at
the same time as the traffic and each other, are all counted, once; a worker stopped
gracefully pushes what it still held."""

import subprocess
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.faults.conftest import PYTHON, ROOT, manage

pytestmark = pytest.mark.faults

PAGES = ["/", "/gzdt/", "/gzdt/swyw/", "/nsfw/bszn/", "/hdjl/"]
BATCH = 200  # requests fired at a time, again and again while the flushers run
FLUSH_SECONDS = 6
FLUSHER = f"""
import time
from visits import services
services.flush()
print("flushing", flush=True)
flushes, end = 1, time.monotonic() + {FLUSH_SECONDS}
while time.monotonic() < end:
    services.flush()
    flushes += 1
    time.sleep(0.05)
print(flushes)
"""
THREADS = 16
VISITORS = 40
PUSH_SECONDS = 1


def main_site_today(db) -> tuple[int, int]:
    row = db.query(
        "SELECT v.views, v.visitors FROM visits_dailyvisits v JOIN wagtailcore_site s ON s.id = v.site_id "
        "WHERE s.is_default_site AND v.day = (now() AT TIME ZONE 'Asia/Shanghai')::date"
    )
    return row[0] if row else (0, 0)


def flush(env) -> str:
    return manage(env, "flush_visits").stdout.strip()


def fire(app, count: int) -> list[int]:
    """``count`` GETs of public pages from ``VISITORS`` addresses, ``THREADS`` at a time; the
    statuses of the HTML answers."""
    visitors = [app.visitor("main", forwarded_for=f"10.77.{n // 200}.{n % 200 + 1}") for n in range(VISITORS)]

    def one(number: int) -> int:
        return visitors[number % VISITORS].get(PAGES[number % len(PAGES)], timeout=30).status

    with ThreadPoolExecutor(THREADS) as pool:
        return list(pool.map(one, range(count)))


def test_concurrent_views_are_counted_exactly_once(gunicorn_app, production_env, postgres_db, report):
    env = {**production_env, "VISITS_PUSH_SECONDS": str(PUSH_SECONDS)}
    app = gunicorn_app("visits", env=env)
    for path in PAGES:  # every page exists (a 404 would not count)
        assert app.visitor().get(path).status == 200, path
    time.sleep(2 * PUSH_SECONDS + 1)
    flush(env)
    views_before, visitors_before = main_site_today(postgres_db)

    # Two flushers (processes of their own, as two machines' cron) flush every 50 ms while the
    # requests come in: the traffic starts once both have flushed once and lasts until they stop.
    flushers = [
        subprocess.Popen(
            [PYTHON, "manage.py", "shell", "-c", FLUSHER], cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True
        )
        for _ in range(2)
    ]
    try:
        for process in flushers:
            while (line := process.stdout.readline()) and line.strip() != "flushing":
                pass  # the shell's notes
            assert line, "a flusher failed to start"
        started = time.monotonic()
        statuses = []
        while any(process.poll() is None for process in flushers):
            statuses += fire(app, BATCH)
        seconds = time.monotonic() - started
        flushes = [int(process.stdout.read().split()[-1]) for process in flushers]
    finally:
        for process in flushers:
            if process.poll() is None:
                process.kill()
                process.wait()
    requests = len(statuses)
    assert statuses.count(200) == requests, {status: statuses.count(status) for status in set(statuses)}
    time.sleep(2 * PUSH_SECONDS + 1)  # every worker's pusher has run
    flush(env)
    views, visitors = main_site_today(postgres_db)
    report(
        f"visits: {requests} views from {VISITORS} addresses in {seconds:.1f} s on 2 workers, "
        f"{sum(flushes)} flushes by two processes meanwhile: {views - views_before} counted, "
        f"{visitors - visitors_before} new distinct visitors"
    )
    assert all(process.returncode == 0 for process in flushers)
    assert views - views_before == requests
    # Redis's HyperLogLog is exact to a visitor or two at this size (the first requests' visitor,
    # from a random address, may already be in today's count).
    assert abs((visitors - visitors_before) - VISITORS) <= 2

    # Stopped gracefully right after the requests (no pusher tick yet): each worker pushes at exit.
    statuses = fire(app, 100)
    app.stop()
    flush(env)
    after_stop, _ = main_site_today(postgres_db)
    report(f"visits: 100 views then a graceful stop at once: {after_stop - views} counted")
    assert statuses.count(200) == 100
    assert after_stop - views == 100
