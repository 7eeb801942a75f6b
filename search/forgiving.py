"""Forgiving input: what a citizen types, turned into what the index holds.

Applied to every query before it is segmented (:func:`normalise_query`, silently):

- full-width letters, digits and spaces to half-width (``ＣＡ证书`` → ``ca证书``, NFKC);
- traditional characters to simplified ones (``發票遺失`` → ``发票遗失``), with OpenCC's
  ``t2s`` tables (the ``opencc`` package).

Offered as a correction (:func:`correct`), which the results page searches and names
("您是不是要找") when it finds more than what was typed (``search/engine.py``):

- pinyin typed without switching the input method (``fapiao`` → 发票, ``geshui huisuan`` →
  个税汇算): a run of Latin letters that splits wholly into the pinyin of the portal's
  vocabulary (the tax terms of ``data/dictionary.txt`` and the shipped synonyms), longest
  words first; English words that are not such pinyin (``app``, ``ca``) stay as they are;
- homophones typed with a pinyin input method (``增殖税`` → 增值税, ``社宝`` → 社保): a part
  of the query that is not a word jieba knows and sounds (toneless pinyin) exactly like a
  vocabulary term of the same length;
- the common misspellings listed in ``data/typos.txt`` (``所的税`` → 所得税), which sound
  different or are words of their own.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from .text import _lines, tokenizer

LATIN_RUN = re.compile(r"[a-z]+(?: [a-z]+)*")
HAN = re.compile(r"[\u4e00-\u9fff]")
MAX_TERM = 8  # longest vocabulary term compared by sound
KNOWN_WORD = 50  # jieba's frequency of the rarest word kept as typed (增殖税: 3, 正气: 319)


@lru_cache(maxsize=1)
def _t2s():
    import opencc

    return opencc.OpenCC("t2s")


def normalise_query(text: str) -> str:
    """Half-width, simplified, lower case (what every query is searched as)."""
    text = unicodedata.normalize("NFKC", text or "")
    if HAN.search(text):
        text = _t2s().convert(text)
    return " ".join(text.lower().split())


def _pinyin(text: str) -> str:
    from pypinyin import Style, lazy_pinyin

    return "".join(lazy_pinyin(text, style=Style.NORMAL, errors="ignore"))


@lru_cache(maxsize=1)
def vocabulary() -> tuple[str, ...]:
    """The portal's own terms: the user dictionary's words and the shipped synonyms."""
    terms = {line.split()[0] for line in _lines("dictionary.txt")}
    for line in _lines("synonyms.txt"):
        terms.update(term.strip() for term in line.split(","))
    for line in _lines("common_words.txt"):
        terms.update(line.split())
    return tuple(sorted(t for t in terms if t and all(HAN.match(c) for c in t)))


@lru_cache(maxsize=1)
def by_sound() -> dict[str, str]:
    """Toneless pinyin → the vocabulary term (the most frequent one when several sound alike)."""
    freq = tokenizer().FREQ
    out: dict[str, str] = {}
    for term in sorted(vocabulary(), key=lambda t: (-freq.get(t, 0), t)):
        out.setdefault(_pinyin(term), term)
    return out


@lru_cache(maxsize=1)
def typos() -> dict[str, str]:
    return dict(line.split(",", 1) for line in _lines("typos.txt"))


def _from_pinyin(letters: str) -> str | None:
    """``fapiao`` → 发票, ``geshuihuisuan`` → 个税汇算; None unless every letter is used."""
    sounds = by_sound()
    longest = max(map(len, sounds))
    best: dict[int, list[str]] = {0: []}
    for start in range(len(letters)):  # fewest words wins: longest terms first
        if start not in best:
            continue
        for end in range(min(len(letters), start + longest), start, -1):
            term = sounds.get(letters[start:end])
            if term and (end not in best or len(best[end]) > len(best[start]) + 1):
                best[end] = [*best[start], term]
    found = best.get(len(letters))
    if not found or all(len(term) == 1 for term in found):  # "made" is no 吗的
        return None
    return "".join(found)


def _known_word(text: str) -> bool:
    """A word of its own (jieba's frequency ≥ KNOWN_WORD): 增殖 or 正气 is left alone, 增殖税 is not."""
    return tokenizer().FREQ.get(text, 0) >= KNOWN_WORD


def _homophones(text: str) -> str:
    """Replace the parts of ``text`` that are no word but sound like a vocabulary term."""
    sounds = by_sound()
    vocab = set(vocabulary())
    out, i = [], 0
    while i < len(text):
        for size in range(min(MAX_TERM, len(text) - i), 1, -1):
            part = text[i : i + size]
            if not all(HAN.match(c) for c in part):
                continue
            fixed = typos().get(part)
            if fixed is None and part not in vocab and not _known_word(part):
                candidate = sounds.get(_pinyin(part))
                fixed = candidate if candidate and len(candidate) == size else None
            if fixed is not None:
                out.append(fixed)
                i += size
                break
            if part in vocab:  # a whole term: keep it, do not look inside
                out.append(part)
                i += size
                break
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


def correct(query: str) -> str:
    """The query with pinyin, homophones and known misspellings of tax terms corrected
    (already normalised); the same text when there is nothing to correct."""
    text = normalise_query(query)

    def latin(match: re.Match) -> str:
        run = match.group(0)
        hanzi = _from_pinyin(run.replace(" ", ""))
        return hanzi if hanzi else run

    text = LATIN_RUN.sub(latin, text)
    return _homophones(text)
