"""Release changes: a new release (with its go-live milestone), and its status, go-live or DCC flag.

A new release is undone by deleting it with its go-live milestone (refused once anything else
refers to it: scope history, a poll). A field set is undone by putting the old value back; a new
go-live date moves the stated go-live milestone and what is derived from it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import select

from domain.calendar import LONDON, local_date, london_to_utc
from domain.format import day
from domain.kinds import MilestoneKind, MilestoneOrigin
from domain.record import When, effective_note
from domain.record_refusals import NothingToSet, ReleaseExists, SlugTaken
from store import models as m
from store.changes import lookups
from store.changes.audit import Changed, record
from store.changes.inverses import Delete, Inverse, Restore
from store.changes.milestones import recompute_derived
from store.uow import UnitOfWork

__all__ = ["NewRelease", "SetRelease", "release_name"]

_FIELDS = ("due_at", "all_day", "state")


def release_name(slug: str) -> str:
    """`june-2023` -> `June 2023 SEC Release`, the papers' name for a release."""
    month, _, year = slug.partition("-")
    return f"{month.capitalize()} {year} SEC Release"


def _kind(dcc: bool | None) -> str:
    return {True: "DCC System impacting", False: "document-only", None: "DCC impact not stated"}[dcc]


@dataclass(frozen=True)
class NewRelease:
    """`/release new <slug> go-live <date> [dcc|document-only] ["name"]`."""

    actor: str
    slug: str
    go_live: date
    dcc: bool | None = None
    name: str = ""
    effective: When | None = None

    async def apply(self, uow: UnitOfWork) -> Changed:
        session = uow.session
        name = self.name or release_name(self.slug)
        found = (await session.exec(select(m.Release).where(m.Release.slug == self.slug))).first()
        if found is not None:
            raise ReleaseExists(found.slug, found.name)
        named = (await session.exec(select(m.Release).where(m.Release.name == name))).first()
        if named is not None:
            raise SlugTaken(name, named.slug)
        rel = m.Release(slug=self.slug, name=name, go_live=self.go_live, dcc_system_impacting=self.dcc)
        session.add(rel)
        await session.flush()
        ms = m.Milestone(
            key=await _free_key(uow, f"{self.slug}/go-live"),
            release_id=rel.id,
            kind=MilestoneKind.go_live.value,
            title=f"{name.removesuffix(' SEC Release')} release go-live",
            due_at=london_to_utc(self.go_live),
            origin=MilestoneOrigin.stated.value,
            notes=f"added by {self.actor}",
        )
        session.add(ms)
        await session.flush()
        summary = f"Created {name} (`{self.slug}`), go-live {day(self.go_live)}, {_kind(self.dcc)}"
        summary += effective_note(self.effective, local_date(uow.now))
        return await record(uow, self.actor, "release.new", summary, [Delete.of(ms), Delete.of(rel)])


async def _free_key(uow: UnitOfWork, base: str) -> str:
    key, n = base, 1
    while (await uow.session.exec(select(m.Milestone).where(m.Milestone.key == key))).first() is not None:
        n += 1
        key = f"{base}-{n}"
    return key


@dataclass(frozen=True)
class SetRelease:
    """`/release <slug> set status <status>` | `set go-live <date>` | `set dcc yes|no`."""

    actor: str
    slug: str
    field: str  # status | go_live | dcc
    status: str = ""
    go_live: date | None = None
    dcc: bool | None = None
    effective: When | None = None

    async def apply(self, uow: UnitOfWork) -> Changed:
        session = uow.session
        rel = await lookups.release(session, self.slug)
        undo: list[Inverse] = []
        if self.field == "status":
            _differs(rel.name, "status", rel.status, self.status)
            undo.append(Restore.of(rel, "status"))
            rel.status = self.status
            what = f"status {self.status}"
        elif self.field == "dcc":
            _differs(rel.name, "DCC System impact", _kind(rel.dcc_system_impacting), _kind(self.dcc))
            undo.append(Restore.of(rel, "dcc_system_impacting"))
            rel.dcc_system_impacting = self.dcc
            what = _kind(self.dcc)
        elif self.field == "go_live" and self.go_live is not None:
            _differs(rel.name, "go-live", day(rel.go_live), day(self.go_live))
            undo.append(Restore.of(rel, "go_live"))
            what = f"go-live {day(rel.go_live)} → {day(self.go_live)}"
            rel.go_live = self.go_live
            await self._move_go_live(uow, rel, undo)
        else:
            raise ValueError(f"no release field {self.field}")  # the parser gives only the three
        session.add(rel)
        await session.flush()
        summary = f"Set {rel.name}: {what}" + effective_note(self.effective, local_date(uow.now))
        return await record(uow, self.actor, "release.set", summary, undo)

    async def _move_go_live(self, uow: UnitOfWork, rel: m.Release, undo: list[Inverse]) -> None:
        """The stated go-live milestones follow the release's date, and what derives from them."""
        assert self.go_live is not None
        session = uow.session
        rows = (
            await session.exec(
                select(m.Milestone).where(
                    m.Milestone.release_id == rel.id,
                    m.Milestone.kind == MilestoneKind.go_live.value,
                    m.Milestone.origin == MilestoneOrigin.stated.value,
                )
            )
        ).all()
        for ms in rows:
            undo.append(Restore.of(ms, *_FIELDS))
            ms.due_at = london_to_utc(self.go_live, None if ms.all_day else ms.due_at.astimezone(LONDON).time())
            session.add(ms)
        await session.flush()
        if rows:
            await recompute_derived(session, await lookups.calendar(session), undo)


def _differs(subject: str, name: str, old: str, new: str) -> None:
    if old == new:
        raise NothingToSet(subject, name, new)
