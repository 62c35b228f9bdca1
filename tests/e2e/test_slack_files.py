"""Files in Slack over real HTTP: `/release ... docx|pdf|png` uploads through files_upload_v2 (the
getUploadURLExternal, upload, completeUploadExternal flow) of the fake Web API, to the
conversation asked from; App Home's Download buttons send the file to the person's DM.

Assertions read the bytes that reached the fake upload URL back as Word files and PNG pictures.
"""

from __future__ import annotations

import io
import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from bot.app import create_bot, load_settings
from bot.slack.app import SlackAdapter
from bot.web import create_web_app
from commands.render.checks import check_slack_view
from tests.docreader import read_docx
from tests.e2e.test_slack import Harness
from tests.fakeslack import FakeSlack
from tests.helpers import SettableClock
from tests.servers import serve
from tests.slackreq import SECRET, block_action

ADMIN, OBSERVER = "U0ADMIN01", "U0OBSERV1"
PNG = b"\x89PNG\r\n\x1a\n"
DEMO_DAY = datetime(2020, 12, 4, 9, 0, tzinfo=UTC)


@pytest.fixture
async def slack(database_url: str) -> AsyncIterator[Harness]:
    clock = SettableClock()
    clock.set(DEMO_DAY)
    async with FakeSlack() as fake:
        settings = load_settings(
            database_url=database_url,
            slack_bot_token="xoxb-test",
            slack_signing_secret=SECRET,
            slack_api_url=fake.api_url,
        )
        bot = create_bot(settings, clock=clock)
        adapter = SlackAdapter(bot, settings)
        bot.services.add(adapter)
        web = create_web_app(bot, routes=adapter.routes())
        async with serve(web, lifespan="on") as url, httpx.AsyncClient(timeout=30) as http:
            yield Harness(url, http, fake, bot)


async def _uploaded(slack: Harness, count: int = 1) -> list[Any]:
    await slack.fake.wait_for("files.completeUploadExternal", count=count, timeout=60)
    return slack.fake.uploads()


async def test_rid_docx_is_uploaded_to_the_channel_asked_from(slack: Harness) -> None:
    ack = (await slack.command("june-2021 rid version 1.1 docx", user=OBSERVER, channel="C0ASKED")).json()
    assert ack["response_type"] == "ephemeral" and "rid-june-2021-v1.1.docx" in json.dumps(ack["blocks"])
    (upload,) = await _uploaded(slack)
    assert upload.channel == "C0ASKED"
    assert upload.filename == "rid-june-2021-v1.1.docx" and upload.title == "June 2021 SEC Release: RID v1.1"
    asked = slack.fake.calls_to("files.getUploadURLExternal")[0].body
    assert int(asked["length"]) == len(upload.data)  # the length Slack was told is what was sent
    word = read_docx(upload.data)  # a real Word file, with the RID's structure
    headings = [s.heading for s in word.sections]
    assert "1 Scope" in " ".join(headings) or any("Scope" in h for h in headings)
    assert "MP147" in json.dumps([s.tables for s in word.sections])


async def test_timeline_png_from_a_dm_and_the_same_file_is_built_once(slack: Harness) -> None:
    await slack.command("june-2021 timeline png", user=OBSERVER, channel="D0OBSERV1", channel_name="directmessage")
    (first,) = await _uploaded(slack)
    assert first.channel == "D0OBSERV1" and first.filename == "timeline-june-2021-2020-12-04.png"
    assert first.data.startswith(PNG)
    from PIL import Image

    with Image.open(io.BytesIO(first.data)) as picture:
        assert picture.format == "PNG" and picture.width > 400 and picture.height > 200
    builds = slack.bot.documents.builds
    await slack.command("june-2021 timeline png", user=ADMIN, channel="C0OTHER")
    second = (await _uploaded(slack, count=2))[1]
    assert second.channel == "C0OTHER" and second.data == first.data
    assert slack.bot.documents.builds == builds == 1  # same document, same state version: the file is reused


async def test_a_report_and_every_release_timeline_and_errors_in_words(slack: Harness) -> None:
    await slack.command("report status 2016-12 docx")
    (report,) = await _uploaded(slack)
    assert report.filename == "status-report-2016-12.docx"
    assert "Modification Status Report" in read_docx(report.data).title
    await slack.command("timeline png")
    assert (await _uploaded(slack, count=2))[1].data.startswith(PNG)
    # Bad requests are answered in the ack, and nothing is uploaded.
    wrong = (await slack.command("june-2021 rid version 9.9 pdf")).json()
    assert "no RID version 9.9" in json.dumps(wrong) and "1.1" in json.dumps(wrong)
    picture = (await slack.command("june-2021 rid png")).json()
    assert "is a document" in json.dumps(picture)
    assert len(slack.fake.calls_to("files.getUploadURLExternal")) == 2


