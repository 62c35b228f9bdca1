"""Scope changes: target, approve, remove or move one modification in one release.

Each is a typed change that reads the facts in the database, asks the pure scope rules
(`domain.scope`) what history to append, appends it, and records the inverse: the new history
rows are retracted on undo (never deleted), or, when the change created the modification, the
rows and the modification are deleted with it.
"""

from __future__ import annotations

import abc
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import ClassVar

from domain import scope as rules
from domain.calendar import local_date
from domain.limits import check_text
from domain.record import When, effective_note
from domain.refusals import UnknownModification
from domain.rules import Rules
from domain.scope import ScopeFacts, Step
from store import models as m
from store.changes import lookups
from store.changes.audit import Changed, record
from store.changes.inverses import Delete, Inverse, Retract
from store.changes.notice import check_dcc_lead, check_freeze
from store.uow import UnitOfWork

__all__ = ["ApproveScope", "MoveScope", "RemoveFromScope", "TargetScope"]


@dataclass(frozen=True)
class _ScopeChange(abc.ABC):
    actor: str
    slug: str
    ref: str
    effective: date
    reason: str = ""
    precision: str = "day"  # of `effective`: "month" when given as `effective Dec 2020`
    by_exception: str = ""  # after the release's freeze: why (else the change is refused)
    rules: Rules | None = None  # the notice periods (None: not checked)
    confirmed: bool = False  # a DCC System impacting addition inside the DCC lead time: go ahead

    action: ClassVar[str]
    rule: ClassVar[Callable[[ScopeFacts], list[Step]]]

    async def _modification(self, uow: UnitOfWork) -> tuple[m.Modification, bool]:
        """(the modification, whether this change created it)."""
        mod = await lookups.modification(uow.session, self.ref)
        if mod is None:
            raise UnknownModification(self.ref)
        return mod, False

    async def _target(self, uow: UnitOfWork) -> m.Release | None:
        return None

    @abc.abstractmethod
    def _summary(self, facts: ScopeFacts) -> str:
        """What the audit log says it did."""

    async def apply(self, uow: UnitOfWork) -> Changed:
        session = uow.session
        check_text("reason", self.reason)
        check_text("title", getattr(self, "title", None))
        rel = await lookups.release(session, self.slug)
        mod, created = await self._modification(uow)
        assert rel.id is not None and mod.id is not None
        here = lookups.place(rel, await lookups.latest_scope(session, rel.id, mod.id))
        target = await self._target(uow)
        there = None
        if target is not None:
            assert target.id is not None
            there = lookups.place(target, await lookups.latest_scope(session, target.id, mod.id))
        elsewhere = None if rules.is_live(here.state) else await lookups.live_elsewhere(session, mod.id, rel.id)
        facts = ScopeFacts(mod.ref, here, elsewhere, there)
        steps = type(self).rule(facts)
        await self._notice(uow, facts, steps, {r.id: r for r in (rel, target) if r is not None}, mod)
        rows = [
            m.ScopeChange(
                release_id=step.release_id,
                modification_id=mod.id,
                state=step.state,
                moved_to_release_id=step.moved_to_release_id,
                effective=self.effective,
                precision=self.precision,
                reason=self.reason,
                note=step.note,
                by_exception=self.by_exception,
                actor=self.actor,
                recorded_at=uow.now,
            )
            for step in steps
        ]
        session.add_all(rows)
        await session.flush()
        inverse: list[Inverse]
        if created:  # undo removes the modification with its only history (the audit keeps the record)
            inverse = [*(Delete.of(row) for row in rows), Delete.of(mod)]
        else:
            inverse = [Retract(tuple(int(row.id) for row in rows if row.id is not None))]
        summary = self._summary(facts) + (f", by exception: {self.by_exception}" if self.by_exception else "")
        summary += effective_note(When(self.effective, self.precision), local_date(uow.now))
        return await record(uow, self.actor, f"scope.{self.action}", summary, inverse)

    async def _notice(
        self,
        uow: UnitOfWork,
        facts: ScopeFacts,
        steps: list[Step],
        releases: dict[int | None, m.Release],
        mod: m.Modification,
    ) -> None:
        """Every release whose scope changes must not be frozen (or the change says why); a DCC
        System impacting modification newly in a release inside its DCC lead time is confirmed first."""
        for release_id in dict.fromkeys(step.release_id for step in steps):
            await check_freeze(uow.session, releases[release_id], self.effective, self.by_exception, self.rules)
        for step in steps:
            before = facts.target if facts.target and step.release_id == facts.target.id else facts.release
            if rules.is_live(step.state) and not rules.is_live(before.state):
                rel = releases[step.release_id]
                await check_dcc_lead(uow.session, rel, mod, self.effective, self.rules, self.confirmed)


@dataclass(frozen=True)
class TargetScope(_ScopeChange):
    """Target it for the release; a modification new to the store is created with its title."""

    title: str | None = None
    action: ClassVar[str] = "add"
    rule: ClassVar[Callable[[ScopeFacts], list[Step]]] = staticmethod(rules.target)

    async def _modification(self, uow: UnitOfWork) -> tuple[m.Modification, bool]:
        mod = await lookups.modification(uow.session, self.ref)
        if mod is not None:
            return mod, False
        if not self.title:
            raise UnknownModification(self.ref)
        mod = m.Modification(ref=self.ref, title=self.title)
        uow.session.add(mod)
        await uow.session.flush()
        return mod, True

    def _summary(self, facts: ScopeFacts) -> str:
        return f"Targeted {facts.ref} in {facts.release.name}"


@dataclass(frozen=True)
class ApproveScope(_ScopeChange):
    action: ClassVar[str] = "approve"
    rule: ClassVar[Callable[[ScopeFacts], list[Step]]] = staticmethod(rules.approve)

    def _summary(self, facts: ScopeFacts) -> str:
        added = "" if rules.is_live(facts.release.state) else " (it was not in scope; added as approved)"
        return f"Approved {facts.ref} in {facts.release.name}{added}"


@dataclass(frozen=True)
class RemoveFromScope(_ScopeChange):
    action: ClassVar[str] = "remove"
    rule: ClassVar[Callable[[ScopeFacts], list[Step]]] = staticmethod(rules.remove)

    def _summary(self, facts: ScopeFacts) -> str:
        return f"Removed {facts.ref} in {facts.release.name}: {self.reason}"


@dataclass(frozen=True)
class MoveScope(_ScopeChange):
    to_slug: str | None = None
    action: ClassVar[str] = "move"
    rule: ClassVar[Callable[[ScopeFacts], list[Step]]] = staticmethod(rules.move)

    async def _target(self, uow: UnitOfWork) -> m.Release | None:
        return None if self.to_slug is None else await lookups.release(uow.session, self.to_slug)

    def _summary(self, facts: ScopeFacts) -> str:
        assert facts.target is not None
        because = f": {self.reason}" if self.reason else ""
        return f"Moved {facts.ref} from {facts.release.name} to {facts.target.name}{because}"
