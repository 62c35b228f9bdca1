"""`releasebot serve` as a new user runs it: a real process, the fake Slack Web API, signed requests."""

from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path

import httpx
import pytest

from commands.render.checks import check_slack_blocks
from tests.fakeslack import FakeSlack
from tests.servers import serve_process
from tests.slackreq import SECRET, event, signed, slash


def _env(db: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SLACK_")}
    return {**env, "RELEASEBOT_DATABASE_URL": f"sqlite+aiosqlite:///{db}", **extra}


@pytest.mark.parametrize(
    ("missing", "present"),
    [("SLACK_SIGNING_SECRET", {"SLACK_BOT_TOKEN": "xoxb-1"}), ("SLACK_BOT_TOKEN", {"SLACK_SIGNING_SECRET": "s"})],
)
def test_serve_without_a_setting_stops_with_one_line_naming_it(
    tmp_path: Path, missing: str, present: dict[str, str]
) -> None:
    import subprocess

    result = subprocess.run(
        [sys.executable, "-m", "bot", "serve"],
        env=_env(tmp_path / "x.db", **present),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [f"releasebot: {missing} is not set (needed by `releasebot serve`)"]


def test_malformed_token_is_named(tmp_path: Path) -> None:
    import subprocess

    env = _env(tmp_path / "x.db", SLACK_BOT_TOKEN="not-a-token", SLACK_SIGNING_SECRET="s")
    result = subprocess.run([sys.executable, "-m", "bot", "serve"], env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 2 and result.stderr.startswith("releasebot: SLACK_BOT_TOKEN:")
    assert "not-a-token" not in result.stderr  # secrets are never echoed


async def test_a_panel_secretary_uses_the_served_app(templates, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    db = tmp_path / "served.db"
    shutil.copyfile(templates.sqlite_seeded, db)
    async with FakeSlack() as fake:
        env = _env(db, SLACK_BOT_TOKEN="xoxb-served", SLACK_SIGNING_SECRET=SECRET, SLACK_API_URL=fake.api_url)
        async with serve_process(env) as served, httpx.AsyncClient(timeout=10) as http:
            base = served.url

            async def command(text: str, user: str = "U0ADMIN01", name: str = "/release") -> dict:  # type: ignore[type-arg]
                body = slash(name, text, user=user, response_url=fake.response_url())
                response = await http.post(f"{base}/slack/events", content=body, headers=signed(body))
                assert response.status_code == 200, response.text
                data = response.json()
                assert check_slack_blocks(data["blocks"]) == [], text
                return data  # type: ignore[no-any-return]

            listing = await command("")
            assert "June 2022 SEC Release" in json.dumps(listing["blocks"])
            scope = await command("nov-2021 scope")
            assert "MP099" in json.dumps(scope["blocks"]) and "June 2022" in json.dumps(scope["blocks"])
            mod = await command("SECMP20", name="/mod")
            assert "Wed 14 Dec 2016" in json.dumps(mod["blocks"], ensure_ascii=False)
            change = await command("june-2022 approve MP099 Change Board approved")
            assert change["response_type"] == "in_channel"
            undo = await command("undo")
            assert "Undid" in json.dumps(undo["blocks"])
            body = event(
                {
                    "type": "app_mention",
                    "user": "U0PANEL01",
                    "text": "<@U0BOT> june-2021 costs",
                    "ts": "7.7",
                    "channel": "C0REL",
                }
            )
            await http.post(f"{base}/slack/events", content=body, headers=signed(body, "application/json"))
            posted = (await fake.wait_for("chat.postMessage"))[0]
            assert posted.headers["authorization"] == "Bearer xoxb-served"
            assert "SECAS" in json.dumps(posted.body["blocks"])
        # uvicorn shuts down gracefully on SIGTERM, then re-raises the signal for the exit status.
        assert served.returncode in (0, -15), served.stderr
        assert "Traceback" not in served.stderr and "WARNING" not in served.stderr, served.stderr
        assert "xoxb-served" not in served.stderr and SECRET not in served.stderr


async def test_served_on_a_set_day_lives_on_it_and_says_so(templates, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """RELEASEBOT_TODAY moves the bot's day, not Slack's: signed requests (real timestamps) still pass."""
    db = tmp_path / "served.db"
    shutil.copyfile(templates.sqlite_seeded, db)
    async with FakeSlack() as fake:
        env = _env(
            db,
            SLACK_BOT_TOKEN="xoxb-served",
            SLACK_SIGNING_SECRET=SECRET,
            SLACK_API_URL=fake.api_url,
            RELEASEBOT_TODAY="2020-12-04",
        )
        async with serve_process(env) as served, httpx.AsyncClient(timeout=10) as http:
            body = slash("/release", "", user="U0OBSERV1", response_url=fake.response_url())
            response = await http.post(f"{served.url}/slack/events", content=body, headers=signed(body))
            assert response.status_code == 200, response.text
            listing = json.dumps(response.json()["blocks"], ensure_ascii=False)
            assert listing.index("February 2021 SEC Release") < listing.index("June 2021 SEC Release")
            assert "in 56 WD" in listing
    assert (
        "releasebot serve: living on Fri 4 Dec 2020 from 09:00 Europe/London (set by RELEASEBOT_TODAY)" in served.stderr
    )
    assert "Traceback" not in served.stderr and "WARNING" not in served.stderr, served.stderr
