"""The notice periods checked in the database: the freeze (a change then says `by-exception`)
and the DCC lead time (a DCC System impacting modification added then is confirmed first)."""

from __future__ import annotations

from datetime import date

from sqlmodel.ext.asyncio.session import AsyncSession

from domain.content_refusals import Frozen, InsideDccLead
from domain.notice import dcc_lead_on, frozen_on
from domain.rules import Rules
from domain.views import ReleaseView
from store import models as m
from store.changes import lookups

__all__ = ["check_dcc_lead", "check_freeze", "view_of"]


def view_of(rel: m.Release) -> ReleaseView:
    assert rel.id is not None
    return ReleaseView(
        rel.id, rel.slug, rel.name, rel.go_live, rel.status, rel.dcc_system_impacting, rel.notes, rel.test_strategy
    )


async def check_freeze(
    session: AsyncSession, rel: m.Release, day: date, by_exception: str, rules: Rules | None
) -> None:
    """Refuse a change to a frozen release's scope or RID content unless it says why (by exception)."""
    if rules is None or by_exception:
        return
    freeze = frozen_on(view_of(rel), day, rules, await lookups.calendar(session))
    if freeze is not None:
        raise Frozen(rel.name, rel.slug, freeze, rel.go_live)


async def check_dcc_lead(
    session: AsyncSession, rel: m.Release, mod: m.Modification, day: date, rules: Rules | None, confirmed: bool
) -> None:
    """Stop (for a confirmation) adding a DCC System impacting modification inside the DCC lead time."""
    if rules is None or confirmed or mod.dcc_impact is not True:
        return
    start = dcc_lead_on(view_of(rel), day, rules, await lookups.calendar(session))
    if start is not None:
        raise InsideDccLead(mod.ref, rel.name, start, rel.go_live)
