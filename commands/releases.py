"""Read handlers for `/release ...`: pure functions of (command, context) over the snapshot."""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Callable, Iterable
from datetime import date

from commands import messages
from commands.context import Context
from commands.format import STATE_LABEL, day, gbp, milestone_when, relative, yes_no
from commands.parse import Command
from commands.reply import (
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
    Table,
    b,
    code,
    i,
    spans,
)
from commands.suggest import release_or_error
from notifiers.workdays import local_date
from store.snapshot import (
    MilestoneView,
    ModView,
    ReleaseView,
    ScopeChangeView,
    Snapshot,
)

__all__ = [
    "card",
    "changes",
    "costs",
    "criteria",
    "history",
    "impacts",
    "list_releases",
    "rid",
    "scope",
    "timeline",
]

_STATE_ORDER = ("approved", "targeted", "removed", "moved")


def _for_release(view: Callable[[Command, Context, ReleaseView], Reply]) -> Callable[[Command, Context], Reply]:
    """A view of one release: answers "no such release, did you mean" itself."""

    @functools.wraps(view)
    def handler(cmd: Command, ctx: Context) -> Reply:
        rel = release_or_error(cmd, ctx.snapshot)
        return rel if isinstance(rel, Reply) else view(cmd, ctx, rel)

    return handler


def _source(snap: Snapshot, source_id: int | None) -> str:
    src = snap.sources.get(source_id) if source_id is not None else None
    return src.title if src else ""


def _counts(snap: Snapshot, release_id: int) -> Counter[str]:
    return Counter(c.state for c in snap.scope(release_id).values())


def _count_text(counts: Counter[str]) -> str:
    parts = [f"{counts[s]} {s}" for s in _STATE_ORDER if counts[s]]
    return ", ".join(parts) if parts else "no scope recorded"


def list_releases(cmd: Command, ctx: Context) -> Reply:
    snap = ctx.snapshot
    upcoming = [r for r in snap.upcoming() if r.go_live >= ctx.today]
    past = sorted((r for r in snap.releases if r.go_live < ctx.today), key=lambda r: r.go_live, reverse=True)

    def line(r: ReleaseView) -> Spans:
        dcc = {True: " · DCC System impacting", False: " · document-only", None: ""}[r.dcc_system_impacting]
        return spans(
            b(r.name), " ", code(r.slug), f" · go-live {day(r.go_live)}",
            f" ({relative(snap.calendar, ctx.today, r.go_live)})", f" · {r.status}", f" · {_count_text(_counts(snap, r.id))}", dcc,
        )  # fmt: skip

    blocks: list[Block] = [Heading("SEC Releases")]
    blocks.append(Items(tuple(line(r) for r in upcoming), title="Upcoming") if upcoming else Paragraph(spans(i("No upcoming releases in the store."))))
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


@_for_release
def card(cmd: Command, ctx: Context, rel: ReleaseView) -> Reply:
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
        facts.append(("Next milestone", spans(nxt.title, " · ", milestone_when(nxt), f" ({relative(snap.calendar, ctx.today, local_date(nxt.due_at))})")))
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


def _mod_line(snap: Snapshot, mod: ModView, change: ScopeChangeView, with_since: bool = True) -> Spans:
    dcc = " · DCC System impacting" if mod.dcc_impact else ""
    parts: list[object] = [b(mod.ref), f" {mod.title}", dcc]
    if change.state == "moved" and change.moved_to_release_id is not None:
        target = snap.release_by_id.get(change.moved_to_release_id)
        parts.append(f" → {target.name if target else 'another release'}")
    if change.reason:
        parts.append(f" — {change.reason}")
    elif change.note:
        parts.append(f" — {change.note}")
    if with_since:
        src = _source(snap, change.source_id) or change.actor
        parts.append(i(f" (since {day(change.effective)}{', ' + src if src else ''})"))
    return spans(*parts)  # type: ignore[arg-type]


