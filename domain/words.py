"""The words people type: release slugs, modification refs, dates and times.

Each reader takes a list of tokens and a position and returns (value, tokens used), or None when
the tokens there are not that kind of word. Pure and total: they never raise on user text.
"""

from __future__ import annotations

import re
from datetime import date, time, timedelta

from domain.calendar import in_range

__all__ = [
    "MAX_ID",
    "MONTHS",
    "Token",
    "normalise_ref",
    "read_date",
    "read_id",
    "read_month",
    "read_ref",
    "read_slug",
    "read_time",
    "read_when",
    "ref_variants",
    "slug_for",
    "tokenize",
]

MAX_ID = 2**31 - 1  # every id column fits a 32-bit integer; a bigger number names nothing


def read_id(text: object) -> int | None:
    """A row id from a command or a button value (`12`, `#12`, 12), None unless 1..MAX_ID.

    Bounded here so a number like 10^25 is "no such thing", never an integer the database
    driver cannot convert (an OverflowError on SQLite, a DataError on PostgreSQL).
    """
    if isinstance(text, bool):
        return None
    if isinstance(text, int):
        return text if 1 <= text <= MAX_ID else None
    if not isinstance(text, str):
        return None
    digits = text.strip().removeprefix("#")
    if not (digits.isascii() and digits.isdecimal()) or len(digits) > len(str(MAX_ID)):
        return None
    value = int(digits)
    return value if 1 <= value <= MAX_ID else None


MONTHS = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
]
_MONTH_BY_NAME = {m: i + 1 for i, m in enumerate(MONTHS)} | {m[:3]: i + 1 for i, m in enumerate(MONTHS)}
_MONTH_BY_NAME["sept"] = 9

_QUOTES = str.maketrans({"\u201c": '"', "\u201d": '"', "\u2018": "'", "\u2019": "'", "\u00a0": " "})
_TOKEN = re.compile(r'"([^"]*)"|(\S+)')


class Token(str):
    """A word as typed; `quoted` when it came from "double quotes"."""

    quoted: bool = False


def _token(text: str, quoted: bool) -> Token:
    token = Token(text)
    token.quoted = quoted
    return token


def tokenize(text: str) -> list[str]:
    """Split on white space; "double quotes" group words (Slack's curly quotes count too)."""
    text = text.translate(_QUOTES)
    return [
        _token(m.group(1), True) if m.group(1) is not None else _token(m.group(2), False) for m in _TOKEN.finditer(text)
    ]


def slug_for(month: int, year: int) -> str:
    return f"{MONTHS[month - 1]}-{year}"


_SLUG_ONE = re.compile(r"^([a-z]+)[-_/ ]?([0-9]{4})$")
_SLUG_ISO = re.compile(r"^([0-9]{4})[-/]([0-9]{1,2})$")


def _month(word: str) -> int | None:
    return _MONTH_BY_NAME.get(word.lower().rstrip("."))


def read_slug(tokens: list[str], i: int) -> tuple[str, int] | None:
    """`june-2022`, `jun-2022`, `2022-06`, `June 2022`, `jun2022` -> ("june-2022", tokens used)."""
    if i >= len(tokens):
        return None
    word = tokens[i].lower()
    if m := _SLUG_ONE.match(word):
        month = _month(m.group(1))
        if month:
            return slug_for(month, int(m.group(2))), 1
    if m := _SLUG_ISO.match(word):
        month = int(m.group(2))
        if 1 <= month <= 12:
            return slug_for(month, int(m.group(1))), 1
    if i + 1 < len(tokens) and (month := _month(word)) and re.fullmatch(r"[0-9]{4}", tokens[i + 1]):
        return slug_for(month, int(tokens[i + 1])), 2
    return None


_REF = re.compile(r"^(SECMP|MP|DP|CR)?0*([0-9]{1,5})([A-Z]?)$")
_PAD = {"SECMP": 4, "MP": 3, "DP": 3, "CR": 3}


def normalise_ref(text: str) -> str | None:
    """`mp122a`, `MP 122A`, `SECMP20`, `secmp0020` -> `MP122A`, `SECMP0020`; None if not a ref.

    A bare number is read as an MP (`122a` -> `MP122A`); `ref_variants` offers the other prefixes.
    """
    compact = re.sub(r"[\s_-]", "", text).upper()
    m = _REF.match(compact)
    if not m:
        return None
    prefix, number, suffix = m.group(1) or "MP", m.group(2), m.group(3)
    return f"{prefix}{number.zfill(_PAD[prefix])}{suffix}"


def ref_variants(ref: str) -> list[str]:
    """The same number under the other prefixes (a DP keeps its number when it becomes an MP)."""
    m = _REF.match(ref)
    if not m:
        return []
    number, suffix = m.group(2), m.group(3)
    return [f"{p}{number.zfill(_PAD[p])}{suffix}" for p in ("MP", "DP", "SECMP", "CR") if p != (m.group(1) or "MP")]


