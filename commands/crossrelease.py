"""Views across every release: deadlines due, what is targeted but undecided, the decisions log,
and a modification's impacts wherever it appears.

The papers answer these one release at a time; the secretariat asks them across releases
("what is due next week", "what still needs a decision"), so each view walks the whole snapshot.
"""

from __future__ import annotations

from calendar import monthrange
from datetime import date, timedelta

from commands.context import Context
from commands.language import CrossView
from domain.calendar import local_date
from domain.format import day, day_or_month, milestone_relative, milestone_when, relative
from domain.reply import Block, Heading, Items, Note, Paragraph, Reply, Spans, b, code, i, spans
from domain.snapshot import Snapshot
from domain.views import DecisionView, MilestoneView, ModView, ReleaseView

__all__ = ["CUTOFF_KINDS", "DECIDED_PHASES", "decisions", "due", "due_window", "mod_impact_blocks", "targeted"]

DUE_LIMIT = 100
DECISION_LIMIT = 200
# A decision in one of these phases settles a modification: it is no longer "targeted, undecided".
DECIDED_PHASES = frozenset({"approved", "rejected", "withdrawn", "implemented"})
# Milestones that close a release to late decisions, in the order they apply.
CUTOFF_KINDS = ("notice_cutoff", "authority_decision")
_FALLBACK_KINDS = (("go_no_go", "go/no-go"), ("go_live", "go-live"))


def due_window(cmd: CrossView, ctx: Context) -> tuple[date, date | None, str]:
    """(first day, last day or None for open-ended, words for the heading)."""
    today = ctx.today
    cal = ctx.snapshot.calendar
    if cmd.n is not None:
        end = cal.add(today, cmd.n)
        return today, end, f"in the next {cmd.n} Working Days (to {day(end)})"
    monday = today - timedelta(days=today.weekday())
    if cmd.option == "this-week":
        return monday, monday + timedelta(days=6), f"this week ({day(monday)} to {day(monday + timedelta(days=6))})"
    if cmd.option == "next-week":
        start = monday + timedelta(days=7)
        return start, start + timedelta(days=6), f"next week ({day(start)} to {day(start + timedelta(days=6))})"
    if cmd.option in ("this-month", "next-month"):
        year, month = today.year, today.month
        if cmd.option == "next-month":
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        start, end = date(year, month, 1), date(year, month, monthrange(year, month)[1])
        return start, end, f"{'this' if cmd.option == 'this-month' else 'next'} month ({start:%B %Y})"
    return today, None, f"from today, {day(today)}"


def _where(snap: Snapshot, ms: MilestoneView) -> str:
    parts = []
    if ms.modification_id is not None:
        parts.append(snap.mod_by_id[ms.modification_id].ref)
    if ms.release_id is not None:
        parts.append(snap.release_by_id[ms.release_id].name)
    return " · ".join(parts)


def due(cmd: CrossView, ctx: Context) -> Reply:
    """Every milestone in the window, soonest first, with the Working Days to go."""
    snap = ctx.snapshot
    start, end, words = due_window(cmd, ctx)
    found = [
        ms for ms in snap.milestones
        if ms.state != "cancelled" and local_date(ms.due_at) >= start and (end is None or local_date(ms.due_at) <= end)
    ]  # fmt: skip
    title = f"Due {words}"
    blocks: list[Block] = [Heading(title)]
    if not found:
        blocks.append(Paragraph(spans(f"Nothing is due {words}.")))
        blocks.append(Note(spans("Try ", code("/release due"), " for every deadline from today.")))
        return Reply(title, tuple(blocks), command=cmd.text)
    lines = []
    for ms in found[:DUE_LIMIT]:
        where = _where(snap, ms)
        state = f" · {ms.state}" if ms.state != "planned" else ""
        when = milestone_relative(snap.calendar, ctx.today, ms)
        lines.append(
            spans(b(milestone_when(ms)), f" · {ms.title}", f" · {where}" if where else "", state, " · ", b(when))
        )
    blocks.append(Paragraph(spans(f"{len(found)} milestone{'s' if len(found) != 1 else ''}, soonest first.")))
    blocks.append(Items(tuple(lines)))
    if len(found) > DUE_LIMIT:
        blocks.append(Note(spans(f"Showing the first {DUE_LIMIT}; narrow it with ", code("/release due 20 WD"), ".")))
    blocks.append(Note(spans("WD = Working Days (England & Wales) counted from today, ", day(ctx.today), ".")))
    return Reply(title, tuple(blocks), command=cmd.text)


def _decided(mod: ModView) -> bool:
    return (mod.phase or "").lower() in DECIDED_PHASES


def _cutoff(snap: Snapshot, rel: ReleaseView, today: date) -> Spans:
    """The cut-off that applies to a release: a stated cut-off milestone, else what closes the door."""
    milestones = [ms for ms in snap.milestones_by_release.get(rel.id, []) if ms.state != "cancelled"]
    for kind in CUTOFF_KINDS:
        for ms in milestones:
            if ms.kind == kind:
                when = local_date(ms.due_at)
                return spans("cut-off: ", b(day(when)), f" {ms.title} ({relative(snap.calendar, today, when)})")
    for kind, label in _FALLBACK_KINDS:
        for ms in milestones:
            if ms.kind == kind:
                when = local_date(ms.due_at)
                return spans(
                    f"no cut-off recorded; {label} ", b(day(when)), f" ({relative(snap.calendar, today, when)})"
                )
    return spans(
        "no cut-off recorded; go-live ", b(day(rel.go_live)), f" ({relative(snap.calendar, today, rel.go_live)})"
    )