@_for_release
def scope(cmd: Command, ctx: Context, rel: ReleaseView) -> Reply:
    snap = ctx.snapshot
    entries = snap.scope(rel.id, cmd.day)
    when = f" as of {day(cmd.day)}" if cmd.day else ""
    title = f"{rel.name} scope{when}"
    blocks: list[Block] = [Heading(title)]
    if not entries:
        msg = messages.no_history_before(rel.name, day(cmd.day)) if cmd.day else f"No modifications are recorded for {rel.name}."
        blocks.append(Paragraph(spans(msg)))
        return Reply(title, tuple(blocks), command=cmd.text)
    grouped: dict[str, list[tuple[ModView, ScopeChangeView]]] = {}
    for mod_id, change in entries.items():
        mod = snap.mod_by_id[mod_id]
        group = "cr" if mod.kind == "CR" and change.state in ("targeted", "approved") else change.state
        grouped.setdefault(group, []).append((mod, change))
    labels = dict(STATE_LABEL, cr="DCC Change Requests alongside the release")
    counts = Counter({k: len(v) for k, v in grouped.items()})
    blocks.append(Paragraph(spans(", ".join(f"{counts[k]} {k if k != 'cr' else 'change requests'}" for k in ("approved", "targeted", "cr", "removed", "moved") if counts[k]))))
    for group in ("approved", "targeted", "cr", "removed", "moved"):
        rows = sorted(grouped.get(group, []), key=lambda mc: mc[0].ref)
        if rows:
            blocks.append(Items(tuple(_mod_line(snap, mod, change) for mod, change in rows), title=f"{labels[group]} ({len(rows)})"))
    if not cmd.day:
        blocks.append(Note(spans("Earlier states: ", code(f"/release {rel.slug} scope as of <date>"), " · ", code(f"/release {rel.slug} history"))))
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
    parts.append(f" · {relative(snap.calendar, today, local_date(ms.due_at))}")
    if ms.notes:
        parts.append(f" — {ms.notes}")
    return spans(*parts)  # type: ignore[arg-type]


@_for_release
def timeline(cmd: Command, ctx: Context, rel: ReleaseView) -> Reply:
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


def _party_table(snap: Snapshot, rel: ReleaseView) -> Table | None:
    matrix = snap.party_impacts.get(rel.id)
    if not matrix:
        return None
    parties = snap.party_order.get(rel.id, [])
    rows = []
    for mod_id in sorted(matrix, key=lambda mid: snap.mod_by_id[mid].ref):
        ticked = set(matrix[mod_id])
        rows.append((snap.mod_by_id[mod_id].ref, *("✓" if p in ticked else "" for p in parties)))
    return Table(("Modification", *parties), tuple(rows), title="Participant impact matrix")


def _document_table(snap: Snapshot, rel: ReleaseView) -> tuple[Table, list[tuple[str, str]]] | None:
    impacts = snap.doc_impacts_by_release.get(rel.id)
    if not impacts:
        return None
    docs: list[str] = []
    titles: dict[str, str] = {}
    mods: list[int] = []
    ticks: set[tuple[str, int]] = set()
    for d in impacts:
        if d.document not in docs:
            docs.append(d.document)
        titles.setdefault(d.document, d.document_title)
        if d.modification_id not in mods:
            mods.append(d.modification_id)
        ticks.add((d.document, d.modification_id))
    mods.sort(key=lambda mid: snap.mod_by_id[mid].ref)
    rows = tuple((doc, *("✓" if (doc, mid) in ticks else "" for mid in mods)) for doc in docs)
    table = Table(("Document", *(snap.mod_by_id[mid].ref for mid in mods)), rows, title="SEC document impact matrix")
    return table, [(doc, titles[doc]) for doc in docs]


def _impact_blocks(snap: Snapshot, rel: ReleaseView, option: str | None) -> list[Block]:
    blocks: list[Block] = []
    if option in (None, "parties"):
        table = _party_table(snap, rel)
        blocks.append(table if table else Paragraph(spans(f"No participant impacts are recorded for {rel.name}.")))
        summaries = snap.impact_summaries.get(rel.id, [])
        for audience, title in (("party", "SEC Party impacts"), ("dcc", "DCC impacts")):
            lines = tuple(spans(b(area), f": {text}") for aud, area, text in summaries if aud == audience)
            if lines:
                blocks.append(Items(lines, title=title))
    if option in (None, "documents"):
        found = _document_table(snap, rel)
        if found is None:
            blocks.append(Paragraph(spans(f"No SEC document impacts are recorded for {rel.name}.")))
        else:
            table, titles = found
            blocks.append(table)
            named = tuple(spans(b(doc), f" {title}" if title else "") for doc, title in titles if title)
            if named:
                blocks.append(Items(named, title="Documents updated"))
    return blocks


