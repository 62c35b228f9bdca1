"""Handlers that keep the record current: new releases and modifications, their fields, decisions.

Each refuses non-admins first, then runs one typed store change in one transaction (audited,
undoable with `/release undo`). A refused change becomes a short reply and leaves nothing behind.
"""

from __future__ import annotations

from commands import record_refusals as _worded  # noqa: F401 (registers the refusals' words)
from commands.admin import apply_change, check_release, refusal_reply
from commands.admin import refuse_non_admin as refuse
from commands.context import Context
from commands.grammar import record as words
from commands.language import Command, ModShow
from commands.record_language import ModDecision, ModNew, ModSet, ReleaseNew, ReleaseSet
from commands.suggest import mod_or_error
from commands.table import CommandTable
from domain.record_refusals import ModificationExists, ReleaseExists
from domain.reply import Reply
from store import changes

__all__ = ["mod_decision", "mod_new", "mod_set", "register", "release_new", "release_set"]


async def release_new(cmd: ReleaseNew, ctx: Context) -> Reply:
    if refused := refuse(cmd, ctx):
        return refused
    if (existing := ctx.snapshot.release(cmd.slug)) is not None:
        return refusal_reply(cmd, ReleaseExists(existing.slug, existing.name))
    change = changes.NewRelease(ctx.actor.label, cmd.slug, cmd.go_live, cmd.dcc, cmd.name, cmd.effective)
    return await apply_change(cmd, ctx, change)


async def release_set(cmd: ReleaseSet, ctx: Context) -> Reply:
    if refused := refuse(cmd, ctx):
        return refused
    if bad := check_release(cmd, ctx, cmd.slug):
        return bad
    change = changes.SetRelease(
        ctx.actor.label, cmd.slug, cmd.field, cmd.status, cmd.go_live, cmd.dcc, effective=cmd.effective
    )
    return await apply_change(cmd, ctx, change)


def _known(cmd: Command, ctx: Context, ref: str) -> str | Reply:
    """The stored ref of the modification (an alias reads as its ref), or the "did you mean" reply."""
    found = mod_or_error(ModShow(ref=ref, text=cmd.text), ctx.snapshot)
    return found if isinstance(found, Reply) else found.ref


async def mod_new(cmd: ModNew, ctx: Context) -> Reply:
    if refused := refuse(cmd, ctx):
        return refused
    if (mod := ctx.snapshot.mod(cmd.ref)) is not None:
        return refusal_reply(cmd, ModificationExists(mod.ref, mod.title))
    change = changes.NewModification(ctx.actor.label, cmd.ref, cmd.title, cmd.path or None, cmd.effective)
    return await apply_change(cmd, ctx, change)


async def mod_set(cmd: ModSet, ctx: Context) -> Reply:
    if refused := refuse(cmd, ctx):
        return refused
    ref = _known(cmd, ctx, cmd.ref)
    if isinstance(ref, Reply):
        return ref
    return await apply_change(
        cmd, ctx, changes.SetModification(ctx.actor.label, ref, cmd.field, cmd.value, cmd.effective)
    )


async def mod_decision(cmd: ModDecision, ctx: Context) -> Reply:
    if refused := refuse(cmd, ctx):
        return refused
    ref = _known(cmd, ctx, cmd.ref)
    if isinstance(ref, Reply):
        return ref
    change = changes.RecordDecision(
        ctx.actor.label,
        ref,
        cmd.body,
        cmd.outcome,
        cmd.decided,
        cmd.note,
        cmd.effective,
        ctx.rules.derivations,  # a Change Board approval brings its referral period and implementation
    )
    return await apply_change(cmd, ctx, change)


def register(table: CommandTable) -> None:
    """`/release new`, `/release <slug> set`, `/mod new`, `/mod <ref> set`, `/mod <ref> decision`."""
    table.top_word("new", words.release_new)
    table.release_word("set", words.release_set)
    table.top_word("new", words.mod_new, slash="mod")
    table.mod_word("set", words.mod_set)
    table.mod_word("decision", words.mod_decision)
    table.command("release.new", release_new)
    table.command("release.set", release_set)
    table.command("mod.new", mod_new)
    table.command("mod.set", mod_set)
    table.command("mod.decision", mod_decision)
