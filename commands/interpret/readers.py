"""Readers for the words with a shape: dates, release slugs and months, refs, Working Day counts,
years and periods ("next week"). Each looks at one position and says what it found there.

They reuse the command language's own readers (`commands/words.py`), so a date or slug that works
in a command works in a sentence, and add what sentences say that commands do not: a month with no
year ("the june release", "since november"), "the next release", "10 working days".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from commands.interpret.text import Token
from commands.interpret.vocabulary import Sense, Vocabulary
from domain.format import day as show_day
from domain.words import MONTHS, read_date, read_ref, read_slug

__all__ = ["DATE_PREPS", "Found", "read_at"]

# Words before a date that say how it is meant; "as of" is read as two words.
DATE_PREPS = {
    "since": "since", "after": "after", "from": "from", "before": "before", "until": "to", "till": "to",
    "to": "to", "and": "to", "on": "on", "at": "on", "between": "from", "by": "to",
}  # fmt: skip
_MONTH_AS_DATE = frozenset({"since", "after", "from", "before", "as of", "to"})
_MONTH_OVER_RELEASE = frozenset({"since", "after", "before", "as of"})  # these make even a release's month a date
_MONTH = {m: n + 1 for n, m in enumerate(MONTHS)} | {m[:3]: n + 1 for n, m in enumerate(MONTHS)} | {"sept": 9}
_REF_START = re.compile(r"^(secmp|mp|dp|cr)[-\s]?[0-9]")
_WD_WORDS = ("wd", "wds", "working", "workdays", "workday", "business")
_NEXT = frozenset({"next", "upcoming", "coming"})
_LAST = frozenset({"last", "previous", "latest"})


@dataclass(frozen=True, slots=True)
class Found:
    """What a reader found: how many tokens it used, the sense, how sure, and how it read them."""

    used: int
    sense: Sense
    quality: float
    how: str
    day: date | None = None


def _release_sense(vocab: Vocabulary, slug: str) -> tuple[Sense, float, str]:
    info = vocab.releases.get(slug)
    if info is None:
        return Sense("release", slug, slug), 0.8, "a release's month and year (not in the store)"
    return Sense("release", slug, info.name), 1.0, "a release's month and year"


def _month_start(month: int, year: int | None, today: date) -> date:
    if year is not None:
        return date(year, month, 1)
    start = date(today.year, month, 1)
    return start if start <= today else date(today.year - 1, month, 1)


def _date_sense(day: date) -> Sense:
    return Sense("date", day.isoformat(), show_day(day))


def _with_release_word(norms: list[str], i: int) -> int:
    """How many tokens of "release" / "sec release" follow position i (part of the release's name)."""
    if norms[i : i + 2] == ["sec", "release"]:
        return 2
    return 1 if norms[i : i + 1] == ["release"] else 0


def _date(norms: list[str], i: int, today: date, prep: str) -> Found | None:
    got = read_date(norms, i, today)
    if got is None and i + 3 < len(norms) and norms[i + 1] == "of":  # "1st of December 2020"
        got = read_date([norms[i], *norms[i + 2 : i + 4]], 0, today)
        got = (got[0], 4) if got else None
    if got is not None:
        return Found(got[1], _date_sense(got[0]), 1.0, "a date", got[0])
    month = _MONTH.get(norms[i])
    if prep in _MONTH_AS_DATE and month is not None:
        year = int(norms[i + 1]) if i + 1 < len(norms) and re.fullmatch(r"(19|20)[0-9]{2}", norms[i + 1]) else None
        start = _month_start(month, year, today)
        how = "a month and year: its first day" if year else "a month without a year: its latest first day"
        return Found(2 if year else 1, _date_sense(start), 1.0 if year else 0.9, how, start)
    if prep in _MONTH_AS_DATE and re.fullmatch(r"(19|20)[0-9]{2}", norms[i]):
        start = date(int(norms[i]), 1, 1)
        return Found(1, _date_sense(start), 0.9, "a year: its first day", start)
    return None


def _release(norms: list[str], i: int, vocab: Vocabulary, today: date) -> Found | None:
    got = read_slug(norms, i)
    if got is not None:
        sense, quality, how = _release_sense(vocab, got[0])
        return Found(got[1] + _with_release_word(norms, i + got[1]), sense, quality, how)
    word = norms[i]
    if word in _NEXT | _LAST and norms[i + 1 : i + 2] in (["release"], ["sec"]):
        info = vocab.next_release(today) if word in _NEXT else vocab.last_release(today)
        if info is not None:
            how = "the next release to go live" if word in _NEXT else "the latest release already live"
            return Found(1 + _with_release_word(norms, i + 1), Sense("release", info.slug, info.name), 0.9, how)
    month = _MONTH.get(word.rstrip("."))
    if month is None:
        return None
    follows = _with_release_word(norms, i + 1)
    if word in vocab.lexicon.ambiguous_months and not follows:
        return None
    info = vocab.next_release(today, month)
    if info is None:
        return None
    which = "next" if info.go_live >= today else "latest"
    how = f"a month without a year: the {which} {MONTHS[month - 1].capitalize()} release"
    return Found(1 + follows, Sense("release", info.slug, info.name), 0.85, how)


def _ref(norms: list[str], i: int, vocab: Vocabulary) -> Found | None:
    word = norms[i]
    if not (
        _REF_START.match(word)
        or (word in ("secmp", "mp", "dp", "cr") and norms[i + 1 : i + 2] and norms[i + 1][:1].isdigit())
    ):
        return None
    got = read_ref(norms, i)
    if got is None:
        return None
    ref, used = got
    stored = vocab.mod_ref(ref.upper())
    if stored is None:
        return Found(used, Sense("mod", ref, ref), 0.8, "a modification reference (not in the store)")
    how = "a modification reference" + (f" (also known as {ref})" if stored != ref else "")
    return Found(used, Sense("mod", stored, f"{stored} {vocab.mods.get(stored, '')}".strip()), 1.0, how)


def _count(norms: list[str], i: int) -> Found | None:
    """`10 working days`, `10 WD`, `10wd`, `+10`, `-5`; a lone 4-digit number is a year."""
    word = norms[i]
    signed = word[:1] in "+-" and len(word) > 1
    number = word.lstrip("+-").removesuffix("wd")
    if not number.isdecimal():
        return None
    used = 1
    rest = norms[i + 1 : i + 3]
    if not signed and not word.endswith("wd"):
        if rest[:1] and rest[0] in _WD_WORDS:
            used += 2 if rest[0] in ("working", "business") and rest[1:2] in (["days"], ["day"]) else 1
        elif rest[:1] in (["days"], ["day"]):
            used += 1
        elif re.fullmatch(r"(19|20)[0-9]{2}", word):
            return Found(1, Sense("year", word, word), 1.0, "a year")
        else:
            return None
    n = int(number)
    if not 0 < n <= 1000:
        return None
    sign = "-" if word.startswith("-") else "+"
    return Found(used, Sense("wd", f"{sign}{n}", f"{n} Working Days"), 1.0, "a number of Working Days")


def _period(norms: list[str], i: int) -> Found | None:
    pair = norms[i : i + 2]
    if len(pair) == 2 and pair[0] in ("this", "next", "coming") and pair[1] in ("week", "month"):
        which = "this" if pair[0] == "this" else "next"
        return Found(2, Sense("period", f"{which}-{pair[1]}", f"{which} {pair[1]}"), 1.0, "a period")
    return None


def _prep(norms: list[str], free: list[bool], i: int) -> tuple[str, int]:
    """(how a date at i is meant, how many tokens before it say so)."""
    if i >= 2 and free[i - 1] and free[i - 2] and norms[i - 2 : i] == ["as", "of"]:
        return "as of", 2
    if i >= 1 and free[i - 1] and norms[i - 1] in DATE_PREPS:
        return DATE_PREPS[norms[i - 1]], 1
    return "", 0


def read_at(
    tokens: list[Token], free: list[bool], i: int, vocab: Vocabulary, today: date
) -> tuple[Found, int, str] | None:
    """The first shaped word at position i: (what was found, tokens before it it also used, prep)."""
    norms = [t.norm for t in tokens]
    if not free[i]:
        return None
    prep, before = _prep(norms, free, i)
    if prep not in _MONTH_OVER_RELEASE and (slug := read_slug(norms, i)) is not None and slug[0] in vocab.releases:
        prep = ""  # "removed from june 2021", "affected by feb 2021": a stored release, not a month's first day
    for found in (_period(norms, i), _date(norms, i, today, prep)):
        if found is not None:
            return (found, before, prep) if found.sense.type == "date" else (found, 0, "")
    for found in (_release(norms, i, vocab, today), _ref(norms, i, vocab), _count(norms, i)):
        if found is not None:
            return found, 0, ""
    return None
