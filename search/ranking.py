"""How results are ordered: the backend's full-text score, then what a page is about.

The full-text score (FTS5's bm25 on SQLite, ``ts_rank`` on PostgreSQL, BM25 on
Elasticsearch) already weighs the fields: the title far above the rest (``TITLE_WEIGHT`` in
each backend, see ``search/backends.py`` and ``search/es.py``), the summary and the editor's
keywords above the body (their ``boost`` in the models' ``search_fields``: PostgreSQL's
tsvector weights, Elasticsearch's field boosts; SQLite's index has a title and a body column
only, so there they count as body). That score, scaled so the best hit is 1, is then raised by
what the full text cannot see (:func:`rerank`):

- ``TITLE_TERMS``: the share of the query's words (or their synonyms) in the hit's title (a
  FAQ entry's question). A query naming one tax and one action ranks the guide titled with
  both above another tax's guide for the same action.
- ``PHRASE``: the whole query (its words, in order, without stop words) is in the title.
- ``SERVICE``: a question or a how-to (怎么, 如何, 在哪, 吗 … in what was typed) ranks the
  service guides and FAQ entries up; a bare name (``数电发票公告``) does not.
- ``FRESHNESS``: news (新闻动态) published in the last months count a little more, fading
  with a half-life of ``FRESHNESS_DAYS``; policies and guides do not age this way.

Each weight was chosen on the relevance set (``tests/data/search_queries*.json``, 200+
queries, ``manage.py search_relevance``) by trying a small grid on SQLite and PostgreSQL and
keeping the value past which top-3 and MRR stopped improving; the figures are in
``search/RANKING.md``.
"""

from __future__ import annotations

import math
import re
from datetime import datetime
from functools import lru_cache

from django.utils import timezone

from .text import SEGMENT_CACHE_SIZE, normalise, segment, stop_words, words

WORD_CHAR = re.compile(r"\w")

TITLE_WEIGHT = 3.0  # the title against the body in the full-text score (backends.py, index.py: all three backends)
TITLE_TERMS = 0.6
PART_CREDIT = 0.8  # a long query word found in the title only as its parts
PHRASE = 0.4
SERVICE = 0.25
DOCUMENT = 0.25  # the kind of document the query names (公告, 解读)
FRESHNESS = 0.15
FRESHNESS_DAYS = 120
RECORDS_SCALED = False  # whether non-page hits (FAQ entries) get their type's weight on these boosts too
SERVICE_TYPES = ("guide", "faq")
# What a question or a how-to says besides its subject (looked for in the typed query) ...
SERVICE_CUES = (
    "怎么",
    "怎样",
    "如何",
    "咋",
    "在哪",
    "哪里",
    "哪儿",
    "流程",
    "材料",
    "手续",
    "办理",
    "能不能",
    "可以",
    "能否",
    "需要",
    "要不要",
    "多久",
    "什么时候",
    "吗",
    "？",
    "?",
    "how ",
    "where ",
    "can i",
)
# ... or the name of a service: an action done at the tax office (个税汇算, 社保退费, 车船税缴纳) ...
SERVICE_ACTIONS = [
    "申报",
    "缴纳",
    "缴费",
    "退费",
    "退税",
    "汇算",
    "开具",
    "代开",
    "登记",
    "注销",
    "变更",
    "核定",
    "报告",
    "证明",
    "扣除",
    "减免",
    "减征",
    "优惠",
    "申请",
    "领",
]
# ... unless it names a document (数电发票公告, 简并申报解读): then the document is what is asked for.
DOCUMENT_WORDS = [
    "公告",
    "通知",
    "通告",
    "解读",
    "图解",
    "政策",
    "措施",
    "新闻",
    "会议",
    "访谈",
    "announcement",
    "notice",
    "policy",
]


# A query naming a kind of document asks for that kind: 数电发票公告 → the policy document, not
# its interpretation; 简并申报解读 → the interpretation.
DOCUMENT_TYPES = {
    "公告": ("policy", "article"),
    "通知": ("policy", "article"),
    "通告": ("policy", "article"),
    "政策": ("policy", "interpretation"),
    "解读": ("interpretation",),
    "图解": ("interpretation",),
}


