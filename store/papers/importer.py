"""Importing papers as one audited, undoable change (or a dry run that changes nothing).

The papers go through the same loader as the demo data (`store.seed`), so an imported paper
means exactly what a seeded one does. What it did is found by comparing the release record
before and after, row by row: the rows it added are deleted on undo (children first), the rows
it altered (a release's status, a milestone restated, content rows it ended) are put back. The
same comparison is the preview, so what the dry run shows is what the import does.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlmodel import select

from domain.kinds import MilestoneState
from store import models as m
from store.changes import lookups
from store.changes.audit import Changed, record
from store.changes.inverses import Delete, Inverse, Restore
from store.changes.milestones import recompute_derived
from store.paper_loader import PaperLoader, SeedError
from store.papers.schema import Known, Paper, read_papers
from store.papers.tables import RECORD_TABLES
from store.uow import UnitOfWork

__all__ = ["Added", "Altered", "DryRun", "ImportPapers", "ImportPreview", "ImportRefused", "known"]

Rows = dict[str, dict[int, dict[str, Any]]]


@dataclass(frozen=True)
class Added:
    """A row the import adds: its table and what names it (a slug, a ref, a key...)."""

    table: str
    label: str


@dataclass(frozen=True)
class Altered:
    """A row the import changes: which fields, from what to what."""

    table: str
    label: str
    fields: tuple[tuple[str, Any, Any], ...]


@dataclass(frozen=True)
class ImportPreview:
    """What importing the papers does (or did): data, worded by the caller."""

    loaded: tuple[str, ...]
    skipped: tuple[str, ...]
    added: tuple[Added, ...]
    altered: tuple[Altered, ...]

    def count(self, *tables: str) -> int:
        return sum(1 for a in self.added if a.table in tables)

    @property
    def empty(self) -> bool:
        return not self.added and not self.altered


class DryRun(Exception):  # not an error: it carries the preview out of a rolled-back transaction
    """Raised instead of applying (a dry run, or every paper stored already) so the writer rolls back."""

    def __init__(self, preview: ImportPreview) -> None:
        super().__init__("dry run")
        self.preview = preview


async def known(uow: UnitOfWork) -> Known:
    """Releases, refs and milestone keys in the store, so a paper may use them without listing them."""
    s = uow.session
    refs: set[str] = set()
    for ref, aliases in (await s.exec(select(m.Modification.ref, m.Modification.aliases))).all():
        refs.add(ref)
        refs.update(aliases.split())
    return Known(
        releases=set((await s.exec(select(m.Release.slug))).all()),
        refs=refs,
        milestones=set((await s.exec(select(m.Milestone.key))).all()),
    )


async def _rows(uow: UnitOfWork) -> Rows:
    conn = await uow.connection()
    out: Rows = {}
    for model in RECORD_TABLES:
        table = m.table_of(model)
        out[table.name] = {int(r["id"]): dict(r) for r in (await conn.execute(sa.select(table))).mappings()}
    return out


@dataclass(frozen=True)
class ImportPapers:
    """Load the papers in a file's text that are not stored yet (a stored key is skipped), as one
    audited change; `dry_run` raises `DryRun` with the preview, so the writer rolls it all back.
    A file that is not well formed raises `PaperErrors` (file, line, field) before anything is written."""

    actor: str
    file: str
    text: str
    dry_run: bool = False

    async def apply(self, uow: UnitOfWork) -> tuple[Changed, ImportPreview]:
        session = uow.session
        papers = read_papers(self.text, self.file, await known(uow))
        before = await _rows(uow)
        stored = {row["key"] for row in before["source"].values()}
        todo = [p for p in papers if p.key not in stored]
        await self._holidays(uow, papers)  # from every paper, stored or not: they are the calendar's
        try:
            for paper in todo:
                await PaperLoader(session, paper.data, uow.now).run()
                await self._states(uow, paper)
        except SeedError as exc:
            raise ImportRefused(str(exc)) from None
        except (KeyError, TypeError, ValueError) as exc:  # a shape the checks let through: still no traceback
            raise ImportRefused(f"{self.file}: the loader could not use {exc!r}") from None
        except sa.exc.IntegrityError:
            raise ImportRefused(f"{self.file}: it contradicts what is stored (a key or account used twice)") from None
        await session.flush()
        after = await _rows(uow)
        preview = _compare(before, after, [p.key for p in todo], [p.key for p in papers if p.key in stored])
        if self.dry_run or preview.empty:  # nothing to record: an empty change would sit on the undo stack
            raise DryRun(preview)
        inverse: list[Inverse] = [
            Restore(table, row_id, tuple((name, old) for name, old, _ in fields))
            for table, row_id, fields in _altered_rows(before, after)
        ]
        for model in reversed(RECORD_TABLES):
            name = m.table_of(model).name
            inverse += [Delete(name, row_id) for row_id in sorted(set(after[name]) - set(before[name]), reverse=True)]
        loaded = ", ".join(p.key for p in todo) or "nothing new"
        summary = f"Imported {self.file}: {loaded} ({len(preview.added)} added, {len(preview.altered)} changed)"
        return await record(uow, self.actor, "record.import", summary, inverse), preview

    async def _holidays(self, uow: UnitOfWork, papers: Sequence[Paper]) -> None:
        """One-off holidays first: the papers' derived dates count Working Days with them."""
        session = uow.session
        days = {h.day for h in (await session.exec(select(m.Holiday))).all()}
        added = False
        for paper in papers:
            for item in paper.data.get("holidays") or []:
                if item["date"] not in days:
                    session.add(m.Holiday(day=item["date"], name=str(item["name"]), added_by=self.actor))
                    days.add(item["date"])
                    added = True
        if added:
            await session.flush()
            await recompute_derived(session, await lookups.calendar(session), [])

    async def _states(self, uow: UnitOfWork, paper: Paper) -> None:
        """A milestone the paper says is met or cancelled (the loader leaves every one planned)."""
        items = [*(paper.data.get("milestones") or [])]
        for rel in paper.data.get("releases") or []:
            items += rel.get("milestones") or []
        for item in items:
            if item.get("state") and item["state"] != MilestoneState.planned.value:
                ms = (await uow.session.exec(select(m.Milestone).where(m.Milestone.key == item["key"]))).first()
                if ms is not None:
                    ms.state = item["state"]
                    uow.session.add(ms)


