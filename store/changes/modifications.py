"""Modification changes: a new modification, and its phase, path, Working Group, DCC impact or title.

A new modification is undone by deleting it (refused once history refers to it). A field set is
undone by putting the old value back; a phase set also appends to the phase history (dated by
`effective`, at the precision given), and undo deletes that entry.
"""

from __future__ import annotations

from dataclasses import dataclass

from domain.calendar import local_date
from domain.record import When, effective_note
from domain.record_refusals import ModificationExists, NothingToSet
from domain.refusals import UnknownModification
from domain.words import normalise_ref
from store import models as m
from store.changes import lookups
from store.changes.audit import Changed, record
from store.changes.inverses import Delete, Inverse, Restore
from store.uow import UnitOfWork

__all__ = ["FIELDS", "NewModification", "SetModification", "phase_entry"]

# The field as typed -> (column, how the audit log names it).
FIELDS = {
    "phase": ("phase", "phase"),
    "path": ("path", "path"),
    "wg": ("working_group", "Working Group"),
    "dcc": ("dcc_impact", "DCC System impact"),
    "title": ("title", "title"),
}


def _shown(value: object) -> str:
    if value is None or value == "":
        return "not stated"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def _kind(ref: str) -> str:
    return next((p for p in ("SECMP", "MP", "DP", "CR") if ref.startswith(p)), "MP")


def phase_entry(uow: UnitOfWork, mod: m.Modification, phase: str, when: When) -> m.PhaseChange:
    assert mod.id is not None
    return m.PhaseChange(
        modification_id=mod.id, phase=phase, effective=when.day, precision=when.precision, recorded_at=uow.now
    )


@dataclass(frozen=True)
class NewModification:
    """`/mod new <ref> "title" [path <path>]`."""

    actor: str
    ref: str
    title: str
    path: str | None = None
    effective: When | None = None

    async def apply(self, uow: UnitOfWork) -> Changed:
        session = uow.session
        ref = normalise_ref(self.ref) or self.ref
        found = await lookups.modification(session, ref)
        if found is not None:
            raise ModificationExists(found.ref, found.title)
        mod = m.Modification(ref=ref, title=self.title, kind=_kind(ref), path=self.path or None)
        session.add(mod)
        await session.flush()
        path = f", path {self.path}" if self.path else ""
        summary = f"Recorded {ref} {self.title}{path}" + effective_note(self.effective, local_date(uow.now))
        return await record(uow, self.actor, "mod.new", summary, [Delete.of(mod)])


@dataclass(frozen=True)
class SetModification:
    """`/mod <ref> set phase|path|wg|dcc|title <value>`; `value` is already canonical (the parser's)."""

    actor: str
    ref: str
    field: str  # a key of FIELDS
    value: str | bool | None
    effective: When | None = None

    async def apply(self, uow: UnitOfWork) -> Changed:
        session = uow.session
        mod = await lookups.modification(session, self.ref)
        if mod is None:
            raise UnknownModification(self.ref)
        column, name = FIELDS[self.field]
        old = getattr(mod, column)
        value = None if self.value == "" else self.value
        if old == value:
            raise NothingToSet(mod.ref, name, _shown(value))
        undo: list[Inverse] = [Restore.of(mod, column)]
        setattr(mod, column, value)
        session.add(mod)
        today = local_date(uow.now)
        if column == "phase" and isinstance(value, str):
            entry = phase_entry(uow, mod, value, self.effective or When(today))
            session.add(entry)
            await session.flush()
            undo.insert(0, Delete.of(entry))
        await session.flush()
        summary = f"Set {mod.ref} {name}: {_shown(old)} → {_shown(value)}" + effective_note(self.effective, today)
        return await record(uow, self.actor, "mod.set", summary, undo)
