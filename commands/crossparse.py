"""The words after `/release due`, `/release targeted` and `/release decisions` (views across releases).

Registered as `/release` words (`commands.register`); a mistake raises the grammar's `Fail` with
words for the user and the usage of the view.
"""

from __future__ import annotations

from datetime import date

from commands.grammar.book import Said, WordParser
from commands.grammar.reading import Fail, fail
from commands.language import CrossView
from domain.words import read_date

__all__ = ["CROSS_VIEWS", "MAX_WD", "PERIODS", "cross_view", "read_cross_view"]

CROSS_VIEWS = ("due", "targeted", "decisions")
PERIODS = ("this-week", "next-week", "this-month", "next-month")
MAX_WD = 1000  # about four years of Working Days: enough for any release plan
_WD_WORDS = ("wd", "wds", "working", "workday", "workdays", "day", "days")
_USAGE = {
    "due": "/release due [N WD|this week|next week|this month]",
    "targeted": "/release targeted [all]",
    "decisions": "/release decisions [since <date>]",
}


def _fail(head: str, tokens: list[str], i: int, why: str = "") -> Fail:
    got = " ".join(tokens[i:])
    reason = why or f"I did not use `{got}`"
    return fail(f"{reason}. `{_USAGE[head]}`.", "reports", word=tokens[i] if i < len(tokens) else None)


def _due(tokens: list[str]) -> CrossView:
    words = [t.lower() for t in tokens]
    if not words:
        return CrossView(action="cross.due")
    if words[0] in ("in", "within", "next") and len(words) > 1 and (words[1].lstrip("+").isdecimal()):
        words = words[1:]
    if len(words) == 2 and words[0] in ("this", "next") and words[1] in ("week", "month"):
        return CrossView(action="cross.due", option=f"{words[0]}-{words[1]}")
    if len(words) == 1 and words[0] in PERIODS:
        return CrossView(action="cross.due", option=words[0])
    number = words[0].lstrip("+")
    suffix = ""
    for unit in ("wd", "d"):
        if number.endswith(unit) and number[: -len(unit)].isdecimal():
            number, suffix = number[: -len(unit)], unit
    if not number.isdecimal():
        raise _fail(
            "due",
            list(tokens),
            0,
            f"After `due` I understand a number of Working Days or a period (got `{' '.join(tokens)}`)",
        )
    n = int(number)
    if not 0 < n <= MAX_WD:
        raise _fail("due", list(tokens), 0, f"Ask for 1 to {MAX_WD} Working Days (got {number})")
    rest = words[1:]
    if rest and not suffix and rest[0] in _WD_WORDS:
        rest = rest[2:] if rest[0] == "working" and rest[1:2] in (["days"], ["day"]) else rest[1:]
    if rest:
        raise _fail("due", list(tokens), len(tokens) - len(rest))
    return CrossView(action="cross.due", n=n)


def _decisions(tokens: list[str], today: date) -> CrossView:
    if not tokens:
        return CrossView(action="cross.decisions")
    i = 1 if tokens[0].lower() in ("since", "from", "after") else 0
    got = read_date(tokens, i, today)
    if got is None:
        raise _fail("decisions", tokens, i, "I need a date after `since`, like `1 Nov 2020`")
    day, used = got
    if i + used < len(tokens):
        raise _fail("decisions", tokens, i + used)
    return CrossView(action="cross.decisions", day=day)


def read_cross_view(head: str, tokens: list[str], today: date) -> CrossView:
    """`due ...`, `targeted [all]`, `decisions [since DATE]` -> a `CrossView`; raises `Fail`."""
    if head == "due":
        return _due(tokens)
    if head == "decisions":
        return _decisions(tokens, today)
    if head == "targeted":
        if not tokens:
            return CrossView(action="cross.targeted")
        if len(tokens) == 1 and tokens[0].lower() == "all":
            return CrossView(action="cross.targeted", option="all")
        raise _fail("targeted", tokens, 1 if tokens[0].lower() == "all" else 0)
    raise fail(f"`{head}` is not a view across releases.", "reports", word=head, expected=CROSS_VIEWS)


def cross_view(head: str) -> WordParser:
    """The parser of one view's words, for registering under `/release`."""

    def parser(said: Said) -> CrossView:
        return read_cross_view(head, said.tokens[said.i :], said.today)

    return parser
