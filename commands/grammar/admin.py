"""The words of the changes admins make: scope (`add`, `approve`, `remove`, `move`), milestones,
`undo` and `audit`. Whether the actor may make the change is the handler's business, not the parser's."""

from __future__ import annotations

from dataclasses import replace

from commands.grammar.book import Said
from commands.grammar.content import Options, options
from commands.grammar.reading import fail, need_ref, no_more, quoted, reason, rest, when
from commands.grammar.record import take_effective
from commands.language import (
    Audit,
    Command,
    MilestoneAdd,
    MilestoneCancel,
    MilestoneMove,
    ReleaseShow,
    ScopeChange,
    Undo,
)
from domain.words import read_slug

__all__ = ["audit", "milestone", "move", "scope_change", "undo"]

_CHANGES = {"add": "scope.add", "approve": "scope.approve", "remove": "scope.remove", "drop": "scope.remove"}


def _notice(said: Said) -> tuple[Said, Options]:
    """The words before `by-exception <reason>` and a last `confirm`, and those two."""
    opts = options(said, dated=False, confirmable=True)
    return replace(said, tokens=said.tokens[: opts.end]), opts


def scope_change(said: Said, slug: str) -> ScopeChange:
    """`add <ref> ["title"] [reason ...]`, `approve <ref> [reason ...]`, `remove|drop <ref> reason <why>`;
    each may end `by-exception <reason>` (after the freeze) and `confirm` (inside the DCC lead time),
    and carry `effective <date>` anywhere (back-dated; a month kept as one)."""
    said, effective = take_effective(said)
    said, opts = _notice(said)
    tokens, i = said.tokens, said.i
    ref, used = need_ref(tokens, i, "release")
    title = ""
    if said.word == "add" and i + used < len(tokens) and quoted(tokens[i + used]):
        title = str(tokens[i + used])
        used += 1
    why = reason(tokens, i + used)
    action = _CHANGES[said.word]
    if action == "scope.remove" and not why:
        raise fail(f"Say why: `/release {slug} remove {ref} reason <why>`.", "release")
    return ScopeChange(
        action=action,
        slug=slug,
        ref=ref,
        reason=why,
        title=title,
        by_exception=opts.by_exception,
        confirmed=opts.confirmed,
        effective=effective,
    )


def move(said: Said, slug: str) -> ScopeChange:
    """`move <ref> [to] <release> [reason ...] [by-exception <reason>] [confirm] [effective <date>]`."""
    said, effective = take_effective(said)
    said, opts = _notice(said)
    tokens = said.tokens
    ref, used = need_ref(tokens, said.i, "release")
    i = said.i + used
    if i < len(tokens) and tokens[i].lower() == "to":
        i += 1
    target = read_slug(tokens, i)
    if target is None:
        raise fail(f"Move {ref} to which release? e.g. `/release {slug} move {ref} to june-2022`.", "release")
    to_slug, used = target
    return ScopeChange(
        action="scope.move",
        slug=slug,
        ref=ref,
        to_slug=to_slug,
        reason=reason(tokens, i + used),
        by_exception=opts.by_exception,
        confirmed=opts.confirmed,
        effective=effective,
    )


def milestone(said: Said, slug: str) -> Command:
    """`milestone add <kind> <date> [time] [title]`, `milestone <kind|key> [to] <date> [time] [reason]`,
    `milestone <kind|key> cancel [reason]`; `milestone` alone is the timeline; each `effective <date>`."""
    said, effective = take_effective(said)
    tokens, i = said.tokens, said.i
    if i + 1 < len(tokens) and tokens[i + 1].lower() == "cancel":
        return MilestoneCancel(slug=slug, which=tokens[i].lower(), reason=reason(tokens, i + 2), effective=effective)
    if i < len(tokens) and tokens[i].lower() == "add":
        if i + 1 >= len(tokens):
            raise fail(f"Usage: `/release {slug} milestone add <kind> <date> [time] [title]`.", "release")
        kind = tokens[i + 1].lower().replace("-", "_")
        day, at, j = when(tokens, i + 2, said.today, "the milestone's date")
        return MilestoneAdd(slug=slug, kind=kind, day=day, at=at, title=rest(tokens, j), effective=effective)
    if i < len(tokens):
        which = tokens[i].lower()
        j = i + 1
        if j < len(tokens) and tokens[j].lower() in ("to", "="):
            j += 1
        day, at, j = when(tokens, j, said.today, "the new date")
        return MilestoneMove(slug=slug, which=which, day=day, at=at, reason=reason(tokens, j), effective=effective)
    return ReleaseShow(action="release.timeline", slug=slug)


def undo(said: Said) -> Undo:
    """`undo [#N]`: N, when given, must still be the newest change."""
    tokens, i = said.tokens, said.i
    target = tokens[i].lstrip("#") if len(tokens) > i else ""
    if len(tokens) > i + 1 or (target and not target.isdecimal()):
        raise fail("`undo` takes nothing, or the number of the change to undo: `/release undo #12`.", "admin")
    return Undo(change=int(target) if target else None)


def audit(said: Said) -> Audit:
    """`audit [N]`: the latest N changes, at most 100."""
    tokens, i = said.tokens, said.i
    given = len(tokens) > i and tokens[i].isdecimal()
    no_more(tokens, i + given, "/release audit [N]", topic="admin")
    return Audit(count=min(int(tokens[i]) if given else 10, 100))
