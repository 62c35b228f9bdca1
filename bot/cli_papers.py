"""`releasebot import FILE.yaml [--dry-run]` and `releasebot export FILE.yaml`: papers in and out.

Import reads papers in the store/demo/FORMAT.md format, prints what they change, and applies
them as one audited change that `/release undo` reverts (or, with --dry-run, changes nothing).
Export writes the whole release record in the same format; importing that into an empty store
and exporting again gives the same file.
"""

from __future__ import annotations

import getpass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from bot.launch import TodayOption, fail, run

if TYPE_CHECKING:  # each command imports what it uses when it runs (start-up: bot.cli)
    from bot.core import Releasebot
    from store.papers.importer import ImportPreview

__all__ = ["register"]

# A whole export is thousands of rows: the command line waits longer than a chat write may.
IMPORT_TIMEOUT = 300.0


def register(app: typer.Typer) -> None:
    app.command("import")(import_command)
    app.command("export")(export_command)


def _read(path: Path) -> str:
    from store.papers.schema import MAX_BYTES

    try:
        if path.stat().st_size > MAX_BYTES:
            raise fail(f"{path}: larger than {MAX_BYTES // 1000} kB")
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise fail(f"cannot read {path}: {exc}") from None


def import_command(
    file: Annotated[Path, typer.Argument(help="A paper file in the store/demo/FORMAT.md format (YAML).")],
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Show what it would change; change nothing.")] = False,
    today: TodayOption = None,
) -> None:
    """Import papers: print what they change, then apply it as one change `/release undo` reverts."""
    from bot.writer import StoreWriter
    from commands.papers import describe
    from store.papers.importer import DryRun, ImportPapers, ImportRefused
    from store.papers.schema import PaperErrors

    text = _read(file)

    async def work(bot: Releasebot) -> None:
        change = ImportPapers(f"cli:{getpass.getuser()}", file.name, text, dry_run=dry_run)
        preview: ImportPreview
        writer = StoreWriter(bot.db, bot.read_model, bot.clock, max(IMPORT_TIMEOUT, bot.writer.timeout))
        try:
            done, preview = await writer.write(change)
        except DryRun as dry:
            for line in describe(dry.preview):
                typer.echo(line)
            typer.echo("Dry run: nothing was changed." if dry_run else "Nothing was changed.")
            return
        except PaperErrors as exc:
            for error in exc.errors:
                typer.echo(str(error), err=True)
            raise fail(f"{file.name}: not imported ({len(exc.errors)} problems); nothing was changed", 1) from None
        except ImportRefused as exc:
            raise fail(f"{exc}; nothing was changed", 1) from None
        for line in describe(preview):
            typer.echo(line)
        typer.echo(f"{done.event.summary} (change #{done.event.id}; /release undo reverses it)")

    run(work, today=today)


def export_command(
    file: Annotated[Path, typer.Argument(help="Where to write the YAML (`-` for standard output).")],
) -> None:
    """Write the whole release record as papers in the store/demo/FORMAT.md format."""
    from bot.writer import StoreWriter
    from store.papers.exporter import export_text

    async def work(bot: Releasebot) -> str:
        return await StoreWriter(bot.db, bot.read_model, bot.clock, IMPORT_TIMEOUT).read(export_text)

    text = run(work)
    if str(file) == "-":
        typer.echo(text, nl=False)
        return
    try:
        file.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise fail(f"cannot write {file}: {exc}") from None
    typer.echo(f"wrote {file} ({text.count(chr(10) + '---')} papers)")
