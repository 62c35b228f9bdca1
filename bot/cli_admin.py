"""The `releasebot` sub-commands that look after the store: members, db, seed, votes, reminders, teams."""

from __future__ import annotations

import getpass
import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from bot.launch import TodayOption, fail, run

if TYPE_CHECKING:  # each command imports what it uses when it runs (start-up: bot.cli)
    from bot.core import Releasebot

__all__ = ["register"]

members_app = typer.Typer(help="Members and their roles.", no_args_is_help=True, rich_markup_mode=None)
db_app = typer.Typer(help="Database schema.", no_args_is_help=True, rich_markup_mode=None)
seed_app = typer.Typer(help="Load data.", no_args_is_help=True, rich_markup_mode=None)
votes_app = typer.Typer(help="Panel polls.", no_args_is_help=True, rich_markup_mode=None)
reminders_app = typer.Typer(help="Deadline reminders.", no_args_is_help=True, rich_markup_mode=None)
teams_app = typer.Typer(help="Microsoft Teams.", no_args_is_help=True, rich_markup_mode=None)


def register(app: typer.Typer) -> None:
    """Add the sub-command groups to the `releasebot` app."""
    app.add_typer(members_app, name="members")
    app.add_typer(db_app, name="db")
    app.add_typer(seed_app, name="seed")
    app.add_typer(votes_app, name="votes")
    app.add_typer(reminders_app, name="reminders")
    app.add_typer(teams_app, name="teams")


class RoleName(StrEnum):
    admin = "admin"
    panel = "panel"
    observer = "observer"


class Platform(StrEnum):
    slack = "slack"
    teams = "teams"
    console = "console"


@members_app.command("add")
def members_add(
    user_id: Annotated[
        str, typer.Argument(help="Platform user id: U0123ABC (Slack), the Entra object id GUID (Teams).")
    ],
    role: Annotated[RoleName, typer.Option(help="admin, panel or observer.")],
    name: Annotated[str | None, typer.Option(help="Display name.")] = None,
    platform: Annotated[Platform, typer.Option(help="Which platform the id belongs to.")] = Platform.slack,
) -> None:
    """Add a member (or change a member's role); audited and undoable."""
    from commands.record_refusals import say  # every refusal's words, the record's too
    from domain.refusals import Refusal
    from store.changes import AddMember

    if platform is Platform.teams:
        from bot.teams.identity import normalize_user_id

        try:
            user_id = normalize_user_id(user_id)
        except ValueError as exc:
            raise fail(str(exc)) from None

    async def work(bot: Releasebot) -> None:
        try:
            done = await bot.writer.write(
                AddMember(f"cli:{getpass.getuser()}", platform.value, user_id, role.value, name)
            )
        except Refusal as refusal:
            raise fail(say(refusal)) from None
        typer.echo(done.event.summary)

    run(work)


@members_app.command("link")
def members_link(
    member: Annotated[str, typer.Argument(help="The member: their name, #id, or an account of theirs (slack:U0123).")],
    user_id: Annotated[str, typer.Argument(help="Their id on the other platform.")],
    platform: Annotated[Platform, typer.Option(help="Which platform the id belongs to.")],
) -> None:
    """Give a member another platform account (one person, one vote); audited and undoable."""
    from commands.record_refusals import say
    from domain.refusals import Refusal
    from store.changes import LinkIdentity

    if platform is Platform.teams:
        from bot.teams.identity import normalize_user_id

        try:
            user_id = normalize_user_id(user_id)
        except ValueError as exc:
            raise fail(str(exc)) from None

    async def work(bot: Releasebot) -> None:
        try:
            done = await bot.writer.write(LinkIdentity(f"cli:{getpass.getuser()}", member, platform.value, user_id))
        except Refusal as refusal:
            raise fail(say(refusal)) from None
        typer.echo(done.event.summary)

    run(work)


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

    run(work)


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Apply every pending migration."""

    async def work(bot: Releasebot) -> None:
        typer.echo(f"database is at the newest schema (state version {await bot.db.version()})")

    run(work)


@seed_app.command("demo")
def seed_demo_command() -> None:
    """Load the demo data from the seed papers (idempotent)."""
    from store.seed import SeedError, seed_demo

    async def work(bot: Releasebot) -> None:
        try:
            report = await seed_demo(bot.db, bot.clock())
        except SeedError as exc:
            raise fail(f"demo data: {exc}", 1) from None
        typer.echo(f"loaded {len(report.loaded)} documents, {len(report.skipped)} already present")

    run(work)


@votes_app.command("export")
def votes_export(
    release: Annotated[str, typer.Argument(help="Release slug, e.g. june-2022.")],
    csv: Annotated[str | None, typer.Option("--csv", help="Write to this file instead of standard output.")] = None,
) -> None:
    """Every poll of a release as CSV, one row per Panel member, for the minutes."""
    from sqlmodel import col, select
    from sqlmodel.ext.asyncio.session import AsyncSession

    from commands.polls import votes_csv
    from domain.polls import PollView
    from domain.words import read_slug, tokenize
    from store import polls as poll_store
    from store.models import Poll, Release

    async def work(bot: Releasebot) -> str:
        found = read_slug(tokenize(release), 0)
        slug = found[0] if found else release
        if bot.read_model.snapshot.release(slug) is None:
            raise fail(f"there is no release `{release}`")

        async def load(session: AsyncSession) -> list[PollView]:
            ids = (
                await session.exec(
                    select(Poll.id)
                    .join(Release, col(Release.id) == Poll.release_id)
                    .where(Release.slug == slug)
                    .order_by(col(Poll.id))
                )
            ).all()
            return [await poll_store.load_poll(session, i) for i in ids if i is not None]

        views: list[PollView] = await bot.writer.read(load)
        if not views:
            raise fail(f"{slug} has no polls", 1)
        text = "".join(votes_csv(v) if n == 0 else votes_csv(v).split("\n", 1)[1] for n, v in enumerate(views))
        return text

    text = run(work)
    if csv:
        Path(csv).write_text(text, encoding="utf-8")
        typer.echo(f"wrote {text.count(chr(10)) - 1} rows to {csv}")
    else:
        sys.stdout.write(text)


@reminders_app.command("plan")
def reminders_plan(
    start: Annotated[str, typer.Option("--from", help="First day, e.g. 2021-01-01, 1 Jan 2021 or today.")],
    end: Annotated[str, typer.Option("--to", help="Last day (included).")],
    release: Annotated[
        str | None, typer.Option("--release", help="Only this release's milestones, e.g. february-2021.")
    ] = None,
    today: TodayOption = None,
) -> None:
    """Print what would be posted when and where, without sending (with no subscriptions: every rule)."""
    from bot.plan import print_plan

    async def work(bot: Releasebot) -> int:
        code, text = await print_plan(bot, start, end, release)
        (sys.stdout if code == 0 else sys.stderr).write(text)
        return code

    raise typer.Exit(run(work, today=today))


@teams_app.command("package")
def teams_package(
    out: Annotated[Path, typer.Option(help="Where to write the zip.")] = Path("releasebot-teams.zip"),
) -> None:
    """Zip teams/manifest.json (with TEAMS_CLIENT_ID as the app and bot id) and its icons for sideloading."""
    from bot.app import SettingsError, load_settings, require
    from bot.teams.package import build_package

    try:
        settings = load_settings()
        require(settings, "teams package", "teams_client_id")
        written = build_package(str(settings.teams_client_id), out)
    except (SettingsError, FileNotFoundError) as exc:
        raise fail(str(exc)) from None
    typer.echo(f"wrote {written}: upload it in Teams under Apps → Manage your apps → Upload an app")