def document_types(query: str) -> set[str]:
    text = normalise(query)
    return {key for word, keys in DOCUMENT_TYPES.items() if word in text for key in keys}


def service_like(query: str) -> bool:
    text = f"{normalise(query)} "
    if any(word in text for word in DOCUMENT_WORDS):
        return False
    return any(cue in text for cue in SERVICE_CUES) or any(action in text for action in SERVICE_ACTIONS)


def core(query: str) -> str:
    """The query's words in order without stop words, joined: ``怎么开发票`` → ``开发票``."""
    stops = stop_words()
    return "".join(word for word in words(query) if word not in stops)


def _bare(text: str) -> str:
    """Lower case, without spaces and punctuation: ``新办纳税人“套餐式”服务`` → ``新办纳税人套餐式服务``."""
    return "".join(WORD_CHAR.findall(normalise(text)))


@lru_cache(maxsize=SEGMENT_CACHE_SIZE)
def _tokens(title: str) -> frozenset[str]:
    return frozenset(segment(title).split())


def title_share(title: str, terms: list[str], synonyms: dict[str, list[str]]) -> float:
    """The share of the query's words found among the title's words (jieba's search mode, so
    发票 is found in 代开增值税发票); a synonym of several words needs all of them."""
    if not terms:
        return 0.0
    tokens = _tokens(title)

    def found(alternative: str) -> bool:
        pieces = words(alternative) or [alternative]
        return all(piece in tokens for piece in pieces)

    def credit(term: str) -> float:
        if any(found(alt) for alt in [term, *synonyms.get(term, [])]):
            return 1.0
        # a long term (研发费用加计扣除) whose words the title has apart (研发费用税前加计扣除)
        parts = [part for part in segment(term).split() if part != term and len(part) > 1]
        return PART_CREDIT * sum(part in tokens for part in parts) / len(parts) if parts else 0.0

    return sum(credit(term) for term in terms) / len(terms)


ANSWER_SHARE = 1.0  # an answer card needs every word of the query in the title (or the whole phrase)


def answers(title: str, query: str, terms: list[str], synonyms) -> bool:
    """Whether a guide's or FAQ entry's title says what the query asks: the whole query, or
    each of its words as typed (a synonym is not enough: 开发票 is not 开票限额)."""
    phrase = core(query)
    return (len(phrase) > 1 and phrase in _bare(title)) or title_share(title, terms, {}) >= ANSWER_SHARE


def freshness(date, now: datetime | None = None) -> float:
    """1 for today's news, ½ after FRESHNESS_DAYS, 0 without a date."""
    if not date:
        return 0.0
    now = now or timezone.now()
    if not isinstance(date, datetime):
        date = datetime.combine(date, datetime.min.time(), tzinfo=now.tzinfo)
    days = max(0.0, (now - date).total_seconds() / 86400)
    return math.pow(0.5, days / FRESHNESS_DAYS)


def rerank(hits, query: str, terms: list[str], synonyms, higher_is_better: bool) -> None:
    """Score every hit (``hit.score``: higher is better afterwards) and sort them in place.

    ``hit.title`` and, for news, ``hit.date`` must be set; the backend's score is scaled so
    the best one is 1 (SQLite's bm25 is negative: better matches lower)."""
    if not hits:
        return
    raw = [hit.score if higher_is_better else -hit.score for hit in hits]
    best = max(raw) or 1.0
    phrase = core(query)
    service = service_like(query)
    documents = document_types(query)
    for hit, value in zip(hits, raw, strict=True):
        boost = TITLE_TERMS * title_share(hit.title, terms, synonyms)
        if len(phrase) > 1 and phrase in _bare(hit.title):
            boost += PHRASE
        if service and hit.type.key in SERVICE_TYPES:
            boost += SERVICE
        if hit.type.key in documents:
            boost += DOCUMENT
        if hit.type.fresh:
            boost += FRESHNESS * freshness(hit.date)
        if RECORDS_SCALED and hit.record is not None:
            boost *= hit.type.weight
        hit.score = max(0.0, value) / best + boost
    hits.sort(key=lambda hit: -hit.score)
