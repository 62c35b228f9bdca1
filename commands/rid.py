"""Read handlers for the sections of a Release Implementation Document: impacts, costs,
acceptance criteria, history and changes since a date, and the RID itself rebuilt from state."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import date

from commands.context import Context
from commands.language import ReleaseShow
from commands.releases import for_release, mod_line, source_title
from domain.content import ReleaseContent
from domain.format import day, day_or_month, gbp
from domain.reply import Block, Heading, Items, Note, Paragraph, Reply, Spans, Table, b, i, spans
from domain.snapshot import Snapshot
from domain.views import History, ReleaseView

__all__ = ["changes", "costs", "criteria", "history", "impacts"]


def _as_of(title: str, day_: date | None) -> str:
    return f"{title} as of {day(day_)}" if day_ is not None else title


def _party_table(snap: Snapshot, content: ReleaseContent) -> Table | None:
    matrix = content.party_matrix
    if not matrix:
        return None
    rows = []
    for mod_id in sorted(matrix, key=lambda mid: snap.mod_by_id[mid].ref):
        ticked = set(matrix[mod_id])
        rows.append((snap.mod_by_id[mod_id].ref, *("✓" if p in ticked else "" for p in content.parties)))
    return Table(("Modification", *content.parties), tuple(rows), title="Participant impact matrix")


def _document_table(snap: Snapshot, content: ReleaseContent) -> tuple[Table, list[tuple[str, str]]] | None:
    if not content.documents:
        return None
    docs: list[str] = []
    titles: dict[str, str] = {}
    mods: list[int] = []
    ticks: set[tuple[str, int]] = set()
    for d in content.documents:
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


def _numbers(rows: Sequence[History], day_: date | None) -> dict[int, int]:
    """Row id -> the number `cost <n>` and `summary <n>` use: its place in the list shown now
    (the store counts the same rows); an earlier day's list has no numbers."""
    return {} if day_ is not None else {r.id: n for n, r in enumerate(rows, start=1)}


def _summary_lines(numbers: dict[int, int], content: ReleaseContent, audience: str) -> tuple[Spans, ...]:
    return tuple(
        spans(*((b(f"{numbers[s.id]}."), " ") if s.id in numbers else ()), b(s.area), f": {s.text}")
        for s in content.summaries
        if s.audience == audience
    )


def _impact_blocks(snap: Snapshot, rel: ReleaseView, day_: date | None, option: str | None) -> list[Block]:
    content = snap.content(rel.id, day_)
    numbers = _numbers(content.summaries, day_)
    blocks: list[Block] = []
    if option in (None, "parties"):
        table = _party_table(snap, content)
        blocks.append(table if table else Paragraph(spans(f"No participant impacts are recorded for {rel.name}.")))
        for audience, title in (("party", "SEC Party impacts"), ("dcc", "DCC impacts")):
            if lines := _summary_lines(numbers, content, audience):
                blocks.append(Items(lines, title=title))
    if option in (None, "documents"):
        found = _document_table(snap, content)
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
    """The matrices and summaries in force on the day asked (now by default), for the scope then."""
    snap = ctx.snapshot
    what = {None: "impacts", "parties": "participant impacts", "documents": "SEC document impacts"}[cmd.option]
    title = _as_of(f"{rel.name} {what}", cmd.day)
    return Reply(title, (Heading(title), *_impact_blocks(snap, rel, cmd.day, cmd.option)), command=cmd.text)


def _cost_lines(snap: Snapshot, rel: ReleaseView, content: ReleaseContent, day_: date | None) -> tuple[Spans, ...]:
    numbers = _numbers(content.costs, day_)
    lines = []
    for c in content.costs:
        n = (b(f"{numbers[c.id]}."), " ") if c.id in numbers else ()
        effort = f" · {c.effort_days:g} days' effort" if c.effort_days is not None else ""
        due = f" · due to {snap.mod_by_id[c.modification_id].ref}" if c.modification_id is not None else ""
        note = f" — {c.note}" if c.note else ""
        lines.append(spans(*n, b(c.payer), f" {c.category}: ", b(gbp(c.amount_gbp)), effort, due, note))
    return tuple(lines)


@for_release
def costs(cmd: ReleaseShow, ctx: Context, rel: ReleaseView) -> Reply:
    snap = ctx.snapshot
    title = _as_of(f"{rel.name} costs", cmd.day)
    content = snap.content(rel.id, cmd.day)
    lines = _cost_lines(snap, rel, content, cmd.day)
    if not lines:
        return Reply(
            title, (Heading(title), Paragraph(spans(f"No costs are recorded for {rel.name}."))), command=cmd.text
        )
    by_payer: Counter[str] = Counter()
    for c in content.costs:
        by_payer[c.payer] += c.amount_gbp or 0
    totals = " · ".join(f"{payer} {gbp(total)}" for payer, total in by_payer.items())
    return Reply(title, (Heading(title), Items(lines), Note(spans(f"Stated amounts: {totals}"))), command=cmd.text)


@for_release
def criteria(cmd: ReleaseShow, ctx: Context, rel: ReleaseView) -> Reply:
    title = _as_of(f"{rel.name} acceptance criteria", cmd.day)
    items = ctx.snapshot.content(rel.id, cmd.day).criteria
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
