"""Importing a paper from chat, and what an import does in words (the CLI says the same).

An admin sends a paper file (store/demo/FORMAT.md) to the bot: it is imported as a dry run and
the preview comes back with Apply and Cancel buttons. The buttons carry what names the file on
its platform and a digest of what was previewed, so Apply imports exactly that file or refuses;
nothing is kept in between, and any replica can take the press.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Awaitable, Callable

from commands import messages
from commands.context import Context
from domain.reply import Actions, Block, Button, Items, Note, Paragraph, Reply, code, spans
from store.papers.importer import DryRun, ImportPapers, ImportPreview, ImportRefused
from store.papers.schema import MAX_BYTES, PaperErrors

__all__ = [
    "APPLY",
    "CANCEL",
    "Fetch",
    "FetchFailed",
    "apply_upload",
    "button_value",
    "cancelled",
    "describe",
    "digest",
    "preview_upload",
]

APPLY = "paper_apply"
CANCEL = "paper_cancel"
_MAX_LISTED = 8
_CHAT_CHANGES = 12  # changed rows a chat preview lists (the command line lists every one)

Fetch = Callable[[str], Awaitable[tuple[str, str]]]  # file handle -> (file name, text)


class FetchFailed(Exception):
    """The platform's file could not be had; the message says why, for the person who sent it."""


# What a table's rows are called, in the order a preview lists them.
_KINDS = (
    ("source", "paper", "papers"),
    ("release", "release", "releases"),
    ("modification", "modification", "modifications"),
    ("scopechange", "scope change", "scope changes"),
    ("phasechange", "phase", "phases"),
    ("milestone", "milestone", "milestones"),
    ("participantimpact", "participant impact", "participant impacts"),
    ("documentimpact", "SEC document impact", "SEC document impacts"),
    ("impactsummary", "impact summary", "impact summaries"),
    ("cost", "cost", "costs"),
    ("acceptancecriterion", "acceptance criterion", "acceptance criteria"),
    ("decision", "decision", "decisions"),
    ("ridversion", "RID version", "RID versions"),
    ("glossaryterm", "glossary term", "glossary terms"),
    ("holiday", "holiday", "holidays"),
    ("member", "member", "members"),
    ("memberidentity", "member account", "member accounts"),
)
_NAMES = {table: (one, many) for table, one, many in _KINDS}
_LISTED = ("release", "modification", "scopechange", "milestone", "cost", "decision", "ridversion")


def _count(table: str, n: int) -> str:
    one, many = _NAMES.get(table, (table, table))
    return f"{n} {one if n == 1 else many}"


def describe(preview: ImportPreview, changes: int | None = None) -> list[str]:
    """The preview in lines: the papers, what is added (named for the kinds people check), what
    changes (the first `changes` of them, when a chat message must stay short)."""
    lines: list[str] = []
    if preview.loaded:
        lines.append("Papers to load: " + ", ".join(preview.loaded))
    if preview.skipped:
        lines.append("Already stored (skipped): " + ", ".join(preview.skipped))
    added = Counter(a.table for a in preview.added)
    if added:
        lines.append("Adds " + ", ".join(_count(t, added[t]) for t, _, _ in _KINDS if added[t]) + ".")
    for table in _LISTED:
        labels = [a.label for a in preview.added if a.table == table]
        if labels:
            more = f" and {len(labels) - _MAX_LISTED} more" if len(labels) > _MAX_LISTED else ""
            lines.append(f"  new {_NAMES[table][1]}: " + "; ".join(labels[:_MAX_LISTED]) + more)
    ended = [a for a in preview.altered if [f for f, _, _ in a.fields] == ["until"]]
    altered = [a for a in preview.altered if a not in ended]
    for item in altered[:changes]:
        fields = ", ".join(f"{name}: {_shown(old)} → {_shown(new)}" for name, old, new in item.fields)
        lines.append(f"Changes {_NAMES.get(item.table, (item.table,))[0]} {item.label}: {fields}")
    if changes is not None and len(altered) > changes:
        lines.append(f"... and {len(altered) - changes} more changes (`releasebot import --dry-run` lists them all).")
    if ended:
        lines.append(f"Ends {len(ended)} RID content rows in force before (replaced from the paper's date).")
    if preview.empty:
        lines.append("Nothing to change: every paper in the file is stored already.")
    return lines


def _shown(value: object) -> str:
    text = "-" if value is None or value == "" else str(value)
    return text if len(text) <= 60 else text[:57] + "..."


def digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def button_value(handle: str, text: str) -> str:
    return json.dumps({"f": handle, "d": digest(text)}, separators=(",", ":"))


