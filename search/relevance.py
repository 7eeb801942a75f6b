"""The relevance set: citizen queries and the pages that answer them, and how well search ranks them.

Every ``tests/data/search_queries*.json`` file is a list of cases::

    {"query": "发票丢了怎么办", "expected": "/nsfw/bszn/fp-ysbg/", "also": [...], "why": "..."}

``expected`` (and any page in ``also``) is a path on the main site that answers the query;
a case with ``"lang": "en"`` is searched on the English edition (``/en/search/``), its paths
start with ``/en/``. The measures are those of the README: the share of queries whose page
is first (top-1), in the first three (top-3), and the mean reciprocal rank of the first
answering page on the first results page (MRR; 0 when it is not on it).

Used by ``tests/search/test_relevance.py`` and ``manage.py search_relevance`` (demo/).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

SEARCH_PATHS = {"zh-hans": "/search/", "en": "/en/search/"}
LINK = re.compile(r'<(?:li|section) class="search-(?:result|answer)[^"]*"[^>]*>\s*<h[23][^>]*><a href="([^"]+)"')


def load_cases(directory: Path) -> list[dict]:
    """The cases of every ``search_queries*.json`` in ``directory``, file by file, in order."""
    cases = []
    for path in sorted(directory.glob("search_queries*.json")):
        for case in json.loads(path.read_text(encoding="utf-8")):
            cases.append({**case, "file": path.name})
    return cases


def result_links(html: str) -> list[str]:
    """The links of a results page in order: the answer card, best bets, then the ranked results."""
    main = html.split("<main", 1)[1]
    return LINK.findall(main)


def rank(case: dict, links: list[str]) -> int | None:
    """1-based position of the first link that answers the case, or None."""
    answers = {case["expected"], *case.get("also", [])}
    seen = []
    for link in links:
        if link not in seen:
            seen.append(link)
    return next((position for position, link in enumerate(seen, 1) if link in answers), None)


@dataclass
class Measure:
    total: int
    top1: int
    top3: int
    mrr: float
    misses: list[tuple[dict, list[str]]]

    def line(self) -> str:
        return (
            f"{self.total} queries: top-1 {self.top1 / self.total:.1%} ({self.top1}), "
            f"top-3 {self.top3 / self.total:.1%} ({self.top3}), MRR {self.mrr:.3f}"
        )


def measure(client, cases: list[dict], **params) -> Measure:
    """Run every case through the results page with ``client`` (a Django test client on the
    main site); ``params`` are added to each request (``scope="all"``)."""
    ranks, misses = [], []
    for case in cases:
        response = client.get(SEARCH_PATHS[case.get("lang", "zh-hans")], {"q": case["query"], **params})
        links = result_links(response.content.decode()) if response.status_code == 200 else []
        position = rank(case, links)
        ranks.append(position)
        if position is None or position > 3:
            misses.append((case, links[:5]))
    return Measure(
        total=len(cases),
        top1=sum(1 for r in ranks if r == 1),
        top3=sum(1 for r in ranks if r is not None and r <= 3),
        mrr=sum(1 / r for r in ranks if r) / max(1, len(cases)),
        misses=misses,
    )
