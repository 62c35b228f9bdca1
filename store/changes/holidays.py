"""A one-off non-Working Day an admin adds; derived milestones move with it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import select

from domain.calendar import in_range, local_date
from domain.limits import check_text
from domain.record import When, effective_note
from domain.refusals import AlreadyBankHoliday, AlreadyHoliday, DateOutOfRange, WeekendHoliday
from store import models as m
from store.changes import lookups
from store.changes.audit import Changed, record
from store.changes.inverses import Delete, Inverse
from store.changes.milestones import recompute_derived
from store.uow import UnitOfWork

__all__ = ["AddHoliday"]


@dataclass(frozen=True)
class AddHoliday:
    actor: str
    day: date
    name: str
    effective: When | None = None  # when it was decided; the audit log says so

    async def apply(self, uow: UnitOfWork) -> Changed:
        session = uow.session
        if not in_range(self.day):
            raise DateOutOfRange(self.day)
        check_text("name", self.name)
        existing = (await session.exec(select(m.Holiday).where(m.Holiday.day == self.day))).first()
        if existing is not None:
            raise AlreadyHoliday(self.day, existing.name)
        calendar = await lookups.calendar(session)
        bank = calendar.holiday_name(self.day)
        if bank is not None:
            raise AlreadyBankHoliday(self.day, bank)
        if self.day.weekday() >= 5:
            raise WeekendHoliday(self.day)
        holiday = m.Holiday(day=self.day, name=self.name, added_by=self.actor)
        session.add(holiday)
        await session.flush()
        undo: list[Inverse] = [Delete.of(holiday)]
        moved = await recompute_derived(session, calendar.with_holiday(self.day, self.name), undo)
        summary = f"Added holiday {self.day:%a %d %b %Y}: {self.name}"
        if moved:
            summary += "; derived milestones moved: " + ", ".join(
                f"“{d.title}” → {local_date(d.due_at):%d %b %Y}" for d in moved
            )
        summary += effective_note(self.effective, local_date(uow.now))
        return await record(uow, self.actor, "holiday.add", summary, undo)
