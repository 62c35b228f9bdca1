"""`releasebot` command line (typer): ask, console, demo, serve, socket, worker; and the store's
sub-commands (members, db, seed, votes, reminders, teams) from `bot.cli_admin`.

Start-up is part of the interface: this module imports typer and the standard library only, and
each command imports what it needs when it runs, so `--help` costs typer alone and `ask` never
loads the chat SDKs, httpx or the document libraries (tests/unit/test_cli_imports.py).
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import signal
import sys
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated

import typer

from bot.cli_admin import register as register_admin
from bot.cli_documents import register as register_documents
from bot.cli_papers import register as register_papers
from bot.launch import TodayOption, check_store, day_note, fail, prepare, run, run_on
from bot.logs import protect_http_logs

if TYPE_CHECKING:
    from bot.assemble import Assembly
    from bot.core import Releasebot

__all__ = ["app", "main"]

app = typer.Typer(
    help="releasebot: SEC release state, answers and reminders for Slack and Teams.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,  # plain click help: rich and its markdown parser cost more than the rest of --help
)
register_admin(app)
register_documents(app)  # documents: `releasebot rid ...`, `releasebot report ...`
register_papers(app)  # papers in and out: `releasebot import`, `releasebot export`


class Format(StrEnum):
    text = "text"
    slack = "slack"
    teams = "teams"


@app.callback()
def _setup(verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Log more.")] = False) -> None:
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING, format="%(levelname)s %(name)s: %(message)s"
    )
    protect_http_logs()  # -v must not print webhook or response_url URLs (httpx logs them at INFO)


@app.command()
def ask(
    text: Annotated[str, typer.Argument(help='The command as typed in chat, e.g. "/release june-2021 scope".')],
    user: Annotated[str, typer.Option(help="Platform user id or console user to ask as.")] = "console",
    format: Annotated[
        Format, typer.Option("--format", help="text, slack (Block Kit JSON) or teams (Adaptive Card JSON).")
    ] = Format.text,
    page: Annotated[int, typer.Option(help="Page of a long Slack or Teams reply.", min=1)] = 1,
    today: TodayOption = None,
) -> None:
    """Print one reply and exit (0 unless releasebot itself failed)."""

    async def work(bot: Releasebot) -> int:
        actor = bot.actors.resolve("console", user)
        reply, rendered = await bot.answers.line_rendered(text, actor, format.value, page)  # plain words too
        sys.stdout.write(rendered if rendered.endswith("\n") else rendered + "\n")
        return 1 if reply.title in ("Internal error", "Store unavailable") else 0

    raise typer.Exit(run(work, today=today, collect=False))  # one answer, then the process ends


@app.command()
def console(
    user: Annotated[str, typer.Option(help="Platform user id or console user to act as.")] = "console",
    format: Annotated[Format, typer.Option("--format")] = Format.text,
    today: TodayOption = None,
) -> None:
    """Interactive console (reads piped input too)."""
    from bot.console import run_console

    settings, choice = prepare(today)
    note = day_note(choice)
    raise typer.Exit(
        run_on(settings, choice.clock, lambda bot: run_console(bot, user, format.value, day_note=note), watch=True)
    )


async def _seed_if_empty(bot: Releasebot) -> None:
    from store.seed import seed_demo

    if not bot.read_model.snapshot.sources:
        await seed_demo(bot.db, bot.clock())
        await bot.read_model.load()


@app.command()
def demo(
    user: Annotated[str, typer.Option(help="Console user (the demo has `console` as admin, `observer`).")] = "console",
    today: TodayOption = None,
) -> None:
    """Upgrade the database, load the demo data if it is empty, and open the console on the newest paper's date."""
    from bot.console import run_console
    from store.seed import SeedError

    settings, choice = prepare(today, demo=True)
    note = day_note(choice)

    async def work(bot: Releasebot) -> int:
        try:
            await _seed_if_empty(bot)
        except SeedError as exc:
            raise fail(f"demo data: {exc}", 1) from None
        return await run_console(bot, user, "text", day_note=note)

    raise typer.Exit(run_on(settings, choice.clock, work, watch=True))


def _assemble(command: str, slack_needs: tuple[str, ...], teams_allowed: bool) -> Assembly:
    """The bot and its adapters for `serve` / `socket`; says on stderr which clock it runs on."""
    from bot import messages
    from bot.app import SettingsError
    from bot.assemble import assemble

    settings, choice = prepare()
    try:
        assembly = assemble(settings, command, slack_needs, teams_allowed, clock=choice.clock)
    except SettingsError as exc:
        raise fail(str(exc)) from None
    check_store(settings.database_url)  # one line naming the setting, not a server's start-up traceback
    gc.enable()  # a server: collection back on (main turned it off for the start-up)
    typer.echo(messages.clock_in_use(command, choice.day, choice.source), err=True)
    return assembly


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port.", envvar="PORT")] = 3000,
) -> None:
    """Run the HTTP server: /slack/events, /api/messages (Teams), /healthz (and what other parts mount)."""
    import uvicorn

    from bot.web import create_web_app

    assembly = _assemble("serve", ("slack_bot_token", "slack_signing_secret"), teams_allowed=True)
    web = create_web_app(assembly.bot, routes=assembly.routes(), freeze=True)
    uvicorn.run(web, host=host, port=port, log_level="warning", access_log=False, lifespan="on")


@app.command()
def socket(
    http_port: Annotated[int | None, typer.Option(help="Also serve /healthz on this port.")] = None,
) -> None:
    """Run the same app over Slack Socket Mode (no public URL needed)."""
    from bot.slack.socket import run_socket_mode

    assembly = _assemble("socket", ("slack_bot_token", "slack_app_token"), teams_allowed=False)
    assert assembly.slack is not None
    token = assembly.bot.settings.slack_app_token.get_secret_value()  # type: ignore[union-attr]

    async def main() -> None:
        await run_socket_mode(assembly.bot, assembly.slack, token, asyncio.Event(), http_port)  # type: ignore[arg-type]

    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(main())


@app.command()
def worker() -> None:
    """Run the reminder scheduler and poll closer alone (the Procfile's `worker:`); SIGTERM or Ctrl-C stops it cleanly."""
    import httpx

    from bot import messages
    from bot.app import background_services

    settings, choice = prepare()

    async def work(bot: Releasebot) -> int:
        async with httpx.AsyncClient(timeout=httpx.Timeout(10.0)) as http:
            bot.services.add(*background_services(bot, bot.settings, http))
            stop = asyncio.Event()
            loop = asyncio.get_running_loop()
            for sig in (signal.SIGTERM, signal.SIGINT):
                loop.add_signal_handler(sig, stop.set)
            await bot.start_services()
            try:
                if bot.settings.slack_bot_token is None:
                    typer.echo(messages.worker_without_token(), err=True)
                typer.echo(messages.clock_in_use("worker", choice.day, choice.source), err=True)
                typer.echo(messages.worker_started(), err=True)
                await stop.wait()
            finally:
                await bot.stop_services()
        return 0

    raise typer.Exit(run_on(settings, choice.clock, work, watch=True))


def main() -> None:
    # Start-up creates objects that live as long as the process (modules, the store's tables, the
    # state): collecting cycles on the way finds none and costs a tenth of `ask`. Collection
    # resumes once the bot is started (`launch.run_on`, `_assemble`); a single `ask` never needs it.
    gc.disable()
    app()