def read_ref(tokens: list[str], i: int) -> tuple[str, int] | None:
    """A modification ref from one token (`MP122A`) or two (`MP 122A`)."""
    if i >= len(tokens):
        return None
    if i + 1 < len(tokens) and tokens[i].upper() in _PAD and re.fullmatch(r"[0-9]{1,5}[A-Za-z]?", tokens[i + 1]):
        ref = normalise_ref(tokens[i] + tokens[i + 1])
        if ref:
            return ref, 2
    if re.fullmatch(r"(?i)(secmp|mp|dp|cr)\s*[0-9]{1,5}[a-z]?|[0-9]{1,5}[a-z]?", tokens[i]):
        ref = normalise_ref(tokens[i])
        if ref:
            return ref, 1
    return None


_ISO = re.compile(r"^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})$")
_DMY = re.compile(r"^([0-9]{1,2})[/.]([0-9]{1,2})[/.]([0-9]{2}|[0-9]{4})$")
_DAY = re.compile(r"^([0-9]{1,2})(st|nd|rd|th)?$")


def _year(text: str) -> int | None:
    if re.fullmatch(r"[0-9]{4}", text):
        return int(text)
    if re.fullmatch(r"[0-9]{2}", text):
        return 2000 + int(text)
    return None


def _make(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def read_date(tokens: list[str], i: int, today: date, *, bounded: bool = True) -> tuple[date, int] | None:
    """`2016-11-23`, `23/11/2016`, `23 Nov 2016`, `23rd November 16`, `Nov 23 2016`, `today`...

    Only dates from `EARLIEST` to `LATEST` unless `bounded` is false (to tell a date out of range
    from words that are no date): no date a person gives can make Working Day arithmetic or a
    reminder plan reach years nobody plans for.
    """
    got = _read_date(tokens, i, today)
    return None if got is None or (bounded and not in_range(got[0])) else got


def _read_date(tokens: list[str], i: int, today: date) -> tuple[date, int] | None:
    if i >= len(tokens):
        return None
    word = tokens[i].lower().rstrip(",")
    relative = {"today": 0, "tomorrow": 1, "yesterday": -1}
    if word in relative:
        return today + timedelta(days=relative[word]), 1
    if m := _ISO.match(word):
        d = _make(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        return (d, 1) if d else None
    if m := _DMY.match(word):
        year = _year(m.group(3))
        d = _make(year, int(m.group(2)), int(m.group(1))) if year else None
        return (d, 1) if d else None
    if i + 2 < len(tokens):
        a, b, c = word, tokens[i + 1].lower().rstrip(","), tokens[i + 2].lower()
        year = _year(c)
        if year:
            if (m := _DAY.match(a)) and (month := _month(b)):
                d = _make(year, month, int(m.group(1)))
                return (d, 3) if d else None
            if (month := _month(a)) and (m := _DAY.match(b)):
                d = _make(year, month, int(m.group(1)))
                return (d, 3) if d else None
    return None


def read_month(tokens: list[str], i: int) -> tuple[date, int] | None:
    """A month given without a day: `Dec 2020`, `December 2020`, `2020-12` -> (1 Dec 2020, used).

    For dates the papers give to the month only; the caller keeps the precision ("month") so the
    1st is never shown or reminded as if the paper had said it.
    """
    if i >= len(tokens):
        return None
    word = tokens[i].lower().rstrip(",")
    if m := _SLUG_ISO.match(word):
        number = int(m.group(2))
        first = _make(int(m.group(1)), number, 1)
        return (first, 1) if first and in_range(first) else None
    named = _month(word)
    year = _year(tokens[i + 1]) if i + 1 < len(tokens) and len(tokens[i + 1]) == 4 else None
    first = _make(year, named, 1) if named and year else None
    return (first, 2) if first and in_range(first) else None


def read_when(tokens: list[str], i: int, today: date) -> tuple[date, str, int] | None:
    """A day (`23 Nov 2016`, "day" precision) or a month (`Dec 2020`, "month"): (date, precision, used)."""
    if (got := read_date(tokens, i, today)) is not None:
        return got[0], "day", got[1]
    if (month := read_month(tokens, i)) is not None:
        return month[0], "month", month[1]
    return None


_TIME = re.compile(r"^([0-9]{1,2})(?:[:.]([0-9]{2}))?(?::([0-9]{2}))?\s*(am|pm)?$")


def read_time(tokens: list[str], i: int) -> tuple[time, int] | None:
    """`14:00`, `14:00:30`, `9.30`, `2pm`, `9:30am` (Europe/London wall clock)."""
    if i >= len(tokens):
        return None
    m = _TIME.match(tokens[i].lower())
    if not m or (m.group(2) is None and m.group(4) is None) or (m.group(3) is not None and m.group(2) is None):
        return None
    hour, minute, second, half = int(m.group(1)), int(m.group(2) or 0), int(m.group(3) or 0), m.group(4)
    if half:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if half == "pm" else 0)
    if hour > 23 or minute > 59 or second > 59:
        return None
    return time(hour, minute, second), 1
