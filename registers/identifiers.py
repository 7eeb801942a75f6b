"""The numbers a register holds: 纳税人识别号 (统一社会信用代码 and the older 15- and 20-character
numbers), 居民身份证 numbers, and how an individual's identity number is masked in public.

Masking (``mask``): the first 4 and the last 4 characters stay, every character between
becomes ``*`` (``1199**********0012``): enough for the person or their company to recognise
the entry, not enough to rebuild the number (the region, birth date and serial are hidden).
Numbers shorter than 12 characters keep only their first and last character. A 纳税人识别号
that is itself a 居民身份证 number (an individual's or a 个体工商户's) is masked the same way
on public pages (``public_taxpayer_number``)."""

from __future__ import annotations

import re
from datetime import datetime

from inforequests.forms import valid_id_card

# GB 32100-2015: 18 characters from this alphabet (no I, O, Z, S, V), the last a check character.
CREDIT_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
CREDIT_CODE = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$")
OLD_NUMBER = re.compile(r"^[0-9A-Z]{15}$|^[0-9A-Z]{20}$")


def credit_check_character(first17: str) -> str:
    """The 18th character of a 统一社会信用代码 for its first 17."""
    total = sum(CREDIT_ALPHABET.index(char) * weight for char, weight in zip(first17, CREDIT_WEIGHTS, strict=True))
    return CREDIT_ALPHABET[(31 - total % 31) % 31]


def valid_credit_code(number: str) -> bool:
    return bool(CREDIT_CODE.match(number)) and credit_check_character(number[:17]) == number[17]


def normalise(number: str) -> str:
    """Upper case, no spaces (spreadsheets often add them)."""
    return "".join(str(number).split()).upper()


def taxpayer_number_error(number: str) -> str | None:
    """Why ``number`` is not a 纳税人识别号, or None: 18 characters must be a 统一社会信用代码
    with its check character, or a 居民身份证 number with its check digit; 15 and 20
    characters are the older numbers (letters and digits)."""
    if len(number) == 18:
        if valid_credit_code(number) or valid_id_card(number):
            return None
        return "check"
    if OLD_NUMBER.match(number):
        return None
    return "length" if len(number) not in (15, 18, 20) else "characters"


def mask(number: str) -> str:
    """``1199**********0012``: the first and last four characters of an identity number."""
    number = str(number or "")
    if not number:
        return ""
    if len(number) < 12:
        return number[0] + "*" * max(len(number) - 2, 1) + (number[-1] if len(number) > 1 else "")
    return number[:4] + "*" * (len(number) - 8) + number[-4:]


def looks_like_id_card(number: str) -> bool:
    """A 居民身份证 number: its check digit and a birth date (digits 7 to 14) that exists."""
    if not valid_id_card(number):
        return False
    try:
        born = datetime.strptime(number[6:14], "%Y%m%d")
    except ValueError:
        return False
    return 1900 <= born.year <= 2099


def is_personal(number: str) -> bool:
    """A 纳税人识别号 that may be a person's 居民身份证 number (alone, or with two more characters;
    or an old 15-digit one). When a number could be either, it counts as a person's: masking a
    company's number by mistake costs less than showing a person's."""
    return (len(number) in (18, 20) and looks_like_id_card(number[:18])) or (len(number) == 15 and number.isdigit())


def public_taxpayer_number(number: str) -> str:
    return mask(number) if is_personal(number) else number
