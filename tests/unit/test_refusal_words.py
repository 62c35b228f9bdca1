"""Every refusal the store can raise has its own sentence (never the generic fallback)."""

from __future__ import annotations

import dataclasses
from datetime import date, time

from commands.refusals import say
from domain import refusals
from domain.refusals import Refusal


def _sample(field: dataclasses.Field[object]) -> object:
    kind = field.type if isinstance(field.type, str) else getattr(field.type, "__name__", "")
    if "Refusal" in kind:
        return refusals.PollHasVotes(4)
    if "tuple" in kind:
        return ("go_live", "go_no_go") if "str" in kind else (5, 1, 0)
    if "date" in kind:
        return date(2022, 9, 19)
    if "time" in kind:
        return time(1, 30)
    if "int" in kind:
        return 3
    return "x"


def _every_refusal() -> list[type[Refusal]]:
    return [getattr(refusals, name) for name in refusals.__all__ if name != "Refusal"]


def test_every_refusal_is_worded() -> None:
    generic = say(Refusal())
    for kind in _every_refusal():
        instance = kind(*(_sample(f) for f in dataclasses.fields(kind)))
        text = say(instance)
        assert text and text != generic, kind.__name__


def test_words_carry_the_facts() -> None:
    assert say(
        refusals.LiveElsewhere("MP099", "targeted", "November 2021 SEC Release", "november-2021", "june-2022")
    ) == (
        "MP099 is targeted for November 2021 SEC Release; to change release, `/release november-2021 move MP099 to june-2022`."
    )
    stuck = refusals.CannotUndo(12, "Added Alex (slack:U1) as panel", refusals.StillReferenced("member", "votes", 1))
    assert say(stuck) == "Cannot undo #12 “Added Alex (slack:U1) as panel”: 1 votes still refer to the member it added."
    assert "clocks go forward" in say(refusals.NoSuchTime(date(2021, 3, 28), time(1, 30)))
