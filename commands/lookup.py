"""Read handlers for `/mod <ref>`, `find` and `glossary`."""

from __future__ import annotations

from collections.abc import Iterable

from commands import messages
from commands.context import Context
from commands.crossrelease import mod_impact_blocks
from commands.language import Find, Glossary, ModShow
from commands.suggest import close_words, error_reply, mod_or_error
from commands.terms import document_entry
from domain.format import STATE_LABEL, day, day_or_month, milestone_relative, milestone_when, yes_no
from domain.reply import Block, Facts, Heading, Items, Note, Paragraph, Reply, Spans, b, code, i, link, spans
from domain.snapshot import Snapshot
from domain.views import DecisionView, Hit, ModView, ScopeChangeView

__all__ = ["find", "glossary", "show_mod"]


def _decision_line(snap: Snapshot, d: DecisionView) -> Spans:
    when = day_or_month(d.decided_on, d.precision) if d.decided_on else "date not stated"
    reported = "" if d.decided_on or not d.reported_on else f" (reported {day(d.reported_on)})"
    return spans(b(when), f" {d.body or 'Decision'}: {d.outcome}", reported, f" — {d.text}" if d.text else "")


def show_mod(cmd: ModShow, ctx: Context) -> Reply:
    snap = ctx.snapshot
    mod = mod_or_error(cmd, snap)
    if isinstance(mod, Reply):
        return mod
    title = f"{mod.ref} {mod.title}"
    facts: list[tuple[str, Spans]] = []
    if cmd.ref != mod.ref:
        facts.append(("Also known as", spans(cmd.ref)))
    elif mod.aliases:
        facts.append(("Also known as", spans(", ".join(mod.aliases))))
    facts.append(("Path", spans(mod.path or "not stated")))
    facts.append(("Phase", spans(mod.phase or "not stated")))
    if mod.working_group:
        facts.append(("Working Group", spans(mod.working_group)))
    facts.append(("DCC System impact", spans(yes_no(mod.dcc_impact))))
    decisions = snap.decisions_by_mod.get(mod.id, [])
    latest = max(
        (d for d in decisions if d.outcome not in ("requested", "noted")),
        key=lambda d: (d.day is not None, d.day),
        default=None,
    )
    facts.append(("Decision", _decision_line(snap, latest) if latest else spans("none recorded")))
    blocks: list[Block] = [Heading(title), Facts(tuple(facts))]
    if mod.summary:
        blocks.append(Paragraph(spans(mod.summary)))
    if mod.status_note:
        when = f" ({day(mod.status_date)})" if mod.status_date else ""
        blocks.append(Paragraph(spans(b(f"Status{when}:"), f" {mod.status_note}")))
    blocks.extend(_releases_of(snap, mod))
    if len(decisions) > 1 or (decisions and decisions[0] is not latest):
        blocks.append(Items(tuple(_decision_line(snap, d) for d in decisions), title="Decisions"))
    milestones = snap.milestones_by_mod.get(mod.id, [])
    if milestones:
        lines = tuple(
            spans(
                b(milestone_when(ms)),
                f" · {ms.title}",
                f" · {milestone_relative(snap.calendar, ctx.today, ms)}",
            )
            for ms in milestones
        )
        blocks.append(Items(lines, title="Milestones"))
    blocks.extend(mod_impact_blocks(snap, mod))  # parties and documents, release by release
    if mod.url:
        blocks.append(Note(spans(link("Modification page", mod.url))))
    return Reply(title, tuple(blocks), command=cmd.text)


def _releases_of(snap: Snapshot, mod: ModView) -> list[Block]:
    changes = snap.changes_by_mod.get(mod.id, [])
    if not changes:
        return [Paragraph(spans(i("It has not been in any release's scope.")))]
    by_release: dict[int, list[ScopeChangeView]] = {}
    for c in changes:
        by_release.setdefault(c.release_id, []).append(c)
    lines = []
    for release_id in sorted(by_release, key=lambda rid: snap.release_by_id[rid].go_live):
        rel = snap.release_by_id[release_id]
        history = by_release[release_id]
        last = history[-1]
        state = STATE_LABEL.get(last.state, last.state).split(" (")[0].lower()
        if last.state == "moved" and last.moved_to_release_id:
            state = f"moved to {snap.release_by_id[last.moved_to_release_id].name}"
        steps = " → ".join(f"{c.state} {day_or_month(c.effective, c.precision)}" for c in history)
        lines.append(spans(b(rel.name), " ", code(rel.slug), f": {state}", i(f" ({steps})")))
    return [Items(tuple(lines), title="Releases it has been in")]


_KIND_TITLES = {
    "release": "Releases",
    "modification": "Modifications",
    "document": "SEC documents changed",
    "milestone": "Milestones",
    "impact": "Impacts",
    "party": "Participant impacts",
    "glossary": "Glossary",
    "source": "Papers",
}


def _where(snap: Snapshot, mod_id: int) -> str:
    names = []
    for release_id, change in ((c.release_id, c) for c in snap.changes_by_mod.get(mod_id, [])):
        current = snap.current_scope.get(release_id, {}).get(mod_id)
        if current is change:
            names.append(f"{snap.release_by_id[release_id].slug} ({change.state})")
    return ", ".join(names)


