"""The glossary's fallback: a term that is not defined may be the name of a SEC document.

The impact matrices name documents by code ("DUIS", "Appendix O") with their titles, so a reader
asking what "Appendix O" or "CHTS" is gets the title and the modifications that change it.
"""

from __future__ import annotations

from domain.reply import Block, Heading, Items, Note, Paragraph, Reply, b, code, spans
from domain.snapshot import Snapshot

__all__ = ["document_entry", "document_names"]


def document_names(snap: Snapshot) -> dict[str, tuple[str, str]]:
    """Lower-cased document code and title -> (code, title), for every document an impact names."""
    names: dict[str, tuple[str, str]] = {}
    for impacts in snap.doc_impacts_by_mod.values():
        for d in impacts:
            entry = (d.document, d.document_title or names.get(d.document.lower(), ("", ""))[1])
            names[d.document.lower()] = entry
            if d.document_title:
                names.setdefault(d.document_title.lower(), entry)
    return names


def document_entry(snap: Snapshot, term: str, command: str) -> Reply | None:
    """The answer for a SEC document named by code or title, or None when no impact names it."""
    found = document_names(snap).get(" ".join(term.lower().split()))
    if found is None:
        return None
    doc, title = found
    refs = sorted(
        {
            snap.mod_by_id[mod_id].ref
            for mod_id, impacts in snap.doc_impacts_by_mod.items()
            for d in impacts
            if d.document == doc
        }
    )
    heading = f"{doc} {title}".strip() if title and title.lower() != doc.lower() else doc
    blocks: list[Block] = [
        Heading(heading),
        Paragraph(
            spans(
                b(doc),
                f" is the SEC document “{title}”." if title else " is a SEC document named in the impact matrices.",
            )
        ),
    ]
    if refs:
        blocks.append(
            Items(
                tuple(spans(b(ref), f" {snap.mod_by_ref[ref].title}") for ref in refs),
                title="Modifications that change it",
            )
        )
    blocks.append(
        Note(
            spans("Not a glossary term; taken from the SEC document impacts. More: ", code(f"/release find {doc}"), ".")
        )
    )
    return Reply(heading, tuple(blocks), command=command)
