"""The RID laid out as a document, in the order and with the sections of the Panel's RIDs."""

from __future__ import annotations

from commands.documents.glossary import annotate, used_terms
from commands.documents.model import Block, Bullets, Cell, Document, Paragraph, Section, Table
from commands.documents.rid import CostRow, RidModel, ScopeItem, TimetableRow
from domain.format import day, gbp

__all__ = ["TICK", "rid_document", "rid_title"]

TICK = "✓"


def rid_title(name: str) -> str:
    """`June 2021 SEC Release` -> `June 2021 SEC Release Implementation Document` (never "Release Release")."""
    return f"{name} Implementation Document" if name.endswith("Release") else f"{name} Release Implementation Document"


def _subtitle(rid: RidModel) -> str:
    if rid.version is not None and rid.as_of is not None:
        return f"Version {rid.version} · {day(rid.as_of)}"
    if rid.as_of is not None:
        last = f"; latest version then {rid.versions[-1][0]}" if rid.versions else ""
        return f"As recorded on {day(rid.as_of)}{last}"
    if rid.latest_version is not None:
        return f"Working draft after version {rid.latest_version[0]} · {day(rid.built_on)}"
    return f"Working draft · {day(rid.built_on)}"


def _about(rid: RidModel) -> Section:
    dcc = {
        True: "It changes the DCC Systems.",
        False: "It is a document-only release: the DCC Systems do not change.",
        None: "",
    }
    lines = [
        (
            f"This Smart Energy Code (SEC) Release Implementation Document (RID) describes the {rid.name}: what is in scope, "
            "what it changes for participants and documents, the implementation timetable and test strategy, the central "
            "costs, and the criteria to be met before go-live. It is revised as the release takes shape."
        ),
        f"Go-live is planned for {day(rid.go_live)}. {dcc[rid.dcc_system_impacting]}".strip(),
    ]
    if rid.version is not None:
        source = f"It shows the release as recorded when version {rid.version} was issued on {day(rid.as_of or rid.built_on)}."
    elif rid.as_of is not None:
        source = f"It shows the release as recorded on {day(rid.as_of)}."
    else:
        source = "It shows the release as the store records it today."
    lines.append(
        f"{source} Rebuilt by releasebot on {day(rid.built_on)} from the release store (state version {rid.state_version})."
    )
    return Section("About this document", tuple(Paragraph(text) for text in lines))


def _proposal(item: ScopeItem) -> str:
    title = f" ‘{item.title}’" if item.title else ""
    return f"{item.ref}{title}: {item.summary}" if item.summary else f"{item.ref}{title} (no summary recorded)."


def _scope(rid: RidModel) -> list[Section]:
    when = f" on {day(rid.as_of)}" if rid.as_of else ""
    mods = [s for s in rid.scope if s.kind != "CR"]
    approved = [s for s in mods if s.state == "approved"]
    targeted = [s for s in mods if s.state == "targeted"]
    crs = [s for s in rid.scope if s.kind == "CR" and s.state in ("approved", "targeted")]
    out = [
        Section(
            "1. Scope",
            (
                Paragraph(
                    f"The Modification Proposals in the release{when}, and any DCC Change Requests planned beside it."
                ),
            ),
        )
    ]
    out.append(Section("Approved Modification Proposals", (
        (Bullets(tuple(_proposal(s) for s in approved)),) if approved else (Paragraph(f"No Modification Proposal was approved for this release{when}."),)
    ), level=2))  # fmt: skip
    blocks: list[Block] = []
    if targeted:
        blocks.append(
            Paragraph("These proposals go into the release if a decision to approve them comes by their cut-off date:")
        )
        blocks.append(Bullets(tuple(_proposal(s) for s in targeted)))
    else:
        blocks.append(Paragraph(f"No Modification Proposal was targeted at this release{when}."))
    out.append(Section("Targeted Modification Proposals", tuple(blocks), level=2))
    if crs:
        cr_blocks: tuple[Block, ...] = (
            Paragraph(
                "These DCC Change Requests are planned to go in beside the release; they are not part of it, so their impacts are not set out here:"
            ),
            Bullets(tuple(f"{s.ref} ‘{s.title}’" if s.title else s.ref for s in crs)),
        )
    else:
        cr_blocks = (
            Paragraph(
                "No DCC Change Requests are planned beside this release. Such requests are not part of a SEC Release, and this document does not cover them."
            ),
        )
    out.append(Section("DCC Change Requests", cr_blocks, level=2))
    if rid.notes:
        out.append(Section("Notes from the release record", (Paragraph(rid.notes),), level=2))
    return out