@_for_release
def impacts(cmd: Command, ctx: Context, rel: ReleaseView) -> Reply:
    snap = ctx.snapshot
    what = {None: "impacts", "parties": "participant impacts", "documents": "SEC document impacts"}[cmd.option]
    title = f"{rel.name} {what}"
    return Reply(title, (Heading(title), *_impact_blocks(snap, rel, cmd.option)), command=cmd.text)


def _cost_lines(snap: Snapshot, rel: ReleaseView) -> tuple[Spans, ...]:
    lines = []
    for c in snap.costs.get(rel.id, []):
        effort = f" · {c.effort_days:g} days' effort" if c.effort_days is not None else ""
        due = f" · due to {snap.mod_by_id[c.modification_id].ref}" if c.modification_id is not None else ""
        lines.append(spans(b(c.payer), f" {c.category}: ", b(gbp(c.amount_gbp)), effort, due, f" — {c.note}" if c.note else ""))
    return tuple(lines)


@_for_release
def costs(cmd: Command, ctx: Context, rel: ReleaseView) -> Reply:
    snap = ctx.snapshot
    title = f"{rel.name} costs"
    lines = _cost_lines(snap, rel)
    if not lines:
        return Reply(title, (Heading(title), Paragraph(spans(f"No costs are recorded for {rel.name}."))), command=cmd.text)
    by_payer: Counter[str] = Counter()
    for c in snap.costs.get(rel.id, []):
        by_payer[c.payer] += c.amount_gbp or 0
    totals = " · ".join(f"{payer} {gbp(total)}" for payer, total in by_payer.items())
    return Reply(title, (Heading(title), Items(lines), Note(spans(f"Stated amounts: {totals}"))), command=cmd.text)


@_for_release
def criteria(cmd: Command, ctx: Context, rel: ReleaseView) -> Reply:
    snap = ctx.snapshot
    title = f"{rel.name} acceptance criteria"
    items = snap.criteria.get(rel.id, [])
    if not items:
        return Reply(title, (Heading(title), Paragraph(spans(f"No acceptance criteria are recorded for {rel.name}."))), command=cmd.text)
    kinds = sorted({c.kind for c in items})
    blocks: list[Block] = [Heading(title)]
    for kind in kinds:
        lines = tuple(spans(b(f"{c.number}."), f" {c.text}") for c in items if c.kind == kind)
        blocks.append(Items(lines, title=f"{kind.capitalize()} acceptance criteria"))
    return Reply(title, tuple(blocks), command=cmd.text)


def _events(snap: Snapshot, rel: ReleaseView, since: date | None) -> list[tuple[date, int, Spans]]:
    events: list[tuple[date, int, Spans]] = []
    for c in snap.changes_by_release.get(rel.id, []):
        if since is None or c.effective >= since:
            mod = snap.mod_by_id[c.modification_id]
            events.append((c.effective, 1, spans(b(day(c.effective)), f" {mod.ref} {c.state} · ", *_mod_line(snap, mod, c, with_since=False)[1:], i(f" ({_source(snap, c.source_id) or c.actor})"))))
    for d in snap.decisions_by_release.get(rel.id, []):
        when = d.day
        if when and (since is None or when >= since):
            events.append((when, 2, spans(b(day(when)), f" {d.body or 'Decision'} {d.outcome}: {d.text}")))
    for v in snap.rid_versions.get(rel.id, []):
        if since is None or v.issued >= since:
            events.append((v.issued, 0, spans(b(day(v.issued)), f" RID v{v.version}: {v.changes}")))
    events.sort(key=lambda e: (e[0], e[1]))
    return events


