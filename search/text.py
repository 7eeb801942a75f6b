"""Chinese word segmentation, shared by indexing and querying.

Wagtail's database backends (SQLite FTS5, PostgreSQL) and Elasticsearch's standard analyzer
split text on spaces and punctuation only, so a run of Chinese characters such as ``领用发票``
is one token and ``发票`` never matches it. Every indexed text therefore passes through
:func:`segment` (jieba in search mode: ``领用发票`` → ``领用 发票 领用发票``) and every query
through :func:`query_terms`, so all backends see words.

The user dictionary (``search/data/dictionary.txt``) keeps tax terms whole; stop words
(``search/data/stopwords.txt``) are dropped from queries only, and so are single Chinese
characters when the query has a longer word (:func:`query_terms`). Changing the dictionary
changes how pages are indexed: run ``manage.py update_index`` afterwards.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from functools import lru_cache
from pathlib import Path

import jieba

DATA = Path(__file__).resolve().parent / "data"
WORD = re.compile(r"\w", re.UNICODE)
MAX_QUERY_TERMS = 12

jieba.setLogLevel(logging.WARNING)


def _lines(name: str) -> list[str]:
    text = (DATA / name).read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]


@lru_cache(maxsize=1)
def tokenizer() -> jieba.Tokenizer:
    """jieba with the portal's dictionary (loaded once per process, about a second)."""
    instance = jieba.Tokenizer()
    instance.load_userdict(str(DATA / "dictionary.txt"))
    for line in _lines("synonyms.txt"):  # the shipped synonyms are words too
        for term in line.split(","):
            term = normalise(term)
            if len(term) > 1 and not term.isascii():
                instance.add_word(term, freq=5000)
    return instance


@lru_cache(maxsize=1)
def stop_words() -> frozenset[str]:
    return frozenset(normalise(word) for word in _lines("stopwords.txt"))


def normalise(text: str) -> str:
    """Full-width letters and digits to half-width (ＣＡ证书 → CA证书), lower case."""
    return unicodedata.normalize("NFKC", text or "").lower().strip()


def _words(tokens) -> list[str]:
    return [token for token in (t.strip() for t in tokens) if token and WORD.search(token)]


# Segmenting is the costliest step of ranking (a results page re-reads a few hundred titles,
# the same ones query after query), and the dictionary is fixed for the life of a process:
# short texts' words are kept, up to this many texts per function (a few MB).
SEGMENT_CACHE_SIZE = 50_000
_SHORT = 200  # characters: titles, queries and synonyms; page bodies are not kept


def _search_mode(text: str) -> str:
    return " ".join(_words(tokenizer().cut_for_search(normalise(text))))


def _precise_mode(text: str) -> tuple[str, ...]:
    return tuple(_words(tokenizer().cut(normalise(text))))


_search_mode_kept = lru_cache(maxsize=SEGMENT_CACHE_SIZE)(_search_mode)
_precise_mode_kept = lru_cache(maxsize=SEGMENT_CACHE_SIZE)(_precise_mode)


def segment(text: str) -> str:
    """Text as space-separated words for the search index (search mode: long words and
    the shorter words inside them)."""
    if not text:
        return ""
    return (_search_mode_kept if len(text) <= _SHORT else _search_mode)(text)


def words(text: str) -> list[str]:
    """Precise-mode words of ``text`` (``怎么开发票`` → ``怎么``, ``开发票``)."""
    return list((_precise_mode_kept if len(text) <= _SHORT else _precise_mode)(text))


def meaningful(term: str) -> bool:
    """A word that can carry a query: two characters or more (发票, 不动产), or a letter or
    number token (12366, a107012). A single Chinese character (交, 税, 不) is too common to."""
    return len(term) > 1 or term.isascii()


def query_terms(query: str) -> list[str]:
    """The words of a query to search for, in order, without stop words or repeats.

    Single Chinese characters match nearly every page, so they count only when the query
    has nothing else: ``公司换了银行账户`` searches 公司, 银行, 账户, and a query such as
    ``不的了是`` (only stop words and common single characters, see ``stopwords.txt``) has
    no terms at all and finds nothing; ``税`` alone is still searched."""
    seen: list[str] = []
    stops = stop_words()
    for word in words(query):
        if word not in stops and word not in seen:
            seen.append(word)
    return ([term for term in seen if meaningful(term)] or seen)[:MAX_QUERY_TERMS]
