"""Read handlers for `/release ...`: the list, a release's card, its scope and its timeline.

Pure functions of (command, context) over the snapshot. The views of a release's RID sections
(impacts, costs, criteria, history, the RID itself) are in `commands.rid`.
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Callable
from datetime import date

from commands import messages
from commands.context import Context
from commands.language import ReleaseList, ReleaseShow
from commands.suggest import release_or_error
from domain.calendar import local_date
from domain.format import STATE_LABEL, day, day_or_month, gbp, milestone_relative, milestone_when, relative, yes_no
from domain.reply import (
    Actions,
    Block,
    Button,
    Facts,
    Heading,
    Items,
    Note,
    Paragraph,
    Reply,
    Spans,
    b,
    code,
    i,
    spans,
)
from domain.snapshot import Snapshot
from domain.views import MilestoneView, ModView, ReleaseView, ScopeChangeView

__all__ = ["card", "for_release", "list_releases", "mod_line", "scope", "source_title", "timeline"]

_STATE_ORDER = ("approved", "targeted", "removed", "moved")


def for_release(
    view: Callable[[ReleaseShow, Context, ReleaseView], Reply],
) -> Callable[[ReleaseShow, Context], Reply]:
    """A view of one release: answers "no such release, did you mean" itself."""

    @functools.wraps(view)
    def handler(cmd: ReleaseShow, ctx: Context) -> Reply:
        rel = release_or_error(cmd, ctx.snapshot)
        return rel if isinstance(rel, Reply) else view(cmd, ctx, rel)

    return handler


def source_title(snap: Snapshot, source_id: int | None) -> str:
    src = snap.sources.get(source_id) if source_id is not None else None
    return src.title if src else ""


def _counts(snap: Snapshot, release_id: int) -> Counter[str]:
    return Counter(c.state for c in snap.scope(release_id).values())


def _count_text(counts: Counter[str]) -> str:
    parts = [f"{counts[s]} {s}" for s in _STATE_ORDER if counts[s]]
    return ", ".join(parts) if parts else "no scope recorded"


def list_releases(cmd: ReleaseList, ctx: Context) -> Reply:
    snap = ctx.snapshot
    upcoming = [r for r in snap.upcoming() if r.go_live >= ctx.today]
    past = sorted((r for r in snap.releases if r.go_live < ctx.today), key=lambda r: r.go_live, reverse=True)

    def line(r: ReleaseView) -> Spans:
        dcc = {True: " · DCC System impacting", False: " · document-only", None: ""}[r.dcc_system_impacting]
        return spans(
            b(r.name),
            " ",
            code(r.slug),
            f" · go-live {day(r.go_live)}",
            f" ({relative(snap.calendar, ctx.today, r.go_live)})",
            f" · {r.status}",
            f" · {_count_text(_counts(snap, r.id))}",
            dcc,
        )

    blocks: list[Block] = [Heading("SEC Releases")]
    blocks.append(
        Items(tuple(line(r) for r in upcoming), title="Upcoming")
        if upcoming
        else Paragraph(spans(i("No upcoming releases in the store.")))
    )
    if past:
        blocks.append(Items(tuple(line(r) for r in past), title="Past"))
    blocks.append(Note(spans("Ask ", code("/release <slug> scope"), " or ", code("/release help"), ".")))
    return Reply("SEC Releases", tuple(blocks), command=cmd.text)


def _next_milestone(snap: Snapshot, release_id: int, today: date) -> MilestoneView | None:
    for ms in snap.milestones_by_release.get(release_id, ()):
        if local_date(ms.due_at) >= today and ms.state != "cancelled":
            return ms
    return None


def _view_buttons(slug: str) -> Actions:
    views = ("scope", "timeline", "impacts", "costs", "rid")
    return Actions(tuple(Button(v.capitalize(), "command", f"/release {slug} {v}") for v in views))


@for_release
def card(cmd: ReleaseShow, ctx: Context, rel: ReleaseView) -> Reply:
    snap = ctx.snapshot
    counts = _counts(snap, rel.id)
    facts: list[tuple[str, Spans]] = [
        ("Go-live", spans(day(rel.go_live), f" ({relative(snap.calendar, ctx.today, rel.go_live)})")),
        ("Status", spans(rel.status)),
        ("DCC Systems", spans(yes_no(rel.dcc_system_impacting, "impacting", "not impacting (document-only)"))),
        ("Scope", spans(_count_text(counts))),
    ]
    nxt = _next_milestone(snap, rel.id, ctx.today)
    if nxt is not None:
        facts.append(
            (
                "Next milestone",
                spans(
                    nxt.title,
                    " · ",
                    milestone_when(nxt),
                    f" ({milestone_relative(snap.calendar, ctx.today, nxt)})",
                ),
            )
        )
    versions = snap.rid_versions.get(rel.id, [])
    if versions:
        v = versions[-1]
        facts.append(("RID", spans(f"v{v.version} of {day(v.issued)}")))
    known = [c.amount_gbp for c in snap.costs.get(rel.id, []) if c.amount_gbp is not None]
    if known:
        facts.append(("Costs stated", spans(gbp(sum(known)))))
    blocks: list[Block] = [Heading(rel.name), Facts(tuple(facts))]
    if rel.notes:
        blocks.append(Paragraph(spans(rel.notes)))
    blocks.append(_view_buttons(rel.slug))
    return Reply(rel.name, tuple(blocks), command=cmd.text)


def mod_line(snap: Snapshot, mod: ModView, change: ScopeChangeView, with_since: bool = True) -> Spans:
    dcc = " · DCC System impacting" if mod.dcc_impact else ""
    parts: list[object] = [b(mod.ref), f" {mod.title}", dcc]
    if change.state == "moved" and change.moved_to_release_id is not None:
        target = snap.release_by_id.get(change.moved_to_release_id)
        parts.append(f" → {target.name if target else 'another release'}")
    if change.reason:
        parts.append(f" — {change.reason}")
    elif change.note:
        parts.append(f" — {change.note}")
    if change.by_exception:  # made after the release's freeze
        parts.append(f" · by exception: {change.by_exception}")
    if with_since:
        src = source_title(snap, change.source_id) or change.actor
        parts.append(i(f" (since {day_or_month(change.effective, change.precision)}{', ' + src if src else ''})"))
    return spans(*parts)  # type: ignore[arg-type]


@for_release
def scope(cmd: ReleaseShow, ctx: Context, rel: ReleaseView) -> Reply:
    snap = ctx.snapshot
    entries = snap.scope(rel.id, cmd.day)
    when = f" as of {day(cmd.day)}" if cmd.day else ""
    title = f"{rel.name} scope{when}"
    blocks: list[Block] = [Heading(title)]
    if not entries:
        msg = (
            messages.no_history_before(rel.name, day(cmd.day))
            if cmd.day
            else f"No modifications are recorded for {rel.name}."
        )
        blocks.append(Paragraph(spans(msg)))
        return Reply(title, tuple(blocks), command=cmd.text)
    grouped: dict[str, list[tuple[ModView, ScopeChangeView]]] = {}
    for mod_id, change in entries.items():
        mod = snap.mod_by_id[mod_id]
        group = "cr" if mod.kind == "CR" and change.state in ("targeted", "approved") else change.state
        grouped.setdefault(group, []).append((mod, change))
    labels = dict(STATE_LABEL, cr="DCC Change Requests alongside the release")
    counts = Counter({k: len(v) for k, v in grouped.items()})
    blocks.append(
        Paragraph(
            spans(
                ", ".join(
                    f"{counts[k]} {k if k != 'cr' else 'change requests'}"
                    for k in ("approved", "targeted", "cr", "removed", "moved")
                    if counts[k]
                )
            )
        )
    )
    for group in ("approved", "targeted", "cr", "removed", "moved"):
        rows = sorted(grouped.get(group, []), key=lambda mc: mc[0].ref)
        if rows:
            blocks.append(
                Items(
                    tuple(mod_line(snap, mod, change) for mod, change in rows), title=f"{labels[group]} ({len(rows)})"
                )
            )
    if not cmd.day:
        blocks.append(
            Note(
                spans(
                    "Earlier states: ",
                    code(f"/release {rel.slug} scope as of <date>"),
                    " · ",
                    code(f"/release {rel.slug} history"),
                )
            )
        )
    return Reply(title, tuple(blocks), command=cmd.text)


def _derivation(snap: Snapshot, ms: MilestoneView) -> str:
    if ms.derived_from_id is None:
        return ""
    base = snap.milestone_by_id.get(ms.derived_from_id)
    return f"{ms.offset_wd} WD after “{base.title}”" if base else f"{ms.offset_wd} WD after another milestone"


def _milestone_line(snap: Snapshot, ms: MilestoneView, today: date, with_release: bool = False) -> Spans:
    parts: list[object] = [b(milestone_when(ms)), f" · {ms.title}"]
    if ms.modification_id is not None:
        parts.append(f" ({snap.mod_by_id[ms.modification_id].ref})")
    if with_release and ms.release_id is not None:
        parts.append(f" · {snap.release_by_id[ms.release_id].name}")
    if derived := _derivation(snap, ms):
        parts.append(i(f" · derived: {derived}"))
    if ms.state != "planned":
        parts.append(f" · {ms.state}")
    parts.append(f" · {milestone_relative(snap.calendar, today, ms)}")
    if ms.notes:
        parts.append(f" — {ms.notes}")
    return spans(*parts)  # type: ignore[arg-type]


@for_release
def timeline(cmd: ReleaseShow, ctx: Context, rel: ReleaseView) -> Reply:
    snap = ctx.snapshot
    items = snap.milestones_by_release.get(rel.id, [])
    title = f"{rel.name} timeline"
    blocks: list[Block] = [Heading(title)]
    if not items:
        blocks.append(Paragraph(spans(f"No milestones are recorded for {rel.name}; go-live is {day(rel.go_live)}.")))
    else:
        blocks.append(Items(tuple(_milestone_line(snap, ms, ctx.today) for ms in items)))
        blocks.append(Note(spans("WD = Working Days (England & Wales) counted from today, ", day(ctx.today), ".")))
    return Reply(title, tuple(blocks), command=cmd.text)