def _refused(title: str, text: str) -> Reply:
    return Reply(title, (Paragraph(spans(text)),), kind="error")


def _not_admin(ctx: Context) -> Reply | None:
    if ctx.actor.is_admin:
        return None
    return _refused("Not allowed", messages.not_admin(ctx.actor.name) if ctx.actor.role else messages.not_member())


def _errors(exc: PaperErrors) -> Reply:
    lines = tuple(spans(code(str(e))) for e in exc.errors)
    intro = Paragraph(spans("The file cannot be imported; nothing was changed. Fix these and send it again:"))
    return Reply("Not imported", (intro, Items(lines)), kind="error")


async def preview_upload(handle: str, fetch: Fetch, ctx: Context) -> Reply:
    """A paper file sent to the bot: its dry run, with Apply and Cancel (admins only; checked
    before the file is even downloaded)."""
    if refused := _not_admin(ctx):
        return refused
    if ctx.writer is None:
        return _refused("Read-only", "This channel is read-only; send the file where the bot can write.")
    try:
        name, text = await fetch(handle)
    except FetchFailed as exc:
        return _refused("Not imported", f"Sorry, {exc}.")
    if len(text.encode("utf-8")) > MAX_BYTES:
        return _refused("Not imported", f"{name} is larger than {MAX_BYTES // 1000} kB.")
    try:
        await ctx.writer.write(ImportPapers(ctx.actor.label, name, text, dry_run=True))
    except DryRun as dry:
        preview = dry.preview
    except PaperErrors as exc:
        return _errors(exc)
    except ImportRefused as exc:
        return _refused("Not imported", f"{exc}. Nothing was changed.")
    else:  # pragma: no cover (a dry run always ends in DryRun)
        raise AssertionError("dry run applied")
    blocks: list[Block] = [Paragraph(spans("Importing ", code(name), " would do this:"))]
    blocks.append(Items(tuple(spans(line) for line in describe(preview, _CHAT_CHANGES))))
    if preview.empty:
        return Reply(f"Import {name}: nothing to change", tuple(blocks))
    blocks.append(
        Note(spans("Nothing is changed until you press Apply; ", code("/release undo"), " reverses it after."))
    )
    value = button_value(handle, text)
    blocks.append(Actions((Button("Apply", APPLY, value, "primary"), Button("Cancel", CANCEL, value))))
    return Reply(f"Import {name}?", tuple(blocks))


async def apply_upload(value: str, fetch: Fetch, ctx: Context) -> Reply:
    """Apply pressed: fetch the file again, check it is the one previewed, import it (admins only)."""
    if refused := _not_admin(ctx):
        return refused
    if ctx.writer is None:
        return _refused("Read-only", "This channel is read-only.")
    try:
        data = json.loads(value)
        handle, expected = str(data["f"]), str(data["d"])
    except (ValueError, KeyError, TypeError):
        return _refused("Unknown button", messages.unknown_button())
    try:
        name, text = await fetch(handle)
    except FetchFailed as exc:
        return _refused("Not imported", f"Sorry, {exc}; nothing was changed.")
    if digest(text) != expected:
        return _refused("Not imported", f"{name} is not the file that was previewed; send it again.")
    try:
        done, preview = await ctx.writer.write(ImportPapers(ctx.actor.label, name, text))
    except DryRun as nothing:  # every paper in it is stored already (Apply pressed twice)
        lines = Items(tuple(spans(line) for line in describe(nothing.preview, _CHAT_CHANGES)))
        return Reply(f"Import {name}: nothing to change", (lines,))
    except PaperErrors as exc:
        return _errors(exc)
    except ImportRefused as exc:
        return _refused("Not imported", f"{exc}. Nothing was changed.")
    event = done.event
    who = f"Change #{event.id} by {ctx.actor.name or ctx.actor.user_id} · state version {done.version}"
    blocks: list[Block] = [Paragraph(spans("✅ ", event.summary))]
    blocks.append(Items(tuple(spans(line) for line in describe(preview, _CHAT_CHANGES))))
    blocks.append(Note(spans(who, " · ", code("/release undo"), " reverses it")))
    blocks.append(Actions((Button("Undo", "command", f"/release undo #{event.id}", "danger"),)))
    return Reply(event.summary, tuple(blocks), kind="changed")


def cancelled(ctx: Context) -> Reply:
    """Cancel pressed: nothing was kept, so there is nothing to discard but the buttons."""
    return Reply("Import cancelled", (Paragraph(spans("Import cancelled; nothing was changed.")),))
