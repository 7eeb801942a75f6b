"""Personal data in queries: what the search log masks, and what the public list refuses.

People type phone numbers, ID numbers, e-mail addresses and names into a search box (their
own, or an advertiser's: ``代开发票 13800138000``). Two rules, both here:

- :func:`redact` runs before a query is counted in ``SearchTermDay``: numbers that can name
  a person (seven digits or more, spaces and dashes between them allowed: phone numbers, ID
  and bank card numbers), 15–20 character codes with six digits or more (ID numbers ending in
  X, taxpayer numbers), e-mail addresses, and the names other apps know to be people's (the
  :data:`PERSONAL_NAMES` hook: correspondence gives its letter writers' names) are replaced by
  a mark (``[号码]``, ``[邮箱]``, ``[姓名]``), so the log holds no personal data, only the rest
  of the query and the counts. Six-digit form numbers (``A107012``) stay readable for the report.
- :func:`publishable` decides whether a logged query may be shown to the public as a popular
  search: nothing masked, no run of six digits or more, no e-mail, no web address and no
  contact hint (加微信, vx, 扣扣 …: the stuff of advertisements), no letter writer's name.

The :data:`PERSONAL_NAMES` hook: a function taking a list of texts and returning the names
(strings) it finds in them. Registered by the app that knows the names, in its own
``wagtail_hooks.py`` (search imports no feature app).
"""

from __future__ import annotations

import re

from wagtail import hooks

PERSONAL_NAMES = "search_personal_names"

NUMBER_MARK = "[号码]"
EMAIL_MARK = "[邮箱]"
NAME_MARK = "[姓名]"
MARKS = (NUMBER_MARK, EMAIL_MARK, NAME_MARK)

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)*", re.ASCII)
# Digits with at most one space, dash or dot between them: 138 0013 8000, 0571-8888-8888.
LONG_NUMBER = re.compile(r"\d(?:[ \-.]?\d){6,}", re.ASCII)
SIX_DIGITS = re.compile(r"\d(?:[ \-.]?\d){5,}", re.ASCII)
CODE = re.compile(r"(?<![0-9a-z])[0-9a-z]{15,20}(?![0-9a-z])", re.ASCII)
WEB_ADDRESS = re.compile(r"https?:|www\.|\.(?:com|cn|net|org|top|xyz|cc)\b", re.ASCII)
# How advertisements ask to be contacted (a legitimate 微信缴纳社保 or 12366电话 is not caught).
CONTACT_HINT = re.compile(r"加微信|加薇|薇信|威信|扣扣|加v|加q|(?<![a-z])(?:vx|wx|v信)(?![a-z])")


def _codes(text: str) -> str:
    return CODE.sub(lambda m: NUMBER_MARK if sum(c.isdigit() for c in m.group()) >= 6 else m.group(), text)


def names_in(texts: list[str]) -> set[str]:
    """The people's names the installed apps find in ``texts`` (longest first when masking)."""
    found: set[str] = set()
    for function in hooks.get_hooks(PERSONAL_NAMES):
        found.update(name for name in function(texts) if name)
    return found


def mask_numbers(text: str) -> str:
    """E-mail addresses, long numbers and ID-like codes replaced by marks."""
    text = EMAIL.sub(EMAIL_MARK, text)
    text = _codes(text)
    return LONG_NUMBER.sub(NUMBER_MARK, text)


def redact(query: str) -> str:
    """The query with personal data replaced by marks (what the search log keeps)."""
    text = mask_numbers(query)
    for name in sorted(names_in([text]), key=len, reverse=True):
        text = text.replace(name, NAME_MARK)
    return text


def publishable(queries: list[str]) -> list[str]:
    """The queries that may be listed publicly, in their order."""
    clean = [query for query in queries if _looks_public(query)]
    names = names_in(clean)
    return [query for query in clean if not any(name in query for name in names)]


def _looks_public(query: str) -> bool:
    lowered = query.lower()
    return not (
        any(mark in query for mark in MARKS)
        or "@" in query
        or SIX_DIGITS.search(query)
        or WEB_ADDRESS.search(lowered)
        or CONTACT_HINT.search(lowered)
    )