def _next_step(snap: Snapshot, rel: ReleaseView, mod: ModView, today: date) -> str:
    for ms in snap.milestones_by_mod.get(mod.id, []):
        when = local_date(ms.due_at)
        if ms.state == "planned" and when >= today and ms.release_id in (rel.id, None):
            return f" — next: {ms.title}, {day(when)} ({relative(snap.calendar, today, when)})"
    return ""


def targeted(cmd: CrossView, ctx: Context) -> Reply:
    """Targeted but not yet decided, per release (upcoming ones unless `all`), with the cut-off."""
    snap = ctx.snapshot
    every = cmd.option == "all"
    title = "Targeted, not yet decided" + (" (every release)" if every else "")
    blocks: list[Block] = [Heading(title)]
    total = 0
    skipped = 0
    for rel in sorted(snap.releases, key=lambda r: r.go_live):
        rows = sorted(
            (snap.mod_by_id[mid] for mid, c in snap.scope(rel.id).items() if c.state == "targeted"),
            key=lambda mod: mod.ref,
        )
        rows = [mod for mod in rows if mod.kind != "CR" and not _decided(mod)]
        if not rows:
            continue
        if rel.go_live < ctx.today and not every:
            skipped += len(rows)
            continue
        total += len(rows)
        heading = spans(
            b(rel.name), " ", code(rel.slug), f" · go-live {day(rel.go_live)} · ", *_cutoff(snap, rel, ctx.today)
        )
        blocks.append(Paragraph(heading))
        lines = tuple(
            spans(
                b(mod.ref),
                f" {mod.title}",
                f" · {mod.phase}" if mod.phase else "",
                _next_step(snap, rel, mod, ctx.today),
            )
            for mod in rows
        )
        blocks.append(Items(lines, title=f"{len(rows)} targeted"))
    if total == 0:
        blocks.append(
            Paragraph(
                spans("Nothing targeted is waiting for a decision" + ("." if every else " in an upcoming release."))
            )
        )
    else:
        blocks.insert(
            1, Paragraph(spans(f"{total} modification{'s' if total != 1 else ''} targeted and still to be decided."))
        )
    if skipped:
        blocks.append(
            Note(
                spans(
                    f"{skipped} more sit in releases already past their go-live: ", code("/release targeted all"), "."
                )
            )
        )
    return Reply(title, tuple(blocks), command=cmd.text)


def _subject(snap: Snapshot, d: DecisionView) -> str:
    if d.modification_id is not None:
        mod = snap.mod_by_id[d.modification_id]
        return mod.ref if mod.title in ("", mod.ref) else f"{mod.ref} {mod.title}"
    if d.release_id is not None:
        return snap.release_by_id[d.release_id].name
    return ""


def _decision_line(snap: Snapshot, d: DecisionView) -> Spans:
    if d.decided_on:
        when = spans(b(day_or_month(d.decided_on, d.precision)))
    else:
        when = spans(b("date not stated"), i(f" (reported {day(d.reported_on)})") if d.reported_on else "")
    subject = _subject(snap, d)
    return spans(
        *when,
        f" · {d.body or 'body not stated'} · {d.outcome}",
        f" · {subject}" if subject else "",
        f" — {d.text}" if d.text else "",
    )


def decisions(cmd: CrossView, ctx: Context) -> Reply:
    """The decisions log, newest first (a decision without a date counts from when it was reported)."""
    snap = ctx.snapshot
    since = cmd.day
    rows = [d for d in snap.decisions if since is None or (d.day is not None and d.day >= since)]
    rows.sort(key=lambda d: (d.day or date.min, d.id), reverse=True)
    title = "Decisions" + (f" since {day(since)}" if since else "")
    blocks: list[Block] = [Heading(title)]
    if not rows:
        blocks.append(Paragraph(spans("No decisions are recorded" + (f" since {day(since)}." if since else "."))))
        return Reply(title, tuple(blocks), command=cmd.text)
    blocks.append(Paragraph(spans(f"{len(rows)} decision{'s' if len(rows) != 1 else ''}, newest first.")))
    blocks.append(Items(tuple(_decision_line(snap, d) for d in rows[:DECISION_LIMIT])))
    if len(rows) > DECISION_LIMIT:
        blocks.append(
            Note(
                spans(
                    f"Showing the newest {DECISION_LIMIT}; narrow it with ",
                    code("/release decisions since <date>"),
                    ".",
                )
            )
        )
    return Reply(title, tuple(blocks), command=cmd.text)


def mod_impact_blocks(snap: Snapshot, mod: ModView) -> list[Block]:
    """Which parties and SEC documents a modification touches, release by release."""
    blocks: list[Block] = []
    parties = []
    for rel in sorted(snap.releases, key=lambda r: r.go_live):
        ticked = snap.party_impacts.get(rel.id, {}).get(mod.id)
        if ticked:
            parties.append(spans(b(rel.name), ": ", ", ".join(ticked)))
    if parties:
        blocks.append(Items(tuple(parties), title="Parties it affects"))
    docs: dict[str, list[str]] = {}
    for d in snap.doc_impacts_by_mod.get(mod.id, []):
        name = f"{d.document} {d.document_title}".strip()
        where = docs.setdefault(name, [])
        owner = snap.release_by_id.get(d.release_id) if d.release_id is not None else None
        if owner is not None and owner.name not in where:
            where.append(owner.name)
    if docs:
        lines = tuple(spans(b(name), f" · {', '.join(where)}" if where else "") for name, where in sorted(docs.items()))
        blocks.append(Items(lines, title="SEC documents it changes"))
    return blocks