class ImportRefused(ValueError):
    """The papers are well formed but do not fit the store (the loader's own checks)."""


def _altered_rows(before: Rows, after: Rows) -> list[tuple[str, int, tuple[tuple[str, Any, Any], ...]]]:
    out = []
    for table, rows in before.items():
        for row_id, old in rows.items():
            new = after[table].get(row_id)
            if new is not None and new != old:
                fields = tuple((k, old[k], new[k]) for k in old if old[k] != new[k])
                out.append((table, row_id, fields))
    return out


def _label(table: str, row: dict[str, Any], rows: Rows) -> str:
    """What names a row for people: a slug, a ref, a key, or what it is about."""

    def rel(row_id: Any) -> str:
        return str(rows["release"][row_id]["slug"]) if row_id in rows["release"] else "-"

    def mod(row_id: Any) -> str:
        return str(rows["modification"][row_id]["ref"]) if row_id in rows["modification"] else ""

    def day(value: Any) -> str:
        return f" {value:%d %b %Y}" if isinstance(value, date) else ""

    match table:
        case "source":
            return str(row["key"])
        case "release":
            return str(row["slug"])
        case "modification":
            return f"{row['ref']} {row['title']}"
        case "member":
            return str(row["name"])
        case "memberidentity":
            return f"{row['platform']}:{row['user_id']}"
        case "holiday":
            return f"{day(row['day']).strip()} {row['name']}"
        case "phasechange":
            return f"{mod(row['modification_id'])} {row['phase']}"
        case "scopechange":
            to = f" to {rel(row['moved_to_release_id'])}" if row["moved_to_release_id"] else ""
            return f"{rel(row['release_id'])} {mod(row['modification_id'])} {row['state']}{to}"
        case "milestone":
            return f"{row['key']} {row['title']}"
        case "participantimpact":
            return f"{rel(row['release_id'])} {mod(row['modification_id'])} {row['party']}"
        case "impactsummary":
            return f"{rel(row['release_id'])} {row['audience']} {row['area']}"
        case "documentimpact":
            return f"{rel(row['release_id'])} {mod(row['modification_id'])} {row['document']}"
        case "cost":
            amount = f" £{row['amount_gbp']:,}" if row["amount_gbp"] is not None else ""
            return f"{rel(row['release_id'])} {row['payer']} {row['category']}{amount}"
        case "acceptancecriterion":
            return f"{rel(row['release_id'])} {row['number']}"
        case "ridversion":
            return f"{rel(row['release_id'])} v{row['version']}"
        case "decision":
            about = mod(row["modification_id"]) or rel(row["release_id"])
            return f"{row['body'] or '-'} {row['outcome']} {about}{day(row['decided_on'])}"
        case _:
            return str(row.get("term", row["id"]))


def _compare(before: Rows, after: Rows, loaded: list[str], skipped: list[str]) -> ImportPreview:
    added = [
        Added(table, _label(table, after[table][row_id], after))
        for table in after
        for row_id in sorted(set(after[table]) - set(before[table]))
    ]
    altered = [
        Altered(table, _label(table, after[table][row_id], after), fields)
        for table, row_id, fields in _altered_rows(before, after)
    ]
    return ImportPreview(tuple(loaded), tuple(skipped), tuple(added), tuple(altered))
