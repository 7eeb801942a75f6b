"""索引号 under concurrent publishes, on PostgreSQL: two processes publish articles in two
disclosure columns of the main site at the same moment; every article gets its own number
and the serials run on without a gap or a repeat."""

import subprocess
import time

import pytest

from tests.faults.conftest import PYTHON, ROOT

pytestmark = pytest.mark.faults

PER_PROCESS = 15
SCRIPT = """
from wagtail.models import Site
from home.models import ArticlePage, ColumnPage
root = Site.objects.get(is_default_site=True).root_page
column = ColumnPage.objects.descendant_of(root).get(slug="{column}")
for n in range({count}):
    page = ArticlePage(title="并发发布测试{column}{{}}".format(n), slug="concurrent-{column}-{{}}".format(n))
    column.add_child(instance=page)
    page.save_revision().publish()
"""


def test_concurrent_publishes_never_share_an_index_number(production_env, postgres_db, report):
    before = postgres_db.value(
        "SELECT count(*) FROM disclosure_catalogueentry e JOIN wagtailcore_site s ON s.id = e.site_id "
        "WHERE s.is_default_site"
    )
    started = time.monotonic()
    workers = [
        subprocess.Popen(
            [PYTHON, "manage.py", "shell", "-c", SCRIPT.format(column=column, count=PER_PROCESS)],
            cwd=ROOT,
            env=production_env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for column in ("jgzn", "rsxx")
    ]
    for worker in workers:
        _, errors = worker.communicate(timeout=300)
        assert worker.returncode == 0, errors[-3000:]
    rows = postgres_db.query(
        "SELECT e.index_number FROM disclosure_catalogueentry e JOIN wagtailcore_page p ON p.id = e.page_id "
        "WHERE p.slug LIKE 'concurrent-%%'"
    )
    numbers = [number for (number,) in rows]
    serials = sorted(int(number.rsplit("-", 1)[1]) for number in numbers)
    report(
        f"索引号: {len(numbers)} articles published by two processes at once in {time.monotonic() - started:.1f} s, "
        f"{len(set(numbers))} distinct numbers, serials {serials[0]}–{serials[-1]}; {before} entries before"
    )
    assert len(numbers) == 2 * PER_PROCESS
    assert len(set(numbers)) == len(numbers)
    assert serials == list(range(serials[0], serials[0] + 2 * PER_PROCESS))
