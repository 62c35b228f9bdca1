"""The words of the release record: statuses, governance paths, phases, decision bodies, and dates
kept to the precision the paper gave.

Pure readers for what an admin types when keeping the record current (`/release new`, `/mod set`,
`/mod decision`). Each reader is total: it returns the canonical value, or None for words it does
not know, so the command layer can answer with the choices.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from domain.decisions import BODIES, OUTCOMES
from domain.format import day_or_month
from domain.kinds import ReleaseStatus
from domain.words import read_when

__all__ = [
    "PATHS",
    "PHASES",
    "STATUSES",
    "When",
    "effective_note",
    "read_body",
    "read_outcome",
    "read_path",
    "read_phase",
    "read_status",
    "read_when_given",
    "read_yes_no",
]

STATUSES = tuple(s.value for s in ReleaseStatus)
PATHS = ("Authority", "Authority Determined", "Self-Governance", "Fast-Track")
PHASES = (
    "Development",
    "Refinement",
    "Report",
    "Change Board",
    "Authority decision",
    "Approved",
    "Rejected",
    "Withdrawn",
    "Implemented",
)


def _key(text: str) -> str:
    return " ".join(text.lower().replace("-", " ").replace("_", " ").split())


_PATH_BY_KEY = {_key(p): p for p in PATHS} | {"self governance": "Self-Governance", "sg": "Self-Governance"}
_PATH_BY_KEY |= {
    "fast track": "Fast-Track",
    "ad": "Authority Determined",
    "authority determined": "Authority Determined",
}
_PHASE_BY_KEY = {_key(p): p for p in PHASES} | {
    "report phase": "Report",
    "authority": "Authority decision",
    "cb": "Change Board",
}


@dataclass(frozen=True, slots=True)
class When:
    """A date as the paper gave it: a day, or a month ("Dec 2020") whose 1st is no fact of the paper."""

    day: date
    precision: str = "day"  # day | month

    @property
    def shown(self) -> str:
        return day_or_month(self.day, self.precision)


def effective_note(when: When | None, today: date) -> str:
    """` (effective Dec 2020)` for the audit log, when a change is dated other than today."""
    if when is None or (when.precision == "day" and when.day == today):
        return ""
    return f" (effective {when.shown})"


def read_when_given(tokens: list[str], i: int, today: date) -> tuple[When, int] | None:
    """`23 Nov 2016`, `2016-11-23`, `today` (a day) or `Dec 2020`, `2020-12` (a month): (When, used)."""
    got = read_when(tokens, i, today)
    if got is None:
        return None
    return When(got[0], got[1]), got[2]


def read_status(word: str) -> str | None:
    word = word.lower()
    return word if word in STATUSES else None


def read_path(words: str) -> str | None:
    """`Self-Governance`, `self governance`, `SG`, `Authority`, `fast-track`... or `none` -> ""."""
    key = _key(words)
    if key in ("none", "null", "not stated", "unknown"):
        return ""
    return _PATH_BY_KEY.get(key)


def read_phase(words: str) -> str | None:
    return _PHASE_BY_KEY.get(_key(words))


def read_yes_no(word: str) -> bool | None:
    """`yes`/`no` (also true/false, y/n); None for anything else."""
    return {"yes": True, "y": True, "true": True, "no": False, "n": False, "false": False}.get(word.lower())


def read_body(tokens: list[str], i: int) -> tuple[str, int] | None:
    """A deciding body: `Change Board` (two words), `CB`, `Panel`, `Authority`, `Ofgem`, `CSC`."""
    if i + 1 < len(tokens) and (two := BODIES.get(f"{tokens[i]} {tokens[i + 1]}".lower())) is not None:
        return two, 2
    if i < len(tokens) and (one := BODIES.get(_key(tokens[i]))) is not None:
        return one, 1
    return None


def read_outcome(word: str) -> str | None:
    word = word.lower()
    return word if word in OUTCOMES else None
