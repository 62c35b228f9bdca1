"""Handlers of RID content changes and RID versions (admins): impacts, summaries, costs,
criteria, `rid baseline`, and the confirmation a DCC lead-time addition asks for.

Each checks the actor's role and the release, then hands one typed store change to the writer
(one transaction, audited, undoable), dated `effective` (today by default) and carrying the
notice rules, so a change after the release's freeze is refused unless it says `by-exception`.
"""

from __future__ import annotations

from typing import Any, TypeVar

from commands.admin import apply_change, check_release, refuse_non_admin
from commands.content_language import (
    ContentCommand,
    CostChange,
    CriterionChange,
    ImpactChange,
    RidBaseline,
    SummaryChange,
)
from commands.context import Context
from commands.language import Command
from domain.reply import Reply
from store.changes import Changed, content, rid_items
from store.changes.rid_versions import BaselineRid
from store.uow import Change

C = TypeVar("C", bound=content.ContentChange)

__all__ = ["baseline", "change_cost", "change_criterion", "change_impact", "change_summary"]


async def _guarded(cmd: Command, ctx: Context, slug: str, change: Change[Changed]) -> Reply:
    if refused := refuse_non_admin(cmd, ctx):
        return refused
    if bad := check_release(cmd, ctx, slug):
        return bad
    return await apply_change(cmd, ctx, change)


def _make(cls: type[C], cmd: ContentCommand, ctx: Context, **fields: Any) -> C:
    """The store change, dated (today unless `effective` says) and carrying the notice rules."""
    return cls(
        actor=ctx.actor.label,
        slug=cmd.slug,
        effective=cmd.effective or ctx.today,
        by_exception=cmd.by_exception,
        rules=ctx.rules,
        **fields,
    )


async def change_impact(cmd: ImpactChange, ctx: Context) -> Reply:
    change: content.ContentChange
    if cmd.action == "content.parties":
        change = _make(content.SetParties, cmd, ctx, ref=cmd.ref, parties=cmd.parties)
    elif cmd.action == "content.document.remove":
        change = _make(content.RemoveDocumentImpact, cmd, ctx, ref=cmd.ref, document=cmd.document)
    elif cmd.action == "content.document.replace":
        change = _make(
            content.ReplaceDocumentImpact,
            cmd,
            ctx,
            ref=cmd.ref,
            document=cmd.document,
            new_document=cmd.new_document,
            title=cmd.title,
        )
    else:
        change = _make(content.AddDocumentImpact, cmd, ctx, ref=cmd.ref, document=cmd.document, title=cmd.title)
    return await _guarded(cmd, ctx, cmd.slug, change)


async def change_summary(cmd: SummaryChange, ctx: Context) -> Reply:
    change: content.ContentChange
    if cmd.action == "content.summary.add":
        change = _make(
            rid_items.AddSummary, cmd, ctx, audience=cmd.audience, area=cmd.area, text=cmd.words, ref=cmd.ref
        )
    elif cmd.action == "content.summary.remove":
        change = _make(rid_items.RemoveSummary, cmd, ctx, number=cmd.number)
    else:
        change = _make(rid_items.ReplaceSummary, cmd, ctx, number=cmd.number, text=cmd.words)
    return await _guarded(cmd, ctx, cmd.slug, change)


def _cost(cmd: CostChange) -> rid_items.CostFacts:
    return rid_items.CostFacts(
        payer=cmd.payer,
        category=cmd.category,
        amount_gbp=cmd.amount_gbp,
        effort_days=cmd.effort_days,
        ref=cmd.ref,
        note=cmd.note,
    )


async def change_cost(cmd: CostChange, ctx: Context) -> Reply:
    change: content.ContentChange
    if cmd.action == "content.cost.add":
        change = _make(rid_items.AddCost, cmd, ctx, cost=_cost(cmd))
    elif cmd.action == "content.cost.remove":
        change = _make(rid_items.RemoveCost, cmd, ctx, number=cmd.number)
    else:
        change = _make(rid_items.ReplaceCost, cmd, ctx, number=cmd.number, cost=_cost(cmd))
    return await _guarded(cmd, ctx, cmd.slug, change)


async def change_criterion(cmd: CriterionChange, ctx: Context) -> Reply:
    change: content.ContentChange
    if cmd.action == "content.criterion.add":
        change = _make(rid_items.AddCriterion, cmd, ctx, text=cmd.words, kind=cmd.kind)
    elif cmd.action == "content.criterion.remove":
        change = _make(rid_items.RemoveCriterion, cmd, ctx, number=cmd.number)
    else:
        change = _make(rid_items.ReplaceCriterion, cmd, ctx, number=cmd.number, text=cmd.words)
    return await _guarded(cmd, ctx, cmd.slug, change)


async def baseline(cmd: RidBaseline, ctx: Context) -> Reply:
    change = BaselineRid(
        actor=ctx.actor.label,
        slug=cmd.slug,
        effective=cmd.effective or ctx.today,
        rules=ctx.rules,
        version=cmd.version,
        changes=cmd.changes,
    )
    return await _guarded(cmd, ctx, cmd.slug, change)
