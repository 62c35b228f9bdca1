"""`releasebot` command line (typer): ask, console, demo, serve, socket, worker, members, db, seed, reminders, votes, teams."""

from __future__ import annotations

import asyncio
import getpass
import logging
import signal
import sys
from collections.abc import Awaitable, Callable
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, TypeVar

import httpx
import typer

from bot.app import (
    SettingsError,
    background_services,
    create_bot,
    load_settings,
    require,
)
from bot.assemble import Assembly
from bot.console import run_console
from bot.core import Releasebot
from bot.plan import print_plan
from commands import messages
from store.changes import ChangeRefused, add_member
from store.seed import SeedError, seed_demo

if TYPE_CHECKING:
    pass

__all__ = ["app", "main"]

T = TypeVar("T")

app = typer.Typer(help="releasebot: SEC release state, answers and reminders for Slack and Teams.", no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False)
members_app = typer.Typer(help="Members and their roles.", no_args_is_help=True)
db_app = typer.Typer(help="Database schema.", no_args_is_help=True)
seed_app = typer.Typer(help="Load data.", no_args_is_help=True)
votes_app = typer.Typer(help="Panel polls.", no_args_is_help=True)
app.add_typer(members_app, name="members")
app.add_typer(db_app, name="db")
app.add_typer(seed_app, name="seed")
app.add_typer(votes_app, name="votes")
reminders_app = typer.Typer(help="Deadline reminders.", no_args_is_help=True)
app.add_typer(reminders_app, name="reminders")
teams_app = typer.Typer(help="Microsoft Teams.", no_args_is_help=True)
app.add_typer(teams_app, name="teams")


class Format(str, Enum):
    text = "text"
    slack = "slack"
    teams = "teams"


class RoleName(str, Enum):
    admin = "admin"
    panel = "panel"
    observer = "observer"


class Platform(str, Enum):
    slack = "slack"
    teams = "teams"
    console = "console"


def _fail(message: str, code: int = 2) -> typer.Exit:
    typer.echo(f"releasebot: {message}", err=True)
    return typer.Exit(code)


def _run(work: Callable[[Releasebot], Awaitable[T]], watch: bool = False) -> T:
    """Build the bot, start it (upgrading the schema), run `work`, and always stop it."""
    try:
        bot = create_bot()
    except SettingsError as exc:
        raise _fail(str(exc)) from None

    async def main() -> T:
        try:
            await bot.start(watch=watch)
        except (OSError, ConnectionError) as exc:
            raise _fail(f"cannot open the release store at {bot.db.engine.url.render_as_string(hide_password=True)}: {exc}") from None
        try:
            return await work(bot)
        finally:
            await bot.stop()

    return asyncio.run(main())


@app.callback()
def _setup(verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Log more.")] = False) -> None:
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING, format="%(levelname)s %(name)s: %(message)s")


@app.command()
def ask(
    text: Annotated[str, typer.Argument(help='The command as typed in chat, e.g. "/release june-2021 scope".')],
    user: Annotated[str, typer.Option(help="Platform user id or console user to ask as.")] = "console",
    format: Annotated[Format, typer.Option("--format", help="text, slack (Block Kit JSON) or teams (Adaptive Card JSON).")] = Format.text,
    page: Annotated[int, typer.Option(help="Page of a long Slack or Teams reply.", min=1)] = 1,
) -> None:
    """Print one reply and exit (0 unless releasebot itself failed)."""

    async def work(bot: Releasebot) -> int:
        reply, rendered = await bot.answer_rendered(None, text, bot.actor("console", user), format.value, page)  # type: ignore[arg-type]
        sys.stdout.write(rendered if rendered.endswith("\n") else rendered + "\n")
        return 1 if reply.title in ("Internal error", "Store unavailable") else 0

    raise typer.Exit(_run(work))