def _ticks(columns: tuple[str, ...], ticked: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(TICK if c in ticked else "" for c in columns)


def _summary_table(first: str, rows: tuple[tuple[str, tuple[str, ...]], ...]) -> Table:
    return Table((first, "Summary of impacts"), tuple((area, texts) for area, texts in rows), widths=(1, 3))


def _impacts(rid: RidModel) -> list[Section]:
    out = [Section("2. Impacts", (Paragraph(
        "What the changes in this release mean for participants and their systems, for SEC documents and for other "
        "industry codes. It assumes every targeted proposal is approved."
    ),))]  # fmt: skip
    if rid.party_rows:
        matrix: Block = Table(
            ("Modification", *rid.parties), tuple((ref, *_ticks(rid.parties, t)) for ref, t in rid.party_rows)
        )
    else:
        matrix = Paragraph("No participant impacts are recorded for the proposals in scope.")
    out.append(Section("Participant impact matrix", (matrix,), level=2))
    if rid.party_summaries:
        out.append(Section("SEC Party impacts", (_summary_table("Participant", rid.party_summaries),), level=2))
    if rid.dcc_summaries:
        out.append(Section("DCC impacts", (_summary_table("Area impacted", rid.dcc_summaries),), level=2))
    if rid.documents:
        refs = rid.document_refs
        blocks: tuple[Block, ...] = (
            Paragraph("These SEC documents change in this release:"),
            Bullets(tuple(f"{doc} ‘{title}’" if title else doc for doc, title in rid.documents)),
            Paragraph("The matrix below shows which proposal changes which document."),
        )
        out.append(Section("SEC document impacts", blocks, level=2))
        out.append(
            Section(
                "SEC document impact matrix",
                (Table(("Document", *refs), tuple((doc, *_ticks(refs, t)) for doc, t in rid.document_ticks)),),
                level=2,
            )
        )
    else:
        out.append(
            Section(
                "SEC document impacts",
                (Paragraph("No SEC document impacts are recorded for the proposals in scope."),),
                level=2,
            )
        )
    out.append(
        Section(
            "Other code impacts",
            (Paragraph("No impacts on other industry codes are recorded for this release."),),
            level=2,
        )
    )
    return out


def _timetable(rid: RidModel) -> list[Section]:
    rows = tuple((day(r.day), r.event, r.notes) for r in rid.timetable)
    intro = "The release's own milestones, as planned."
    if rid.mod_milestones:
        intro += " Milestones of the individual proposals are listed in Annex A."
    out = [
        Section("3. Implementation timetable", (Paragraph(intro),)),
        Section(
            "Release implementation timetable",
            (Table(("Date", "Event", "Notes"), rows, widths=(1.2, 2.2, 2.6)),),
            level=2,
        ),
    ]
    if rid.derived:
        out.append(Section("Deadlines that follow by rule", (
            Paragraph("Counted in Working Days (England and Wales bank holidays and holidays added to the store excluded)."),
            Table(("Date", "Deadline", "Rule"), tuple((day(r.day), r.event, r.derived_from) for r in rid.derived), widths=(1.2, 2.4, 2.4)),
        ), level=2))  # fmt: skip
    return out


def _cost_rows(costs: list[CostRow]) -> tuple[tuple[Cell, ...], ...]:
    rows = []
    for c in costs:
        what = c.category[:1].upper() + c.category[1:] + (f" (due to {c.ref})" if c.ref else "")
        effort = f"{c.effort_days:g} days" if c.effort_days is not None else ""
        rows.append((what, effort, gbp(c.amount_gbp), c.note))
    return tuple(rows)


def _costs(rid: RidModel) -> list[Section]:
    out = [
        Section(
            "5. Costs",
            (
                Paragraph(
                    "The costs the DCC and the Smart Energy Code Administrator and Secretariat (SECAS) expect to incur in implementing this release."
                ),
            ),
        )
    ]
    payers = ["DCC", "SECAS", *sorted({c.payer for c in rid.costs} - {"DCC", "SECAS"})]
    totals: list[tuple[Cell, ...]] = []
    grand = 0
    for payer in payers:
        mine = [c for c in rid.costs if c.payer == payer]
        if not mine and payer not in ("DCC", "SECAS"):
            continue
        if mine:
            block: Block = Table(("Cost", "Effort", "Amount", "Notes"), _cost_rows(mine), widths=(1.6, 0.8, 0.9, 2.7))
        else:
            block = Paragraph(f"No {payer} costs are recorded for this release.")
        out.append(Section(f"{payer} costs", (block,), level=2))
        subtotal = sum(c.amount_gbp or 0 for c in mine)
        grand += subtotal
        totals.append((payer, gbp(subtotal)))
    totals.append(("Total", gbp(grand)))
    note = (
        " Amounts that are not stated count as nothing in the totals."
        if any(c.amount_gbp is None for c in rid.costs)
        else ""
    )
    out.append(
        Section(
            "Total costs",
            (
                Table(("Payer", "Amount"), tuple(totals), widths=(2, 1)),
                Paragraph(f"Stated amounts added up.{note}", style="note"),
            ),
            level=2,
        )
    )
    return out


def _criteria(rid: RidModel) -> list[Section]:
    intro: list[Block] = [Paragraph("The release goes live only once these criteria are met.")]
    if rid.has_opsg_review:
        intro.append(Paragraph(
            "Before go-live the Operations Group checks the release against them and advises the Panel, which then decides "
            "whether the release goes ahead as planned."
        ))  # fmt: skip
    out = [Section("6. Acceptance criteria", tuple(intro))]
    kinds = list(dict.fromkeys(kind for _, kind, _ in rid.criteria))
    for kind in kinds:
        rows = tuple((str(n), text) for n, k, text in rid.criteria if k == kind)
        out.append(
            Section(
                f"{kind[:1].upper() + kind[1:]} acceptance criteria",
                (Table(("No.", "Criterion"), rows, widths=(0.4, 5.6)),),
                level=2,
            )
        )
    if not kinds:
        out.append(
            Section(
                "Acceptance criteria recorded",
                (Paragraph("No acceptance criteria are recorded for this release."),),
                level=2,
            )
        )
    return out


def _annex(rows: tuple[TimetableRow, ...]) -> list[Section]:
    if not rows:
        return []
    table = Table(
        ("Date", "Modification", "Event", "Notes"),
        tuple((day(r.day), r.ref, r.event, r.notes) for r in rows),
        widths=(1.1, 0.9, 2.2, 2.2),
    )
    return [
        Section(
            "Annex A: Modification milestones",
            (Paragraph("Dated steps of the proposals in this release (Working Groups, reports, votes)."), table),
        )
    ]


def rid_document(rid: RidModel) -> Document:
    """The RID as sections: About, 1-6, Annex A, Appendix 1 (versions), Appendix 2 (glossary)."""
    title, subtitle = rid_title(rid.name), _subtitle(rid)
    body = [
        _about(rid), *_scope(rid), *_impacts(rid), *_timetable(rid),
        Section("4. Test strategy", (Paragraph(rid.test_strategy or "No test strategy is recorded for this release."),)),
        *_costs(rid), *_criteria(rid), *_annex(rid.mod_milestones),
    ]  # fmt: skip
    versions: Block = (
        Table(
            ("Version", "Date", "Changes"),
            tuple((v, day(d), changes) for v, d, changes in rid.versions),
            widths=(0.7, 1.2, 4.1),
        )
        if rid.versions
        else Paragraph(
            "No version of this document had been issued by then."
            if rid.as_of
            else "No version of this document has been issued yet."
        )
    )
    body.append(Section("Appendix 1: Version control", (versions,)))
    sections = annotate(body, rid.acronyms, leading=(title, subtitle))
    texts = [title, subtitle, *(t for s in sections for t in Document("rid", "", "", (s,)).texts())]
    terms = used_terms(texts, rid.acronyms)
    glossary: Block = (
        Table(("Acronym", "Full term"), tuple(terms), widths=(1, 4))
        if terms
        else Paragraph("This document uses no acronyms from the glossary.")
    )
    sections = (*sections, Section("Appendix 2: Glossary", (Paragraph("The acronyms this document uses."), glossary)))
    facts = (
        ("Release", rid.name),
        ("Go-live", day(rid.go_live)),
        ("Version", rid.version or "working draft"),
        ("State version", str(rid.state_version)),
    )
    return Document(
        "rid", title, subtitle, sections, facts=facts, issued=rid.as_of or rid.built_on, footer=f"{title} · {subtitle}"
    )
