"""A decision on a modification, with everything it implies, in one change.

`domain.decisions.effect_of` says what a body's outcome does; this applies it: the decision is
recorded, the phase moves (with a phase-history entry), the decision goes on the timeline and
the rules derive what follows (a Change Board approval: the referral period end 10 Working Days
later, implementation 5 after that), and the scope follows: an approval of a modification
targeted for a release approves it there, a rejection or a withdrawal takes it out of the
release it is live in, with that reason. A decision given to the month only derives no dates (the
paper named no day to count from). Undo takes all of it back.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlmodel import select

from domain.calendar import local_date, london_to_utc
from domain.decisions import effect_of
from domain.kinds import MilestoneOrigin, ScopeState
from domain.record import When, effective_note
from domain.record_refusals import DecisionInFuture, DecisionRecorded
from domain.refusals import UnknownModification
from domain.rules import Derivation
from store import models as m
from store.changes import lookups
from store.changes.audit import Changed, record
from store.changes.inverses import Delete, Inverse, Restore, Retract
from store.changes.milestones import derive
from store.changes.modifications import phase_entry
from store.uow import UnitOfWork

__all__ = ["RecordDecision"]


@dataclass(frozen=True)
class RecordDecision:
    """`/mod <ref> decision <body> <outcome> <date> ["note"]`: `body` and `outcome` canonical."""

    actor: str
    ref: str
    body: str
    outcome: str
    decided: When
    note: str = ""
    effective: When | None = None  # when its history takes effect; the decision's date by default
    rules: Sequence[Derivation] = ()

    async def apply(self, uow: UnitOfWork) -> Changed:
        session = uow.session
        mod = await lookups.modification(session, self.ref)
        if mod is None:
            raise UnknownModification(self.ref)
        assert mod.id is not None
        today = local_date(uow.now)
        if self.decided.day > today:
            raise DecisionInFuture(mod.ref, self.decided.shown, When(today).shown)
        await self._not_recorded(uow, mod)
        effect = effect_of(self.body, self.outcome)
        when = self.effective or self.decided
        live = await lookups.live_elsewhere(session, mod.id, 0)
        rel = await session.get(m.Release, live.id) if live is not None else None
        undo: list[Inverse] = []
        done: list[str] = []
        decision = m.Decision(
            decided_on=self.decided.day,
            reported_on=local_date(uow.now),
            precision=self.decided.precision,
            body=self.body,
            release_id=live.id if live is not None else None,
            modification_id=mod.id,
            outcome=self.outcome,
            text=self.note,
            actor=self.actor,
        )
        session.add(decision)
        await session.flush()
        if effect.phase is not None and effect.phase != mod.phase:
            undo.append(Restore.of(mod, "phase"))
            mod.phase = effect.phase
            session.add(mod)
            entry = phase_entry(uow, mod, effect.phase, when)
            session.add(entry)
            await session.flush()
            undo.insert(0, Delete.of(entry))
            done.append(f"phase {effect.phase}")
        undo[:0] = await self._timeline(uow, mod, rel, effect.milestone_kind, done)
        if live is not None and effect.scope is not None:
            retract = await self._scope(uow, mod, live.id, live.state, effect.scope, when)
            if retract is not None:
                undo.insert(0, retract)
                done.append(f"{'approved in' if effect.scope == 'approve' else 'removed from'} {live.name}")
        undo.append(Delete.of(decision))
        summary = f"Recorded the {self.body} decision on {mod.ref}: {self.outcome} on {self.decided.shown}"
        if done:
            summary += "; " + ", ".join(done)
        summary += effective_note(self.effective, local_date(uow.now))
        return await record(uow, self.actor, "mod.decision", summary, undo)

    async def _not_recorded(self, uow: UnitOfWork, mod: m.Modification) -> None:
        same = select(m.Decision).where(
            m.Decision.modification_id == mod.id,
            m.Decision.body == self.body,
            m.Decision.outcome == self.outcome,
            m.Decision.decided_on == self.decided.day,
        )
        if (await uow.session.exec(same)).first() is not None:
            raise DecisionRecorded(mod.ref, self.body, self.outcome, self.decided.shown)

    async def _timeline(
        self, uow: UnitOfWork, mod: m.Modification, rel: m.Release | None, kind: str, done: list[str]
    ) -> list[Inverse]:
        """The decision as a milestone, and what the rules derive from it (deleted first on undo)."""
        session = uow.session
        base = f"{mod.ref.lower()}/{kind.replace('_', '-')}-{self.decided.day.isoformat()}"
        key, n = base, 1
        while (await session.exec(select(m.Milestone).where(m.Milestone.key == key))).first() is not None:
            n += 1
            key = f"{base}-{n}"
        ms = m.Milestone(
            key=key,
            release_id=rel.id if rel is not None else None,
            modification_id=mod.id,
            kind=kind,
            title=f"{self.body} {self.outcome} {mod.ref}",
            due_at=london_to_utc(self.decided.day),
            precision=self.decided.precision,
            origin=MilestoneOrigin.stated.value,
            notes=f"recorded by {self.actor}",
        )
        session.add(ms)
        await session.flush()
        undo: list[Inverse] = [Delete.of(ms)]
        if self.decided.precision == "day":
            for d in await derive(session, ms, self.rules, await lookups.calendar(session), undo):
                done.append(f"{d.title} {local_date(d.due_at):%a %d %b %Y}".replace(" 0", " "))
        return undo

    async def _scope(
        self, uow: UnitOfWork, mod: m.Modification, release_id: int, state: str | None, scope: str, when: When
    ) -> Retract | None:
        """Approve it where it is targeted, or take it out of where it is live; None if nothing to do."""
        if scope == "approve" and state == ScopeState.approved.value:
            return None
        assert mod.id is not None
        reason = f"{self.body} {self.outcome}" + (f": {self.note}" if self.note else "")
        row = m.ScopeChange(
            release_id=release_id,
            modification_id=mod.id,
            state=ScopeState.approved.value if scope == "approve" else ScopeState.removed.value,
            effective=when.day,
            precision=when.precision,
            reason=reason,
            note=reason if scope == "approve" else "",
            actor=self.actor,
            recorded_at=uow.now,
        )
        uow.session.add(row)
        await uow.session.flush()
        assert row.id is not None
        return Retract((row.id,))
