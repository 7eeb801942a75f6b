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


def test_targets():
    fast = {"rps": 2500.0, "p50_ms": 5.0, "p99_ms": 30.0}
    assert bench_pages.misses({"page": "home", "cached": fast, "uncached": {**fast, "p50_ms": 39.0}}) == []
    row = {"page": "column", "cached": {**fast, "rps": 1900.0, "p99_ms": 50.0}, "uncached": {**fast, "p50_ms": 45.0}}
    assert bench_pages.misses(row) == ["cached < 2000 rps", "cached p99 ≥ 50 ms", "uncached p50 ≥ 40 ms"]
    # Only home, column and guide pages have an uncached target; without wrk nothing is marked.
    assert bench_pages.misses({"page": "article", "uncached": {**fast, "p50_ms": 90.0}}) == []
    assert bench_pages.misses({"page": "home"}) == []
    table = bench_pages.format_table([{**row, "queries": 16, "bytes": 17127}])
    assert "MISSED: cached < 2000 rps" in table and "1900" in table
    # The load run (four connections) is reported beside the one-connection latency.
    loaded = {**row, "uncached_load": {"rps": 97.0, "p50_ms": 41.5, "p99_ms": 90.0}, "queries": 8, "bytes": 1}
    line = bench_pages.format_table([loaded]).splitlines()[-1]
    assert "     97    41.5" in line and "45.0" in line
