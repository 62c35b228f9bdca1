"""`/release <slug> edit [scope|milestone] [ref]`: the forms that change a release's scope or milestones.

The handler decides whether a form may open (an admin, a release that exists) and which one. Its
reply's `meta` names the form (`modal`, `slug`, `ref`) for an adapter that can show forms (Slack
opens it instead of showing the reply); everywhere else the same reply names the commands that
make the same changes.
"""

from __future__ import annotations

from commands import messages
from commands.context import Context
from commands.language import Edit
from commands.suggest import release_or_error
from domain.reply import Block, Items, Note, Paragraph, Reply, code, spans

__all__ = ["edit"]


def _refusal(cmd: Edit, ctx: Context) -> Reply | None:
    """Only admins may open a form. The sentence is also the fallback text: Slack acks with it alone."""
    if ctx.actor.is_admin:
        return None
    text = messages.not_admin(ctx.actor.name) if ctx.actor.role else messages.not_member()
    return Reply("Not allowed", (Paragraph(spans(text)),), command=cmd.text, kind="error", fallback=text)


def _commands(cmd: Edit, slug: str) -> tuple[tuple[str, str], ...]:
    """The commands that make the changes the form makes, with the modification filled in if one was named."""
    if cmd.form == "milestone":
        return (
            (f"/release {slug} milestone add <kind> <date> [time] [title]", "add a milestone"),
            (f"/release {slug} milestone <kind|key> <date> [time] [reason ...]", "move a milestone"),
        )
    ref = cmd.ref or "<ref>"
    return (
        (f"/release {slug} add {ref} [reason ...]", "target a modification for the release"),
        (f"/release {slug} approve {ref} [reason ...]", "mark it approved"),
        (f"/release {slug} remove {ref} reason <why>", "take it out of scope"),
        (f"/release {slug} move {ref} to <release> [reason ...]", "move it to another release"),
    )


def edit(cmd: Edit, ctx: Context) -> Reply:
    if refused := _refusal(cmd, ctx):
        return refused
    rel = release_or_error(cmd, ctx.snapshot)
    if isinstance(rel, Reply):
        return rel
    opened = f"/release {rel.slug} edit" + (" milestone" if cmd.form == "milestone" else "")
    blocks: list[Block] = [
        Paragraph(spans(messages.forms_in_slack(cmd.form, opened))),
        Items(tuple(spans(code(usage), f" — {what}") for usage, what in _commands(cmd, rel.slug))),
        Note(spans("Every change: ", code("/release help admin"), ".")),
    ]
    meta = {"modal": cmd.form, "slug": rel.slug}
    if cmd.ref:
        meta["ref"] = cmd.ref
    return Reply(f"Edit {rel.name}: {cmd.form}", tuple(blocks), command=cmd.text, meta=meta)