@_for_release
def history(cmd: Command, ctx: Context, rel: ReleaseView) -> Reply:
    snap = ctx.snapshot
    title = f"{rel.name} history"
    events = _events(snap, rel, None)
    body: Block = Items(tuple(e[2] for e in events)) if events else Paragraph(spans("No history is recorded."))
    return Reply(title, (Heading(title), body), command=cmd.text)


@_for_release
def changes(cmd: Command, ctx: Context, rel: ReleaseView) -> Reply:
    snap = ctx.snapshot
    assert cmd.day is not None
    title = f"{rel.name}: changes since {day(cmd.day)}"
    events = _events(snap, rel, cmd.day)
    if not events:
        return Reply(title, (Heading(title), Paragraph(spans(f"Nothing has changed for {rel.name} since {day(cmd.day)}."))), command=cmd.text)
    return Reply(title, (Heading(title), Items(tuple(e[2] for e in events))), command=cmd.text)


def _glossary_for(snap: Snapshot, texts: Iterable[str]) -> list[tuple[str, str]]:
    words: set[str] = set()
    for text in texts:
        words.update(w.strip(".,;:()‘’'\"").upper() for w in text.split())
    return sorted((g.term, g.meaning) for g in snap.glossary.values() if g.kind == "acronym" and g.term.upper() in words)


@_for_release
def rid(cmd: Command, ctx: Context, rel: ReleaseView) -> Reply:
    """The RID's tables, rebuilt from the store: scope, impacts, timetable, tests, costs, criteria."""
    snap = ctx.snapshot
    title = f"{rel.name} Release Implementation Document"
    versions = snap.rid_versions.get(rel.id, [])
    blocks: list[Block] = [Heading(title)]
    if versions:
        blocks.append(Note(spans(f"Rebuilt from the release store; latest recorded RID version v{versions[-1].version} ({day(versions[-1].issued)}).")))
    entries = snap.scope(rel.id)
    texts: list[str] = [rel.notes, rel.test_strategy]
    for state, heading in (("approved", "1. Scope: approved Modification Proposals"), ("targeted", "1. Scope: targeted Modification Proposals")):
        rows = sorted((snap.mod_by_id[mid] for mid, c in entries.items() if c.state == state), key=lambda mod: mod.ref)
        if rows:
            blocks.append(Items(tuple(spans(b(mod.ref), f" {mod.title}", f" — {mod.summary}" if mod.summary else "") for mod in rows), title=heading))
            texts.extend(f"{mod.title} {mod.summary}" for mod in rows)
        else:
            blocks.append(Paragraph(spans(b(heading), ": none.")))
    blocks.append(Paragraph(spans(b("2. Impacts"))))
    blocks.extend(_impact_blocks(snap, rel, None))
    texts.extend(f"{a} {t}" for _, a, t in snap.impact_summaries.get(rel.id, []))
    items = snap.milestones_by_release.get(rel.id, [])
    if items:
        blocks.append(Table(("Date", "Event", "Notes"), tuple((milestone_when(ms), ms.title, ms.notes) for ms in items), title="3. Implementation timetable"))
        texts.extend(f"{ms.title} {ms.notes}" for ms in items)
    blocks.append(Paragraph(spans(b("4. Test strategy"), ": ", rel.test_strategy or "not recorded.")))
    cost_lines = _cost_lines(snap, rel)
    blocks.append(Items(cost_lines, title="5. Costs") if cost_lines else Paragraph(spans(b("5. Costs"), ": none recorded.")))
    crit = snap.criteria.get(rel.id, [])
    if crit:
        blocks.append(Items(tuple(spans(b(f"{c.number}."), f" {c.text}") for c in crit), title="6. Acceptance criteria"))
        texts.extend(c.text for c in crit)
    else:
        blocks.append(Paragraph(spans(b("6. Acceptance criteria"), ": none recorded.")))
    if versions:
        blocks.append(Table(("Version", "Date", "Changes"), tuple((v.version, day(v.issued), v.changes) for v in versions), title="Appendix 1: Version control"))
    terms = _glossary_for(snap, texts + ["RID SEC DCC SECAS"])
    if terms:
        blocks.append(Table(("Acronym", "Full term"), tuple(terms), title="Appendix 2: Glossary"))
    return Reply(title, tuple(blocks), command=cmd.text)