@app.command()
def console(
    user: Annotated[str, typer.Option(help="Platform user id or console user to act as.")] = "console",
    format: Annotated[Format, typer.Option("--format")] = Format.text,
) -> None:
    """Interactive console (reads piped input too)."""
    raise typer.Exit(_run(lambda bot: run_console(bot, user, format.value), watch=True))  # type: ignore[arg-type]


async def _seed_if_empty(bot: Releasebot) -> None:
    if not bot.read_model.snapshot.sources:
        await seed_demo(bot.db)
        await bot.read_model.load()


@app.command()
def demo(user: Annotated[str, typer.Option(help="Console user (the demo has `console` as admin, `observer`).")] = "console") -> None:
    """Upgrade the database, load the demo data if it is empty, and open the console."""

    async def work(bot: Releasebot) -> int:
        try:
            await _seed_if_empty(bot)
        except SeedError as exc:
            raise _fail(f"demo data: {exc}", 1) from None
        return await run_console(bot, user, "text")

    raise typer.Exit(_run(work, watch=True))


@seed_app.command("demo")
def seed_demo_command() -> None:
    """Load the demo data from the seed papers (idempotent)."""

    async def work(bot: Releasebot) -> None:
        try:
            report = await seed_demo(bot.db)
        except SeedError as exc:
            raise _fail(f"demo data: {exc}", 1) from None
        typer.echo(f"loaded {len(report.loaded)} documents, {len(report.skipped)} already present")

    _run(work)


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Apply every pending migration."""

    async def work(bot: Releasebot) -> None:
        typer.echo(f"database is at the newest schema (state version {await bot.db.version()})")

    _run(work)


@members_app.command("add")
def members_add(
    user_id: Annotated[str, typer.Argument(help="Platform user id: U0123ABC (Slack), the Entra object id GUID (Teams).")],
    role: Annotated[RoleName, typer.Option(help="admin, panel or observer.")],
    name: Annotated[str | None, typer.Option(help="Display name.")] = None,
    platform: Annotated[Platform, typer.Option(help="Which platform the id belongs to.")] = Platform.slack,
) -> None:
    """Add a member (or change a member's role); audited and undoable."""

    if platform is Platform.teams:
        from bot.teams.identity import normalize_user_id

        try:
            user_id = normalize_user_id(user_id)
        except ValueError as exc:
            raise _fail(str(exc)) from None

    async def work(bot: Releasebot) -> None:
        try:
            done = await bot.write(add_member, actor=f"cli:{getpass.getuser()}", platform=platform.value, user_id=user_id, role=role.value, name=name)
        except ChangeRefused as exc:
            raise _fail(str(exc)) from None
        typer.echo(done.event.summary)

    _run(work)


@members_app.command("list")
def members_list() -> None:
    """Every member with their platform ids and role."""

    async def work(bot: Releasebot) -> None:
        rows: dict[int, list[str]] = {}
        names: dict[int, tuple[str, str]] = {}
        for (platform, user_id), member in sorted(bot.read_model.snapshot.members.items()):
            rows.setdefault(member.id, []).append(f"{platform}:{user_id}")
            names[member.id] = (member.name, member.role)
        for member_id, ids in rows.items():
            name, role = names[member_id]
            typer.echo(f"{name:<24} {role:<9} {' '.join(ids)}")

    _run(work)


def _assemble(command: str, slack_needs: tuple[str, ...], teams_allowed: bool) -> Assembly:
    from bot.assemble import assemble

    try:
        return assemble(load_settings(), command, slack_needs, teams_allowed)
    except SettingsError as exc:
        raise _fail(str(exc)) from None


@teams_app.command("package")
def teams_package(
    out: Annotated[Path, typer.Option(help="Where to write the zip.")] = Path("releasebot-teams.zip"),
) -> None:
    """Zip teams/manifest.json (with TEAMS_CLIENT_ID as the app and bot id) and its icons for sideloading."""
    from bot.teams.package import build_package

    try:
        settings = load_settings()
        require(settings, "teams package", "teams_client_id")
        written = build_package(str(settings.teams_client_id), out)
    except (SettingsError, FileNotFoundError) as exc:
        raise _fail(str(exc)) from None
    typer.echo(f"wrote {written}: upload it in Teams under Apps → Manage your apps → Upload an app")


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port.", envvar="PORT")] = 3000,
) -> None:
    """Run the HTTP server: /slack/events, /api/messages (Teams), /healthz (and what other parts mount)."""
    import uvicorn

    from bot.web import create_web_app

    assembly = _assemble("serve", ("slack_bot_token", "slack_signing_secret"), teams_allowed=True)
    web = create_web_app(assembly.bot, routes=assembly.routes())
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

    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        pass


