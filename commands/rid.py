"""Read handlers for the sections of a Release Implementation Document: impacts, costs,
acceptance criteria, history and changes since a date, and the RID itself rebuilt from state."""

from __future__ import annotations

from collections import Counter
from datetime import date

from commands.context import Context
from commands.language import ReleaseShow
from commands.releases import for_release, mod_line, source_title
from domain.format import day, day_or_month, gbp
from domain.reply import Block, Heading, Items, Note, Paragraph, Reply, Spans, Table, b, i, spans
from domain.snapshot import Snapshot
from domain.views import ReleaseView

__all__ = ["changes", "costs", "criteria", "history", "impacts"]


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


@for_release
def impacts(cmd: ReleaseShow, ctx: Context, rel: ReleaseView) -> Reply:
    snap = ctx.snapshot
    what = {None: "impacts", "parties": "participant impacts", "documents": "SEC document impacts"}[cmd.option]
    title = f"{rel.name} {what}"
    return Reply(title, (Heading(title), *_impact_blocks(snap, rel, cmd.option)), command=cmd.text)


def _cost_lines(snap: Snapshot, rel: ReleaseView) -> tuple[Spans, ...]:
    lines = []
    for c in snap.costs.get(rel.id, []):
        effort = f" · {c.effort_days:g} days' effort" if c.effort_days is not None else ""
        due = f" · due to {snap.mod_by_id[c.modification_id].ref}" if c.modification_id is not None else ""
        lines.append(
            spans(b(c.payer), f" {c.category}: ", b(gbp(c.amount_gbp)), effort, due, f" — {c.note}" if c.note else "")
        )
    return tuple(lines)


@for_release
def costs(cmd: ReleaseShow, ctx: Context, rel: ReleaseView) -> Reply:
    snap = ctx.snapshot
    title = f"{rel.name} costs"
    lines = _cost_lines(snap, rel)
    if not lines:
        return Reply(
            title, (Heading(title), Paragraph(spans(f"No costs are recorded for {rel.name}."))), command=cmd.text
        )
    by_payer: Counter[str] = Counter()
    for c in snap.costs.get(rel.id, []):
        by_payer[c.payer] += c.amount_gbp or 0
    totals = " · ".join(f"{payer} {gbp(total)}" for payer, total in by_payer.items())
    return Reply(title, (Heading(title), Items(lines), Note(spans(f"Stated amounts: {totals}"))), command=cmd.text)


@for_release
def criteria(cmd: ReleaseShow, ctx: Context, rel: ReleaseView) -> Reply:
    snap = ctx.snapshot
    title = f"{rel.name} acceptance criteria"
    items = snap.criteria.get(rel.id, [])
    if not items:
        return Reply(
            title,
            (Heading(title), Paragraph(spans(f"No acceptance criteria are recorded for {rel.name}."))),
            command=cmd.text,
        )
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
            events.append(
                (
                    c.effective,
                    1,
                    spans(
                        b(day_or_month(c.effective, c.precision)),
                        f" {mod.ref} {c.state} · ",
                        *mod_line(snap, mod, c, with_since=False)[1:],
                        i(f" ({source_title(snap, c.source_id) or c.actor})"),
                    ),
                )
            )
    for d in snap.decisions_by_release.get(rel.id, []):
        when = d.day
        if when and (since is None or when >= since):
            events.append((when, 2, spans(b(day(when)), f" {d.body or 'Decision'} {d.outcome}: {d.text}")))
    for v in snap.rid_versions.get(rel.id, []):
        if since is None or v.issued >= since:
            events.append((v.issued, 0, spans(b(day(v.issued)), f" RID v{v.version}: {v.changes}")))
    events.sort(key=lambda e: (e[0], e[1]))
    return events


@for_release
def history(cmd: ReleaseShow, ctx: Context, rel: ReleaseView) -> Reply:
    snap = ctx.snapshot
    title = f"{rel.name} history"
    events = _events(snap, rel, None)
    body: Block = Items(tuple(e[2] for e in events)) if events else Paragraph(spans("No history is recorded."))
    return Reply(title, (Heading(title), body), command=cmd.text)


@for_release
def changes(cmd: ReleaseShow, ctx: Context, rel: ReleaseView) -> Reply:
    snap = ctx.snapshot
    assert cmd.day is not None
    title = f"{rel.name}: changes since {day(cmd.day)}"
    events = _events(snap, rel, cmd.day)
    if not events:
        return Reply(
            title,
            (Heading(title), Paragraph(spans(f"Nothing has changed for {rel.name} since {day(cmd.day)}."))),
            command=cmd.text,
        )
    return Reply(title, (Heading(title), Items(tuple(e[2] for e in events))), command=cmd.text)
