"""Planner statistics after the demo's and the benchmarks' inserts."""

from django.db import connection


def refresh_statistics() -> bool:
    """ANALYZE on PostgreSQL (a no-op elsewhere), as autovacuum would after such inserts on a
    live database, and never does where it is off: without statistics PostgreSQL guesses a
    handful of rows where there are thousands and picks plans that make the home page's 本月征期
    query 60 times slower and the demo's search a loop over every page (400 ms, not 60).
    True when it ran."""
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return True
