"""scripts/bench_pages.py: reading wrk's output and marking targets (no server, no wrk)."""

import importlib.util
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "bench_pages.py"
spec = importlib.util.spec_from_file_location("bench_pages", SCRIPT)
bench_pages = importlib.util.module_from_spec(spec)
spec.loader.exec_module(bench_pages)

WRK_OUTPUT = """Running 10s test @ http://127.0.0.1:8765/
  2 threads and 16 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     7.10ms    3.20ms  61.00ms   85.00%
    Req/Sec     1.15k   120.00     1.40k    70.00%
  Latency Distribution
     50%  812.00us
     75%    8.50ms
     90%   11.20ms
     99%    1.02s
  22950 requests in 10.01s, 450.00MB read
  Socket errors: connect 0, read 2, write 0, timeout 1
  Non-2xx or 3xx responses: 4
Requests/sec:   2292.71
Transfer/sec:     44.95MB
"""


def test_parse_wrk_reads_rate_percentiles_and_errors():
    result = bench_pages.parse_wrk(WRK_OUTPUT)
    assert result == {
        "rps": 2292.71,
        "p50_ms": pytest.approx(0.812),
        "p99_ms": pytest.approx(1020.0),
        "requests": 22950,
        "non_2xx": 4,
        "socket_errors": 3,
    }


def test_parse_wrk_refuses_output_without_latency_distribution():
    with pytest.raises(ValueError, match="--latency"):
        bench_pages.parse_wrk(WRK_OUTPUT.replace("     50%  812.00us\n", ""))
    with pytest.raises(ValueError):
        bench_pages.parse_wrk("unable to connect to 127.0.0.1:8765 Connection refused")


@pytest.mark.parametrize(
    ("text", "ms"), [("812.00us", 0.812), ("9.80ms", 9.8), ("1.50s", 1500.0), ("2.00m", 120_000.0)]
)
def test_wrk_durations_in_milliseconds(text, ms):
    assert bench_pages.to_ms(text) == pytest.approx(ms)


def _run(home_ms, page_ms, peer_ms, redis_rps=2000.0, locmem_rps=2400.0):
    def wrk(rps, p50):
        return {"rps": rps, "p50_ms": p50, "p99_ms": p50 * 2}

    return {
        "pages": {
            "home": {"cached": wrk(redis_rps, 5), "cached_locmem": wrk(locmem_rps, 4), "uncached": wrk(40, home_ms)},
            "column": {"cached": wrk(redis_rps, 5), "cached_locmem": wrk(locmem_rps, 4), "uncached": wrk(30, page_ms)},
        },
        "peer": {"cached": wrk(20.0, 500), "uncached": wrk(19, peer_ms)},
    }


LISTED = [{"page": "home", "queries": 12, "bytes": 19350}, {"page": "column", "queries": 8, "bytes": 15413}]


def test_figures_are_medians_of_the_runs_and_ratios_per_run():
    # The second run was on a loaded machine: everything took twice as long, ratios held.
    runs = [_run(15.0, 20.0, 50.0), _run(30.0, 40.0, 100.0), _run(16.0, 21.0, 52.0)]
    rows = {row["page"]: row for row in bench_pages.summarise(LISTED, runs)}
    home = rows["home"]
    assert home["uncached_p50_ms"] == {"median": 16.0, "min": 15.0, "max": 30.0, "runs": 3}
    assert home["uncached_p50_to_peer"]["median"] == pytest.approx(0.3)
    assert rows["column"]["uncached_p50_to_home"]["median"] == pytest.approx(20 / 15)
    assert home["cached_rps_to_peer"]["median"] == pytest.approx(100.0)
    assert home["redis_to_locmem"]["median"] == pytest.approx(2000 / 2400)
    assert rows[bench_pages.PEER]["uncached_p50_ms"]["median"] == 52.0
    assert all(not row["missed"] for row in rows.values())
    table = bench_pages.format_table(list(rows.values()))
    assert "16.0 (15.0–30.0)" in table and bench_pages.PEER in table


def test_targets_are_ratios():
    # Home at 0.4 of the peer, the column at 2× home, Redis at 0.4 of local memory.
    rows = {row["page"]: row for row in bench_pages.summarise(LISTED, [_run(20.0, 40.0, 50.0, 800.0, 2000.0)])}
    assert rows["home"]["missed"] == ["uncached > 1/3 of the peer", "Redis < 0.5× local memory"]
    assert rows["column"]["missed"] == ["uncached > 1.5× home", "Redis < 0.5× local memory"]
    assert "MISSED: uncached > 1.5× home" in bench_pages.format_table(list(rows.values()))


def test_without_the_peer_there_are_no_ratios_to_it_and_no_peer_row():
    run = _run(15.0, 20.0, 50.0)
    run["peer"] = None
    rows = bench_pages.summarise(LISTED, [run])
    assert [row["page"] for row in rows] == ["home", "column"]
    assert rows[0]["uncached_p50_to_peer"] is None and rows[0]["missed"] == []
    assert "–" in bench_pages.format_table(rows)


def test_uncached_pages_are_measured_in_turns_and_their_slices_combined(monkeypatch):
    calls = []

    def fake_wrk(port, host, path, connections, seconds):
        calls.append((path, seconds))
        # the machine's load peaks during the second turn: every page is slower in it
        slow = 3.0 if len(calls) in (3, 4) else 1.0
        p50 = (4.0 if path == "/" else 5.0) * slow
        return {"rps": 1000 / p50, "p50_ms": p50, "p99_ms": 2 * p50, "requests": 200, "non_2xx": 0, "socket_errors": 0}

    monkeypatch.setattr(bench_pages, "wrk", fake_wrk)
    pages = [{"page": "home", "host": "localhost", "path": "/"}, {"page": "column", "host": "localhost", "path": "/c/"}]
    found = bench_pages.interleaved(8765, pages, 1, 6, 3)
    assert calls == [("/", 2), ("/c/", 2)] * 3  # page after page in each turn
    assert found["home"]["p50_ms"] == 4.0 and found["column"]["p50_ms"] == 5.0  # the peak's turn is out-voted
    assert found["home"]["p99_ms"] == 24.0 and found["home"]["requests"] == 600 and found["home"]["slices"] == 3


def test_two_cluster_reports_are_printed_side_by_side():
    """BENCH_SITES: the demo's figures and the province's, per page (cached and uncached p50/p99)."""

    def report(pages, sites, home_ms, queries):
        run = _run(home_ms, home_ms, 50.0)
        run["peer"] = None
        listed = [{**row, "queries": queries} for row in LISTED]
        return {"page_count": pages, "site_count": sites, "summary": bench_pages.summarise(listed, [run])}

    table = bench_pages.compare_table(report(1_200, 4, 7.5, 1), report(201_000, 137, 8.0, 1))
    lines = table.splitlines()
    assert "1200 pages, 4 sites" in lines[0] and "201000 pages, 137 sites" in lines[0]
    home = next(line for line in lines if line.startswith("home "))
    assert home.split() == ["home", "5.0", "10.0", "7.5", "15.0", "1", "5.0", "10.0", "8.0", "16.0", "1"]
