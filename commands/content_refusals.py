"""RID content, notice-period and RID version refusals in words (registered on `commands.refusals.say`)."""

from __future__ import annotations

from commands.refusals import say
from domain import content_refusals as r
from domain.format import day

__all__: list[str] = []


@say.register
def _(x: r.Frozen) -> str:
    return (
        f"{x.release} froze on {day(x.freeze)} (go-live {day(x.go_live)}): its scope and RID change only by "
        "exception now. If the Panel agreed, add `by-exception <reason>` to the command."
    )


@say.register
def _(x: r.InsideDccLead) -> str:
    return (
        f"{x.ref} impacts the DCC Systems, and {x.release} is inside the DCC lead time "
        f"(from {day(x.lead_start)}; go-live {day(x.go_live)})."
    )


@say.register
def _(x: r.NoSuchEntry) -> str:
    shown = {"cost": "costs", "summary": "impacts", "criterion": "criteria"}[x.what]
    return f"{x.release} has no {x.what} {x.number} now; `/release {x.slug} {shown}` shows the numbers."


@say.register
def _(x: r.NotRecorded) -> str:
    return f"Nothing records {x.what} in {x.release}."


@say.register
def _(x: r.AlreadyRecorded) -> str:
    return f"{x.release} already records that: {x.what}."


@say.register
def _(x: r.EndsBeforeStart) -> str:
    return f"{x.what}: that entry is recorded from {day(x.started)}, so it cannot end on {day(x.effective)}."


@say.register
def _(x: r.VersionExists) -> str:
    return f"{x.release} already has RID version {x.version}."


@say.register
def _(x: r.VersionNotAfter) -> str:
    return f"RID version {x.version} would not come after version {x.latest} of {x.release}."


@say.register
def _(x: r.IssuedBefore) -> str:
    return f"RID version {x.version} would be dated before version {x.latest} of {x.release} ({day(x.issued)})."


@say.register
def _(x: r.DatedAhead) -> str:
    return f"A change is dated the day it happened, today ({day(x.today)}) or earlier, not {day(x.effective)}."