def _hit_line(snap: Snapshot, hit: Hit) -> Spans:
    if hit.kind == "modification" and hit.modification_id is not None:
        where = _where(snap, hit.modification_id)
        return spans(
            b(snap.mod_by_id[hit.modification_id].ref),
            f" {snap.mod_by_id[hit.modification_id].title}",
            f" · {where}" if where else "",
        )
    if hit.kind == "document" and hit.modification_id is not None:
        mod = snap.mod_by_id[hit.modification_id]
        rel = snap.release_by_id.get(hit.release_id) if hit.release_id is not None else None
        return spans(b(hit.label), f" · {mod.ref} {mod.title}", f" · {rel.name}" if rel else "")
    if hit.kind == "release" and hit.release_id is not None:
        rel = snap.release_by_id[hit.release_id]
        return spans(b(rel.name), " ", code(rel.slug), f" · go-live {day(rel.go_live)}")
    if hit.kind == "milestone":
        rel = snap.release_by_id.get(hit.release_id) if hit.release_id is not None else None
        ms = next((m for m in snap.milestones if m.key == hit.detail), None)
        when = milestone_when(ms) if ms else ""
        return spans(b(when), f" · {hit.label}", f" · {rel.name}" if rel else "")
    if hit.kind == "impact" and hit.release_id is not None:
        return spans(b(snap.release_by_id[hit.release_id].name), f" · {hit.label}")
    if hit.kind == "party" and hit.release_id is not None and hit.modification_id is not None:
        mod = snap.mod_by_id[hit.modification_id]
        return spans(b(hit.label), f" · {mod.ref} {mod.title} · {snap.release_by_id[hit.release_id].name}")
    if hit.kind == "source":
        src = next((s for s in snap.sources.values() if s.key == hit.detail), None)
        if src is not None:
            issued = f" · issued {day(src.issued)}" if src.issued else ""
            return spans(b(src.title), f" · {src.author}" if src.author else "", issued)
    return spans(hit.label)


def find(cmd: Find, ctx: Context) -> Reply:
    snap = ctx.snapshot
    query = cmd.words.strip()
    hits, more = snap.find(query)
    title = f"“{query}”"
    if not hits:
        words = close_words(query, _vocabulary(snap), 3)
        return error_reply(
            cmd.text, f"Nothing in the release store mentions “{query}”.", words, usage="/release find <words>"
        )
    grouped: dict[str, list[Spans]] = {}
    releases_touched: set[int] = set()
    for hit in hits:
        grouped.setdefault(hit.kind, []).append(_hit_line(snap, hit))
        if hit.release_id is not None:
            releases_touched.add(hit.release_id)
        if hit.modification_id is not None:
            releases_touched.update(c.release_id for c in snap.changes_by_mod.get(hit.modification_id, []))
    blocks: list[Block] = [Heading(f"Found {title}")]
    if more:
        blocks.append(
            Note(spans(f"Showing the first {len(hits)} matches; there are more. Add words to narrow the search."))
        )
    if releases_touched:
        names = sorted((snap.release_by_id[r] for r in releases_touched), key=lambda r: r.go_live)
        blocks.append(Paragraph(spans(b("Releases touched: "), ", ".join(f"{r.name}" for r in names))))
    for kind, heading in _KIND_TITLES.items():
        lines = grouped.get(kind)
        if lines:
            unique = tuple(dict.fromkeys(lines))
            blocks.append(Items(unique, title=f"{heading} ({len(unique)})"))
    return Reply(f"Found {title}", tuple(blocks), command=cmd.text)


def _vocabulary(snap: Snapshot) -> Iterable[str]:
    words: set[str] = set()
    for g in snap.glossary.values():
        words.add(g.term.lower())
    for docs in snap.doc_impacts_by_mod.values():
        words.update(d.document.lower() for d in docs)
    for mod in list(snap.mod_by_id.values())[:5000]:
        words.update(w.lower() for w in mod.title.split() if len(w) > 3)
    return words


def glossary(cmd: Glossary, ctx: Context) -> Reply:
    snap = ctx.snapshot
    term = cmd.term.strip()
    if not term:
        acronyms = tuple(
            spans(b(g.term), f" {g.meaning}")
            for g in sorted(snap.glossary.values(), key=lambda g: g.term.lower())
            if g.kind == "acronym"
        )
        defined = tuple(
            spans(b(g.term), f": {g.meaning}")
            for g in sorted(snap.glossary.values(), key=lambda g: g.term.lower())
            if g.kind != "acronym"
        )
        blocks: list[Block] = [Heading("Glossary")]
        if acronyms:
            blocks.append(Items(acronyms, title="Acronyms"))
        if defined:
            blocks.append(Items(defined, title="Defined terms"))
        return Reply("Glossary", tuple(blocks), command=cmd.text)
    found = snap.glossary.get(term.lower())
    if found is None and (document := document_entry(snap, term, cmd.text)) is not None:
        return document  # a SEC document's title when the term is a document's name
    if found is None:
        partial = [g for g in snap.glossary.values() if term.lower() in g.term.lower()]
        if len(partial) == 1:
            found = partial[0]
        else:
            options = [g.term for g in partial][:3] or [
                snap.glossary[k].term for k in close_words(term, snap.glossary, 3)
            ]
            return error_reply(cmd.text, messages.unknown_glossary_term(term), options, usage="/release glossary")
    return Reply(found.term, (Heading(found.term), Paragraph(spans(found.meaning))), command=cmd.text)