@votes_app.command("export")
def votes_export(
    release: Annotated[str, typer.Argument(help="Release slug, e.g. june-2022.")],
    csv: Annotated[str | None, typer.Option("--csv", help="Write to this file instead of standard output.")] = None,
) -> None:
    """Every poll of a release as CSV, one row per Panel member, for the minutes."""
    from pathlib import Path

    from commands.polls import votes_csv
    from commands.words import read_slug, tokenize
    from store import polls as poll_store
    from store.models import Poll, Release

    async def work(bot: Releasebot) -> str:
        found = read_slug(tokenize(release), 0)
        slug = found[0] if found else release
        if bot.read_model.snapshot.release(slug) is None:
            raise _fail(f"there is no release `{release}`")

        async def load(session):  # type: ignore[no-untyped-def]
            from sqlmodel import col, select

            ids = (await session.exec(select(Poll.id).join(Release, col(Release.id) == Poll.release_id).where(Release.slug == slug).order_by(col(Poll.id)))).all()
            return [await poll_store.load_poll(session, i) for i in ids]

        views = await bot.read(load)
        if not views:
            raise _fail(f"{slug} has no polls", 1)
        text = "".join(votes_csv(v) if n == 0 else votes_csv(v).split("\n", 1)[1] for n, v in enumerate(views))
        return text

    text = _run(work)
    if csv:
        Path(csv).write_text(text, encoding="utf-8")
        typer.echo(f"wrote {text.count(chr(10)) - 1} rows to {csv}")
    else:
        sys.stdout.write(text)
@app.command()
def worker() -> None:
    """Run the reminder scheduler and poll closer alone (the Procfile's `worker:`); SIGTERM or Ctrl-C stops it cleanly."""

    async def work(bot: Releasebot) -> int:
        async with httpx.AsyncClient(timeout=httpx.Timeout(10.0)) as http:
            bot.services.extend(background_services(bot, bot.settings, http))
            stop = asyncio.Event()
            loop = asyncio.get_running_loop()
            for sig in (signal.SIGTERM, signal.SIGINT):
                loop.add_signal_handler(sig, stop.set)
            await bot.start_services()
            try:
                if bot.settings.slack_bot_token is None:
                    typer.echo(messages.worker_without_token(), err=True)
                typer.echo(messages.worker_started(), err=True)
                await stop.wait()
            finally:
                await bot.stop_services()
        return 0

    raise typer.Exit(_run(work, watch=True))


@reminders_app.command("plan")
def reminders_plan(
    start: Annotated[str, typer.Option("--from", help="First day, e.g. 2021-01-01, 1 Jan 2021 or today.")],
    end: Annotated[str, typer.Option("--to", help="Last day (included).")],
    release: Annotated[str | None, typer.Option("--release", help="Only this release's milestones, e.g. february-2021.")] = None,
) -> None:
    """Print what would be posted when and where, without sending (with no subscriptions: every rule)."""

    async def work(bot: Releasebot) -> int:
        code, text = await print_plan(bot, start, end, release)
        (sys.stdout if code == 0 else sys.stderr).write(text)
        return code

    raise typer.Exit(_run(work))


def main() -> None:
    app()
