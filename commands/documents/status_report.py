"""The monthly Modification Status Report, rebuilt from the state for any month.

Open modifications by phase (with a bar chart), new ones, the month's decisions, highlights per
Working Group, the releases ahead, and a progress chart of phases by month. Everything is read
as of the report's date (`phases.month_window`), so December 2016 reads as it did then.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

from commands.documents.model import (
    Bar,
    BarChart,
    Block,
    Bullets,
    Document,
    Figure,
    Paragraph,
    ProgressChart,
    ProgressRow,
    Section,
    Table,
)
from commands.documents.phases import OPEN, PHASE_LABELS, implementation_of, month_window, phase_on
from commands.documents.rid import ref_order
from domain.calendar import local_date
from domain.format import day
from domain.snapshot import Snapshot
from domain.views import DecisionView, ModView

__all__ = ["open_by_phase", "progress_chart", "status_report_document"]

_MEETING_KINDS = (
    "working_group",
    "panel_meeting",
    "change_board",
    "consultation_close",
    "assessment_due",
    "withdrawal",
)
_PHRASES = {
    "Development": "in Development (initial Modification Report)", "Refinement": "in Refinement", "Report": "in the Report Phase",
    "Change Board": "at the Change Board", "Authority decision": "awaiting the Authority's decision",
    "Pending implementation": "approved and pending implementation",
}  # fmt: skip
HORIZON_DAYS = 730  # releases going live within two years of the report are "ahead"


def _mods(snapshot: Snapshot) -> list[ModView]:
    return sorted((m for m in snapshot.mod_by_id.values() if m.kind != "CR"), key=lambda m: ref_order(m.ref))


def open_by_phase(snapshot: Snapshot, as_of: date) -> dict[str, list[ModView]]:
    """Open modifications on `as_of`, grouped by phase in process order."""
    grouped: dict[str, list[ModView]] = {phase: [] for phase in OPEN}
    for mod in _mods(snapshot):
        phase = phase_on(snapshot, mod, as_of)
        if phase in grouped:
            grouped[phase].append(mod)
    return grouped


def _name(mod: ModView) -> str:
    return f"{mod.ref} ‘{mod.title}’" if mod.title and mod.title != mod.ref else mod.ref


def _new(snapshot: Snapshot, start: date, as_of: date) -> list[ModView]:
    """Raised in the period: its first dated phase falls in it and is Development (where every proposal starts)."""
    found = []
    for mod in _mods(snapshot):
        dated = [p for p in snapshot.phase_history.get(mod.id, []) if p.effective is not None]
        if dated and start <= dated[0].effective <= as_of and dated[0].phase == "Development":  # type: ignore[operator]
            found.append(mod)
    return found


def _implementation_text(snapshot: Snapshot, mod: ModView) -> str:
    """`Implementation on Wed 14 Dec 2016: 5 Working Days after ... on ..., which is 10 Working Days after ...`."""
    parts = []
    for ms in implementation_of(snapshot, mod):
        text = f"Implementation on {day(local_date(ms.due_at))}"
        link = ": "
        current = ms
        while current.derived_from_id and (base := snapshot.milestone_by_id.get(current.derived_from_id)) is not None:
            text += f"{link}{current.offset_wd} Working Days after “{base.title}” on {day(local_date(base.due_at))}"
            link, current = ", which is ", base
        parts.append(text + ".")
    return " ".join(parts)


def _decision_line(snapshot: Snapshot, d: DecisionView) -> str:
    mod = snapshot.mod_by_id.get(d.modification_id) if d.modification_id is not None else None
    rel = snapshot.release_by_id.get(d.release_id) if d.release_id is not None else None
    when = (
        day(d.decided_on)
        if d.decided_on
        else f"Date not stated (reported {day(d.reported_on)})"
        if d.reported_on
        else "Undated"
    )
    by = f" by the {d.body}" if d.body else ""
    subject = _name(mod) if mod else rel.name if rel else ""
    line = f"{when}: {subject} {d.outcome}{by}." if subject else f"{when}: {d.body or 'A'} decision ({d.outcome})."
    impl = _implementation_text(snapshot, mod) if mod is not None and d.outcome == "approved" else ""
    return f"{line} {impl or d.text}".rstrip()


def _highlights(snapshot: Snapshot, groups: dict[str, list[ModView]], start: date, as_of: date) -> list[Section]:
    by_wg: dict[str, list[tuple[str, ModView]]] = {}
    for phase, mods in groups.items():
        for mod in mods:
            if mod.working_group:
                by_wg.setdefault(mod.working_group, []).append((phase, mod))
    sections = []
    for wg in sorted(by_wg):
        term = snapshot.glossary.get(wg.lower())
        title = f"Working Group {wg.removeprefix('WG')}" if wg.startswith("WG") else wg
        blocks: list[Block] = [Paragraph(term.meaning)] if term else []
        lines = []
        for phase, mod in sorted(by_wg[wg], key=lambda pm: ref_order(pm[1].ref)):
            news = (
                mod.status_note
                if mod.status_note and mod.status_date and start <= mod.status_date <= as_of
                else "no update recorded for this period."
            )
            lines.append(f"{_name(mod)} ({PHASE_LABELS[phase]}): {news}")
        blocks.append(Bullets(tuple(lines)))
        sections.append(Section(f"{title} ({wg})" if title != wg else wg, tuple(blocks), level=2))
    return sections


def _releases_ahead(snapshot: Snapshot, as_of: date) -> list[Section]:
    out = []
    for rel in snapshot.upcoming():
        if not as_of < rel.go_live <= as_of + timedelta(days=HORIZON_DAYS):
            continue
        live = sorted(
            (
                (snapshot.mod_by_id[mid], c)
                for mid, c in snapshot.scope(rel.id, as_of).items()
                if c.state in ("approved", "targeted")
            ),
            key=lambda mc: ref_order(mc[0].ref),
        )
        docs: dict[int, list[str]] = {}
        for d in snapshot.doc_impacts_by_release.get(rel.id, []):
            docs.setdefault(d.modification_id, []).append(d.document)
        parties = snapshot.party_impacts.get(rel.id, {})
        dcc = {True: "DCC System impacting", False: "document-only", None: "DCC System impact not stated"}[
            rel.dcc_system_impacting
        ]
        blocks: list[Block] = [Paragraph(f"Go-live {day(rel.go_live)} · {dcc}.")]
        if live:
            rows = tuple(
                (m.ref, c.state.capitalize(), ", ".join(docs.get(m.id, [])), ", ".join(parties.get(m.id, [])))
                for m, c in live
            )
            blocks.append(Table(("Modification", "Status", "Documents", "Systems"), rows, widths=(1.1, 0.9, 2.2, 1.8)))
        else:
            blocks.append(Paragraph("No modifications were in its scope on the report date."))
        out.append(Section(rel.name, tuple(blocks), level=2))
    return out


def progress_chart(snapshot: Snapshot, as_of: date, months_before: int = 9, months_after: int = 6) -> ProgressChart:
    """Each open modification's phase month by month (as recorded at each month's end), with its milestones."""
    first = as_of.replace(day=1)
    months = []
    for k in range(-months_before, months_after + 1):
        y, m = divmod(first.month - 1 + k, 12)
        months.append(date(first.year + y, m + 1, 1))
    ends = [min((mo.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1), as_of) for mo in months]
    rows = []
    for mods in open_by_phase(snapshot, as_of).values():
        for mod in mods:
            phases = tuple(
                phase_on(snapshot, mod, end) if mo <= first else None for mo, end in zip(months, ends, strict=False)
            )
            events = tuple(
                (local_date(ms.due_at), ms.title)
                for ms in snapshot.milestones_by_mod.get(mod.id, [])
                if months[0] <= local_date(ms.due_at)
            )
            rows.append(ProgressRow(f"{mod.ref} {mod.title}"[:40], phases, events))
    return ProgressChart(
        f"Progress of open modifications to {day(as_of)}", tuple(months), tuple(rows), OPEN, today=as_of
    )


def status_report_document(snapshot: Snapshot, month: date, today: date) -> Document:
    """The Modification Status Report for the month starting `month`."""
    start, as_of = month_window(snapshot, month, today)
    groups = open_by_phase(snapshot, as_of)
    total = sum(len(v) for v in groups.values())
    label = month.strftime("%B %Y")
    counts = Counter({phase: len(mods) for phase, mods in groups.items()})
    summary = [
        Paragraph(f"Where the SEC Modification Proposals stood on {day(as_of)}, with what happened from {day(start)} onwards. "
                  "Rebuilt by releasebot from the release store."),
        Paragraph(f"There were {total} open modifications: " + "; ".join(f"{counts[p]} {_PHRASES[p]}" for p in OPEN) + "."),
    ]  # fmt: skip
    chart = BarChart(
        f"Open modifications by phase, {day(as_of)}", tuple(Bar(p, counts[p]) for p in OPEN), "Modifications"
    )
    table = Table(
        ("Phase", "Count", "Modifications"),
        (
            *tuple((PHASE_LABELS[p], str(counts[p]), ", ".join(m.ref for m in groups[p])) for p in OPEN),
            ("Total open", str(total), ""),
        ),
        widths=(2, 0.6, 3.4),
    )
    new = _new(snapshot, start, as_of)
    new_blocks: tuple[Block, ...] = (
        (Bullets(tuple(f"{_name(m)}: {m.summary}" if m.summary else _name(m) for m in new)),)
        if new
        else (Paragraph("No new modifications were raised in this period."),)
    )
    decisions = sorted(
        (d for d in snapshot.decisions if d.day is not None and start <= d.day <= as_of),
        key=lambda d: (d.day or start, d.id),
    )
    decided: tuple[Block, ...] = (
        (Bullets(tuple(_decision_line(snapshot, d) for d in decisions)),)
        if decisions
        else (Paragraph("No decisions were recorded in this period."),)
    )
    meetings = [
        ms
        for ms in snapshot.milestones
        if ms.kind in _MEETING_KINDS and start <= local_date(ms.due_at) <= as_of + timedelta(days=31)
    ]
    meeting_rows = tuple((day(local_date(ms.due_at)), ms.title, ms.notes) for ms in meetings)
    sections = [
        Section("1. Summary", tuple(summary)),
        Section("1.1 Status of open modifications", (table, Figure(chart, f"Open modifications by phase on {day(as_of)}.")), level=2),
        Section("1.2 New modifications", new_blocks, level=2),
        Section("1.3 Decisions", decided, level=2),
        Section("2. Highlights", (Paragraph("Open modifications per Working Group, with the news recorded in this period."),)),
        *_highlights(snapshot, groups, start, as_of),
        Section("Meetings and deadlines", (Table(("Date", "What", "Notes"), meeting_rows, widths=(1.1, 2.4, 2.5)) if meeting_rows else Paragraph("None recorded."),), level=2),
        Section("3. Modification progress", (Figure(progress_chart(snapshot, as_of), "Phase of each open modification at the end of each month, as recorded then; markers are dated milestones."),)),
        Section("4. Release contents", (Paragraph("Releases going live in the next two years and the modifications targeted at or approved for them."),)),
        *_releases_ahead(snapshot, as_of),
    ]  # fmt: skip
    title = f"Modification Status Report: {label}"
    facts = (
        ("Report date", day(as_of)),
        ("Period", f"{day(start)} to {day(as_of)}"),
        ("State version", str(snapshot.version)),
    )
    return Document(
        "status-report",
        title,
        f"SEC Modification Proposals as of {day(as_of)}",
        tuple(sections),
        facts=facts,
        issued=as_of,
        footer=title,
    )
