"""What every word's parser reads the same way: dates, times, references, reasons, and failing.

Parsing is pure: it knows the shape of a slug or a ref but not which releases exist (handlers
check that). A parser that cannot read the words raises `Fail`, which `commands.parse` turns into
the `ParseError` it returns; nothing here raises on user input otherwise.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, time

from commands.language import ParseError
from domain.calendar import RANGE_TEXT
from domain.words import read_date, read_ref, read_time

__all__ = ["Fail", "fail", "need_date", "need_ref", "no_more", "out_of_range", "quoted", "reason", "rest", "when"]


class Fail(Exception):
    """A parser could not read the words: `error` says why, for the user."""

    def __init__(self, error: ParseError) -> None:
        super().__init__(error.message)
        self.error = error


def fail(message: str, topic: str, word: str | None = None, expected: Sequence[str] = ()) -> Fail:
    """The exception to raise: `raise fail(...)` reads as the sentence it carries."""
    return Fail(ParseError(message, topic=topic, word=word, expected=tuple(expected)))


def no_more(tokens: list[str], i: int, usage: str, hint: str = "", topic: str = "release") -> None:
    """Read commands use every word they are given: a word they would drop is named, not ignored."""
    if i < len(tokens):
        raise fail(f"`{usage}` takes nothing more; I did not use `{rest(tokens, i)}`.{hint}", topic)


def quoted(token: str) -> bool:
    """The token came from "double quotes" (a title or a question), so it is never a keyword."""
    return bool(getattr(token, "quoted", False))


def rest(tokens: list[str], i: int) -> str:
    """The words from `i` on, as typed."""
    return " ".join(tokens[i:]).strip()


def need_date(tokens: list[str], i: int, today: date, topic: str, what: str) -> tuple[date, int]:
    got = read_date(tokens, i, today)
    if got is None:
        out_of_range(tokens, i, today, topic, what)
        shown = f" (got `{rest(tokens, i)}`)" if i < len(tokens) else ""
        raise fail(f"I need {what} as a date, like `2021-06-24` or `24 Jun 2021`{shown}.", topic)
    return got


def out_of_range(tokens: list[str], i: int, today: date, topic: str, what: str) -> None:
    """Fail when the words are a date, but one outside the dates anyone plans for."""
    if (far := read_date(tokens, i, today, bounded=False)) is not None:
        raise fail(f"{what[:1].upper()}{what[1:]} must be from {RANGE_TEXT} (got {far[0].isoformat()}).", topic)


def need_ref(tokens: list[str], i: int, topic: str) -> tuple[str, int]:
    got = read_ref(tokens, i)
    if got is None:
        shown = f"`{tokens[i]}` is not" if i < len(tokens) else "I need"
        raise fail(f"{shown} a modification reference, like `MP122A`, `DP144` or `SECMP0020`.", topic)
    return got


def reason(tokens: list[str], i: int) -> str:
    """Everything after the arguments, minus a leading `reason`/`because`/`:`."""
    if i < len(tokens) and tokens[i].lower().rstrip(":") in ("reason", "because", "why", "-", "—"):
        i += 1
    return rest(tokens, i)


_CLOCKISH = re.compile(r"^[0-9]{1,2}[:.][0-9]{2}(?::[0-9]{2})?$|^[0-9]{1,2}(?::[0-9]{2})?\s*[ap]m$", re.I)


def when(tokens: list[str], i: int, today: date, what: str) -> tuple[date, time | None, int]:
    """A date and an optional time after it (`10 Jun 2022 14:00`, `... at 2pm`): (day, time, next index)."""
    day, used = need_date(tokens, i, today, "release", what)
    i += used
    at = None
    if i < len(tokens) and tokens[i].lower() == "at":
        got = read_time(tokens, i + 1)
        if got is None:
            raise fail("After `at` I need a time like `14:00`.", "release")
        at, used = got[0], 1 + got[1]
        i += used
    elif i < len(tokens) and not quoted(tokens[i]):
        if (got := read_time(tokens, i)) is not None:
            at = got[0]
            i += got[1]
        elif _CLOCKISH.match(tokens[i]):
            raise fail(f"`{tokens[i]}` is not a time of day (use 00:00 to 23:59).", "release")
    return day, at, i
