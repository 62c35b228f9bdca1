"""`/release <slug> edit [scope|milestone] [ref]`: parsed like any command, refused or answered by
its handler, and the reply's meta names the form an adapter that has forms opens. Pure: a
snapshot built in memory, no database."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from bot.app import command_table
from commands.context import Actor, Context
from commands.dispatch import answer
from commands.edit import edit
from commands.language import Edit, ParseError
from commands.parse import parse
from commands.render import render_text
from domain.rules import load_rules
from domain.snapshot import Snapshot
from domain.views import ReleaseView

TODAY = date(2021, 1, 4)
TABLE = command_table()
JUNE = ReleaseView(1, "june-2022", "June 2022 SEC Release", date(2022, 6, 30), "planned", True, "", "")
ADMIN = Actor("console", "console", "Demo Secretary", "admin", 1)
PANEL = Actor("slack", "U0PANEL01", "Pat Panel", "panel", 2)
STRANGER = Actor("slack", "U0STRANGE", "U0STRANGE")


def context(actor: Actor) -> Context:
    snap = Snapshot(version=1, releases=[JUNE], release_by_slug={JUNE.slug: JUNE}, release_by_id={JUNE.id: JUNE})
    return Context(snap, actor, datetime(2021, 1, 4, 9, tzinfo=UTC), TODAY, load_rules())


def read(text: str) -> Edit | ParseError:
    got = parse(TABLE.grammar, "release", text, TODAY)
    assert isinstance(got, (Edit, ParseError)), got
    return got


@pytest.mark.parametrize(
    ("text", "form", "ref"),
    [
        ("june-2022 edit", "scope", None),
        ("June 2022 EDIT Scope", "scope", None),
        ("june-2022 edit mp77", "scope", "MP077"),
        ("june-2022 edit scope MP 122A", "scope", "MP122A"),
        ("jun-2022 edit milestones", "milestone", None),
    ],
)
def test_edit_parses_the_form_and_the_modification(text: str, form: str, ref: str | None) -> None:
    assert read(text) == Edit(slug="june-2022", form=form, ref=ref, text=f"/release {text}")


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("june-2022 edit budget", "not a modification reference"),
        ("june-2022 edit scope MP077 now", "after `edit`"),
        ("nonsense edit", "not a release I know how to read"),
    ],
)
def test_edit_with_words_it_does_not_take_is_a_parse_error(text: str, says: str) -> None:
    got = read(text)
    assert isinstance(got, ParseError) and says in got.message


def test_an_admin_gets_the_form_to_open_in_the_meta_and_the_commands_in_the_text() -> None:
    cmd = read("june-2022 edit scope MP077")
    assert isinstance(cmd, Edit)
    reply = edit(cmd, context(ADMIN))
    assert reply.kind == "answer" and not reply.is_error
    assert reply.meta == {"modal": "scope", "slug": "june-2022", "ref": "MP077"}
    shown = render_text(reply)
    assert "form opens in Slack" in shown and "/release june-2022 edit" in shown
    assert "/release june-2022 approve MP077" in shown and "/release june-2022 move MP077 to <release>" in shown


def test_the_milestone_form_names_the_milestone_commands() -> None:
    reply = edit(Edit(slug="june-2022", form="milestone", text="/release june-2022 edit milestone"), context(ADMIN))
    assert reply.meta == {"modal": "milestone", "slug": "june-2022"}
    assert "/release june-2022 milestone add <kind> <date>" in render_text(reply)


@pytest.mark.parametrize(
    ("actor", "says"), [(PANEL, "Sorry Pat Panel, only release admins"), (STRANGER, "I don't know you")]
)
def test_others_are_refused_in_one_sentence_with_no_form(actor: Actor, says: str) -> None:
    reply = edit(Edit(slug="june-2022", text="/release june-2022 edit"), context(actor))
    assert reply.is_error and "modal" not in reply.meta
    assert says in reply.fallback and says in render_text(reply)


def test_an_unknown_release_is_refused_with_the_nearest_one() -> None:
    reply = edit(Edit(slug="june-2023", text="/release june-2023 edit"), context(ADMIN))
    assert reply.is_error and "modal" not in reply.meta
    assert "There is no release `june-2023`" in render_text(reply) and "`june-2022`" in render_text(reply)


async def test_edit_goes_through_the_table_like_any_command_and_is_never_cached() -> None:
    ctx = context(ADMIN)
    reply = await answer(read("june-2022 edit"), ctx, "/release june-2022 edit", TABLE)
    assert reply.meta["modal"] == "scope"
    assert "release.edit" not in TABLE.read_only
