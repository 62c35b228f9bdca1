"""The record's invariants checked in the database (`domain.invariants`), for the loader.

`check_scope` reads the live scope history of the modifications a document touched and raises
`InvariantBroken` where one is live in two releases at once; the loader's transaction then rolls
back, so a file that breaks an invariant leaves nothing behind.
"""

from __future__ import annotations

from datetime import date

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from domain.invariants import Overlap, ScopeStep, live_overlaps
from store import models as m

__all__ = ["InvariantBroken", "check_scope", "month_or_day"]


class InvariantBroken(ValueError):
    """The data would break an invariant of the record; `overlaps` says where."""

    def __init__(self, where: str, overlaps: list[Overlap]) -> None:
        super().__init__(f"{where}: " + "; ".join(str(o) for o in overlaps))
        self.overlaps = overlaps


async def check_scope(session: AsyncSession, where: str, source_id: int | None = None) -> None:
    """Refuse scope history with a modification live in two releases on one date.

    With `source_id`, only the modifications that source's rows touch are checked (a store loaded
    before this check existed may hold an older overlap the new file did not make).
    """
    query = (
        select(m.ScopeChange, m.Modification.ref, m.Release.slug)
        .join(m.Modification, col(m.Modification.id) == m.ScopeChange.modification_id)
        .join(m.Release, col(m.Release.id) == m.ScopeChange.release_id)
        .where(col(m.ScopeChange.retracted_at).is_(None))
    )
    rows = (await session.exec(query)).all()
    touched = {c.modification_id for c, _, _ in rows if source_id is None or c.source_id == source_id}
    steps = [
        ScopeStep(ref, slug, c.state, c.effective, int(c.id or 0))
        for c, ref, slug in rows
        if c.modification_id in touched
    ]
    if overlaps := live_overlaps(steps):
        raise InvariantBroken(where, overlaps)


def month_or_day(value: object) -> tuple[date, str] | None:
    """A data file's date: `2016-11-23` (a day) or `2020-11` (a month, kept as one); None if absent."""
    if value is None:
        return None
    if isinstance(value, date):
        return value, "day"
    text = str(value).strip()
    year, sep, month = text.partition("-")
    if sep and year.isdecimal() and month.isdecimal() and len(year) == 4 and 1 <= int(month) <= 12:
        return date(int(year), int(month), 1), "month"
    raise ValueError(f"`{text}` is not a date (2016-11-23) or a month (2020-11)")
