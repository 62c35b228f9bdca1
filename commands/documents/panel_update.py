"""A draft "SEC Releases Update" paper for the Panel: what changed in each release since a date.

Per upcoming release: the modifications in scope with their current status, the scope changes
since the date, and the recommendation the changes call for. The rules are the Panel's own
habit in these papers: a move between releases needs the Panel to AGREE it, a new RID version
is put to the Panel to BASELINE, and any other change is for the Panel to NOTE. It is a draft
for the secretariat to edit, so the wording is plain and every fact is dated.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from commands.documents.model import Block, Bullets, Document, Paragraph, Section, Table
from commands.documents.rid import ref_order
from commands.documents.rid_layout import rid_title
from domain.format import day, day_or_month
from domain.snapshot import Snapshot
from domain.views import ReleaseView, ScopeChangeView

__all__ = ["Recommendation", "panel_update_document", "recommendations"]


@dataclass(frozen=True, slots=True)
class Recommendation:
    verb: str  # NOTE | BASELINE | AGREE
    release: str
    text: str


def _changes(snapshot: Snapshot, rel: ReleaseView, since: date, today: date) -> list[ScopeChangeView]:
    return [c for c in snapshot.changes_since(rel.id, since) if c.effective <= today]


def recommendations(snapshot: Snapshot, rel: ReleaseView, since: date, today: date) -> list[Recommendation]:
    """What the Panel is asked to do about one release, from what changed since `since`."""
    changes = _changes(snapshot, rel, since, today)
    out = []
    # a move is for the Panel to agree while the proposal is live in the release it moves to;
    # one that release has since dropped again is simply part of the scope update to note
    moves = [c for c in changes if c.state == "moved" and _live_in_target(snapshot, c, today)]
    for c in moves:
        target = snapshot.release_by_id.get(c.moved_to_release_id) if c.moved_to_release_id else None
        ref = snapshot.mod_by_id[c.modification_id].ref
        out.append(
            Recommendation(
                "AGREE",
                rel.name,
                f"the update to the scope of the {rel.name}, moving {ref} to the {target.name if target else 'another release'}",
            )
        )
    versions = [v for v in snapshot.rid_versions.get(rel.id, []) if since <= v.issued <= today]
    if versions:
        out.append(Recommendation("BASELINE", rel.name, f"the {rid_title(rel.name)} (version {versions[-1].version})"))
    if changes and not moves and not versions:
        out.append(Recommendation("NOTE", rel.name, f"the update to the scope of the {rel.name}"))
    return out


def _live_in_target(snapshot: Snapshot, change: ScopeChangeView, today: date) -> bool:
    if change.moved_to_release_id is None:
        return False
    there = snapshot.scope(change.moved_to_release_id, today).get(change.modification_id)
    return there is not None and there.state in ("approved", "targeted")


def _status(snapshot: Snapshot, change: ScopeChangeView) -> str:
    mod = snapshot.mod_by_id[change.modification_id]
    if change.state == "approved":
        return change.note or "Approved for inclusion."
    return change.note or mod.status_note or change.state.capitalize()


def _change_line(snapshot: Snapshot, c: ScopeChangeView) -> str:
    mod = snapshot.mod_by_id[c.modification_id]
    title = f" ‘{mod.title}’" if mod.title and mod.title != mod.ref else ""
    what = {
        "targeted": "targeted at this release",
        "approved": "approved for this release",
        "removed": "taken out of the scope",
        "moved": "moved",
    }[c.state]
    if c.state == "moved" and c.moved_to_release_id is not None:
        target = snapshot.release_by_id.get(c.moved_to_release_id)
        what = f"proposed to move to the {target.name}" if target else what
    return f"{day_or_month(c.effective, c.precision)}: {mod.ref}{title} {what}" + (f". {c.reason}" if c.reason else ".")


def _release_sections(snapshot: Snapshot, rel: ReleaseView, number: int, since: date, today: date) -> list[Section]:
    dcc = {True: "It is expected to change the DCC Systems.", False: "It is a document-only release.", None: ""}[
        rel.dcc_system_impacting
    ]
    blocks: list[Block] = [Paragraph(f"Go-live is planned for {day(rel.go_live)}. {dcc}".strip())]
    scope = sorted(
        (
            (snapshot.mod_by_id[mid], c)
            for mid, c in snapshot.scope(rel.id, today).items()
            if c.state in ("approved", "targeted")
        ),
        key=lambda mc: ref_order(mc[0].ref),
    )
    if scope:
        blocks.append(Paragraph(f"The modifications in scope on {day(today)} and where each stands:"))
        rows = tuple(
            (
                f"{m.ref} ‘{m.title}’" if m.title and m.title != m.ref else m.ref,
                _status(snapshot, c),
                {True: "✓", False: "", None: "not stated"}[m.dcc_impact],
            )
            for m, c in scope
        )
        blocks.append(Table(("Modification", "Current status", "DCC Systems?"), rows, widths=(1.8, 3.6, 0.8)))
    else:
        blocks.append(Paragraph(f"No modifications are in scope on {day(today)}."))
    changes = _changes(snapshot, rel, since, today)
    blocks.append(Paragraph(f"Changes to the scope since {day(since)}:"))
    blocks.append(Bullets(tuple(_change_line(snapshot, c) for c in changes)) if changes else Paragraph("None."))
    asks = recommendations(snapshot, rel, since, today)
    if asks:
        blocks.append(Paragraph("We ask the Panel to " + "; and ".join(f"{r.verb} {r.text}" for r in asks) + "."))
    return [Section(f"{number}. {rel.name}", tuple(blocks))]


def panel_update_document(
    snapshot: Snapshot, since: date, today: date, author: str = "SECAS Team", limit: int = 8
) -> Document:
    """The draft paper: purpose, one section per release going live from today on (the next `limit`), recommendations."""
    ahead = [r for r in snapshot.upcoming() if r.go_live >= today]
    releases = ahead[:limit]
    asks = [a for r in releases for a in recommendations(snapshot, r, since, today)]
    purpose = f"An update on the SEC Releases in preparation, covering what has changed since {day(since)}." + (
        " It asks the Panel to act on the changes set out below." if asks else " Nothing in it needs a Panel decision."
    )
    if len(ahead) > limit:
        purpose += f" It covers the next {limit} releases; {len(ahead) - limit} more go live after {day(releases[-1].go_live)}."
    sections = [Section("1. Purpose", (Paragraph(purpose),))]
    for n, rel in enumerate(releases, start=2):
        sections += _release_sections(snapshot, rel, n, since, today)
    if not releases:
        sections.append(Section("2. Releases", (Paragraph(f"No release goes live on or after {day(today)}."),)))
    final = len(sections) + 1
    lines = tuple(f"{a.verb} {a.text};" for a in asks[:-1]) + ((f"{asks[-1].verb} {asks[-1].text}.",) if asks else ())
    closing: list[Block] = (
        [Paragraph("The Panel is asked to:"), Bullets(lines)] if asks else [Paragraph("No decisions are requested.")]
    )
    closing.append(Paragraph(f"{author} · {day(today)}", style="note"))
    sections.append(Section(f"{final}. Recommendations", tuple(closing)))
    facts = (("Changes since", day(since)), ("Date", day(today)), ("State version", str(snapshot.version)))
    return Document("panel-update", "SEC Releases Update", f"Draft for the SEC Panel · {day(today)}", tuple(sections), facts=facts,
                    toc=False, issued=today, footer="SEC Releases Update (draft)")  # fmt: skip