async def test_an_upload_slack_refuses_is_told_privately(slack: Harness) -> None:
    slack.fake.script("files.completeUploadExternal", body={"ok": False, "error": "not_in_channel"})
    await slack.command("june-2021 rid md", channel="C0NOTIN")
    told = (await slack.fake.wait_for("response", timeout=60))[0].body
    assert told["response_type"] == "ephemeral" and "not_in_channel" in told["text"] and "/invite" in told["text"]


def _buttons(blocks: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Each button label's first button (every release in flight has its own row)."""
    found: dict[str, dict[str, Any]] = {}
    for block in blocks:
        for e in block.get("elements", []) if block["type"] == "actions" else []:
            found.setdefault(e["text"]["text"], e)
    return found


async def test_app_home_download_button_sends_the_file_to_the_dm(slack: Harness) -> None:
    await slack.event({"type": "app_home_opened", "user": OBSERVER, "channel": "D0X", "tab": "home", "event_ts": "1.3"})
    view = (await slack.fake.wait_for("views.publish"))[0].body["view"]
    assert check_slack_view(view) == []
    buttons = _buttons(view["blocks"])
    assert "Download RID (Word)" in buttons and "Download timeline of all releases (PNG)" in buttons
    rid = buttons["Download RID (Word)"]  # the first release in flight on 4 Dec 2020: February 2021
    assert rid["value"] == "/release february-2021 rid docx"
    await slack.post(block_action(rid["action_id"], rid["value"], user=OBSERVER, channel="D0X"))
    (upload,) = await _uploaded(slack)
    opened = slack.fake.calls_to("conversations.open")[0].body
    assert opened["users"] == OBSERVER and upload.channel == "D" + OBSERVER[1:]
    assert upload.filename == "rid-february-2021.docx" and read_docx(upload.data).sections


async def test_a_mention_gets_its_file_in_the_thread(slack: Harness) -> None:
    inner = {
        "type": "app_mention",
        "user": OBSERVER,
        "text": "<@U0BOT> release report progress 2016-12 png",
        "ts": "5.5",
    }
    await slack.event({**inner, "channel": "C0RELEASES"})
    (upload,) = await _uploaded(slack)
    assert upload.channel == "C0RELEASES" and upload.thread_ts == "5.5" and upload.data.startswith(PNG)
    said = (await slack.fake.wait_for("chat.postMessage"))[0].body
    assert said["thread_ts"] == "5.5" and "progress-2016-12.png" in json.dumps(said["blocks"])


async def test_served_process_uploads_a_report_with_charts_and_a_picture(templates, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """`releasebot serve` as run: charts drawn in its spawned chart process, files uploaded, and it stops cleanly."""
    import os
    import shutil

    from tests.servers import serve_process
    from tests.slackreq import signed, slash

    db = tmp_path / "served.db"
    shutil.copyfile(templates.sqlite_seeded, db)
    async with FakeSlack() as fake:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "TEAMS_", "RELEASEBOT_"))}
        env |= {
            "RELEASEBOT_DATABASE_URL": f"sqlite+aiosqlite:///{db}",
            "RELEASEBOT_TODAY": "2020-12-04",
            "SLACK_BOT_TOKEN": "xoxb-served",
            "SLACK_SIGNING_SECRET": SECRET,
            "SLACK_API_URL": fake.api_url,
        }
        async with serve_process(env) as served, httpx.AsyncClient(timeout=30) as http:
            for text in ("report status 2016-12 pdf", "timeline png"):
                body = slash("/release", text, response_url=fake.response_url())
                assert (
                    await http.post(f"{served.url}/slack/events", content=body, headers=signed(body))
                ).status_code == 200
            await fake.wait_for("files.completeUploadExternal", count=2, timeout=120)
        files = {u.filename: u for u in fake.uploads()}
        assert set(files) == {"status-report-2016-12.pdf", "timeline-all-2020-12-04.png"}
        assert files["status-report-2016-12.pdf"].data.startswith(b"%PDF")
        assert files["timeline-all-2020-12-04.png"].data.startswith(PNG)
        assert {u.channel for u in files.values()} == {"C0RELEASES"}
    assert served.returncode in (0, -15), served.stderr  # uvicorn re-raises the SIGTERM it handled
    assert "Traceback" not in served.stderr and "WARNING" not in served.stderr and "leaked" not in served.stderr
