"""A paper sent to the bot as a Teams attachment: a preview card with Apply and Cancel."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from bot.teams.papers import FILE_INFO
from commands.render.checks import check_adaptive_card
from store.changes import AddMember
from tests.paperkit import NEW_PAPER
from tests.servers import serve
from tests.teamsharness import TeamsHarness, teams_harness
from tests.teamsreq import card_action, message, user

ADMIN_AAD = "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d"
ADMIN = user(aad=ADMIN_AAD, teams_id="29:1-tess", name="Tess")


@dataclass
class Files:
    """Where Teams keeps the attachments (SharePoint, in production): a loopback server here."""

    url: str
    content: dict[str, str]
    fetched: list[str]


@pytest.fixture
async def files() -> AsyncIterator[Files]:
    found = Files("", {"march.yaml": NEW_PAPER}, [])

    async def one(request: Request) -> Response:
        name = request.path_params["name"]
        found.fetched.append(name)
        return Response(found.content[name]) if name in found.content else PlainTextResponse("gone", 404)

    async with serve(Starlette(routes=[Route("/files/{name}", one)])) as url:
        found.url = url
        yield found


@pytest.fixture
async def teams(database_url: str) -> AsyncIterator[TeamsHarness]:
    async with teams_harness(database_url, file_hosts=frozenset({"127.0.0.1"})) as harness:
        await harness.bot.writer.write(AddMember("test", "teams", ADMIN_AAD, "admin", "Tess Admin"))
        yield harness


def _with_file(teams: TeamsHarness, url: str, name: str = "march.yaml", sender: Any = ADMIN) -> dict[str, Any]:
    activity = message(teams.connector.url, "", sender=sender)
    activity["attachments"] = [
        {"contentType": FILE_INFO, "name": name, "content": {"downloadUrl": url, "uniqueId": "u1", "fileType": "yaml"}}
    ]
    return activity


def _text(card: dict[str, Any]) -> str:
    return json.dumps(card, ensure_ascii=False)


async def _card(teams: TeamsHarness, activity: dict[str, Any]) -> dict[str, Any]:
    before = len(teams.connector.calls)
    assert (await teams.post(activity)).status_code == 200
    return (await teams.sent(before + 1))[-1].cards[0]


async def _press(teams: TeamsHarness, card: dict[str, Any], title: str, sender: Any = ADMIN) -> dict[str, Any]:
    button = next(a for a in card.get("actions") or [] if a["title"] == title)
    response = await teams.post(card_action(teams.connector.url, button["verb"], button.get("data"), sender=sender))
    assert response.status_code == 200
    value: dict[str, Any] = response.json()["value"]
    assert check_adaptive_card(value) == []
    return value


async def test_an_attached_paper_is_previewed_then_applied(teams: TeamsHarness, files: Files) -> None:
    preview = await _card(teams, _with_file(teams, f"{files.url}/files/march.yaml"))
    assert check_adaptive_card(preview) == []
    assert "Importing" in _text(preview) and "new releases: november-2022" in _text(preview)
    verbs = {a["title"]: a["verb"] for a in preview["actions"]}
    assert verbs["Apply"] == "releasebot.paper_apply" and verbs["Cancel"] == "releasebot.paper_cancel"
    assert teams.bot.read_model.snapshot.release("november-2022") is None

    stranger = user(aad="00000000-1111-4222-8333-444444444444", teams_id="29:1-someone", name="Someone")
    refused = await _press(teams, preview, "Apply", sender=stranger)
    assert "don't know you" in _text(refused) or "only release admins" in _text(refused)
    assert teams.bot.read_model.snapshot.release("november-2022") is None

    applied = await _press(teams, preview, "Apply")
    assert "Imported march.yaml: panel-2021-03-05" in _text(applied)
    assert teams.bot.read_model.snapshot.release("november-2022") is not None
    assert files.fetched == ["march.yaml", "march.yaml"]  # previewed, then fetched again to apply


async def test_cancel_and_files_from_elsewhere(teams: TeamsHarness, files: Files) -> None:
    preview = await _card(teams, _with_file(teams, f"{files.url}/files/march.yaml"))
    cancelled = await _press(teams, preview, "Cancel")
    assert "Import cancelled; nothing was changed." in _text(cancelled)
    assert teams.bot.read_model.snapshot.release("november-2022") is None
    elsewhere = await _card(teams, _with_file(teams, "https://files.example.com/march.yaml"))
    assert "not kept where the bot downloads files from" in _text(elsewhere) and "Apply" not in _text(elsewhere)
    other = await _card(teams, _with_file(teams, f"{files.url}/files/minutes.pdf", name="minutes.pdf"))
    assert "I can import a paper sent as a .yaml file" in _text(other)
    assert files.fetched == ["march.yaml"]
