"""Teams settings, and that nothing (setting, environment, stray .env) turns off JWT validation."""

from __future__ import annotations

import json
import logging
import os
import shutil
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from bot.app import SettingsError, create_bot, load_settings
from bot.teams.app import TeamsAdapter
from bot.teams.config import teams_config
from bot.teams.identity import normalize_user_id
from tests.servers import serve_process
from tests.teamsharness import SECRET, teams_harness
from tests.teamsreq import APP_ID, TENANT, SigningKeys, message, outbound_token

SDK_VARIABLES = (
    "DANGEROUSLY_ALLOW_UNAUTHENTICATED_REQUESTS",
    "CLIENT_ID",
    "CLIENT_SECRET",
    "TENANT_ID",
    "CLOUD",
    "SERVICE_URL",
)
HOSTILE_DOTENV = "DANGEROUSLY_ALLOW_UNAUTHENTICATED_REQUESTS=true\nCLIENT_ID=11111111-2222-3333-4444-555555555555\nCLIENT_SECRET=from-dotenv\nCLOUD=China\nSERVICE_URL=https://evil.example\n"


@pytest.fixture(autouse=True)
def _no_teams_settings_from_outside(monkeypatch: pytest.MonkeyPatch) -> None:
    """These tests set what they mean to; a developer's own TEAMS_* or SDK variables must not leak in."""
    for name in (*SDK_VARIABLES, "TEAMS_CLIENT_ID", "TEAMS_CLIENT_SECRET", "TEAMS_TENANT_ID"):
        monkeypatch.delenv(name, raising=False)


def _clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "TEAMS_")) and k not in SDK_VARIABLES}
    return {**env, **extra}


def test_teams_is_off_with_one_log_line_when_unset(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.DEBUG):
        assert teams_config(load_settings()) is None
    lines = [r.getMessage() for r in caplog.records]
    assert lines == ["Teams is off: TEAMS_CLIENT_ID, TEAMS_CLIENT_SECRET, TEAMS_TENANT_ID are not set"]


def test_all_three_settings_or_a_line_naming_the_missing_one() -> None:
    with pytest.raises(SettingsError, match=r"^TEAMS_CLIENT_SECRET is not set \(TEAMS_CLIENT_ID is"):
        teams_config(load_settings(teams_client_id=APP_ID, teams_tenant_id=TENANT))
    with pytest.raises(SettingsError, match=r"^TEAMS_CLIENT_ID is not set \(TEAMS_CLIENT_SECRET is"):
        teams_config(load_settings(teams_client_secret="s", teams_tenant_id=TENANT))
    with pytest.raises(SettingsError, match=r"^TEAMS_CLIENT_ID: .*GUID"):
        load_settings(teams_client_id="my-bot")
    with pytest.raises(SettingsError, match=r"^TEAMS_TENANT_ID: "):
        load_settings(teams_tenant_id="not a tenant/")
    config = teams_config(
        load_settings(teams_client_id=APP_ID.upper(), teams_client_secret="top-secret", teams_tenant_id=f" {TENANT} ")
    )
    assert config is not None and config.client_id == APP_ID and config.tenant_id == TENANT
    assert "top-secret" not in repr(config) and "top-secret" not in repr(
        load_settings(teams_client_secret="top-secret")
    )
    assert (
        teams_config(load_settings(teams_client_id="", teams_client_secret=" ", teams_tenant_id="")) is None
    )  # blank is unset


def test_teams_user_ids_for_members_add() -> None:
    assert normalize_user_id(" 9A8B7C6D-5E4F-4A3B-8C2D-1E0F9A8B7C6D ") == "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d"
    assert normalize_user_id("29:1AbCdEf-pairwise") == "29:1AbCdEf-pairwise"
    for bad in ("bob", "", "U0123ABC", "9a8b7c6d-5e4f"):
        with pytest.raises(ValueError, match="not a Teams user id"):
            normalize_user_id(bad)


async def test_the_sdks_environment_switch_cannot_turn_validation_off(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DANGEROUSLY_ALLOW_UNAUTHENTICATED_REQUESTS", "true")
    async with teams_harness(database_url) as teams:
        activity = message(teams.connector.url, "release june-2022 scope")
        unsigned = await teams.post(activity, token=None)
        assert unsigned.status_code == 401 and unsigned.json() == {"error": "Unauthorized"}
        assert (await teams.post(activity, token=SigningKeys().token(teams.connector.url))).status_code == 401
        assert teams.connector.calls == []


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
async def test_the_adapter_refuses_to_start_if_the_sdk_would_skip_validation(database_url: str) -> None:
    settings = load_settings(
        database_url=database_url, teams_client_id=APP_ID, teams_client_secret=SECRET, teams_tenant_id=TENANT
    )
    config = teams_config(settings)
    assert config is not None
    adapter = TeamsAdapter(create_bot(settings), config, token=outbound_token)
    adapter.app.options.dangerously_allow_unauthenticated_requests = True  # as if a future SDK read it from elsewhere
    with pytest.raises(RuntimeError, match="every activity's token must be validated"):
        await adapter.start()


def test_a_stray_dotenv_cannot_reach_the_environment(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text(HOSTILE_DOTENV)
    probe = "import json, os, {module}; print(json.dumps({{k: os.environ.get(k) for k in {keys!r}}}))"

    def run(module: str) -> dict[str, str | None]:
        code = probe.format(module=module, keys=SDK_VARIABLES)
        result = subprocess.run(
            [sys.executable, "-c", code], cwd=tmp_path, env=_clean_env(), capture_output=True, text=True, timeout=60
        )
        assert result.returncode == 0, result.stderr
        return json.loads(result.stdout)  # type: ignore[no-any-return]

    # The SDK imported directly copies the .env into the environment (the gotcha this guards)...
    assert run("microsoft_teams.apps")["DANGEROUSLY_ALLOW_UNAUTHENTICATED_REQUESTS"] == "true"
    # ...through bot.teams.sdk nothing of it is left.
    assert run("bot.teams.sdk") == dict.fromkeys(SDK_VARIABLES)


def test_serve_with_a_partial_teams_setting_stops_with_one_line(tmp_path: Path) -> None:
    env = _clean_env(
        RELEASEBOT_DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path / 'x.db'}",
        SLACK_BOT_TOKEN="xoxb-1",
        SLACK_SIGNING_SECRET="s",
        TEAMS_CLIENT_ID=APP_ID,
    )
    result = subprocess.run([sys.executable, "-m", "bot", "serve"], env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "releasebot: TEAMS_CLIENT_SECRET is not set (TEAMS_CLIENT_ID is; Teams needs TEAMS_CLIENT_ID, TEAMS_CLIENT_SECRET and TEAMS_TENANT_ID)"
    ]


async def test_served_process_mounts_teams_and_refuses_unsigned_activities_despite_a_dotenv(
    templates, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    db = tmp_path / "served.db"
    shutil.copyfile(templates.sqlite_seeded, db)
    (tmp_path / ".env").write_text(HOSTILE_DOTENV)
    env = _clean_env(
        RELEASEBOT_DATABASE_URL=f"sqlite+aiosqlite:///{db}",
        SLACK_BOT_TOKEN="xoxb-served",
        SLACK_SIGNING_SECRET="slack-secret",
        TEAMS_CLIENT_ID=APP_ID,
        TEAMS_CLIENT_SECRET=SECRET,
        TEAMS_TENANT_ID=TENANT,
    )
    async with serve_process(env, cwd=tmp_path) as served, httpx.AsyncClient(timeout=10) as http:
        activity = message("https://smba.trafficmanager.net/emea/", "release june-2022 scope")
        unsigned = await http.post(f"{served.url}/api/messages", json=activity)
        assert unsigned.status_code == 401 and unsigned.json() == {"error": "Unauthorized"}
    assert served.returncode in (0, -15), served.stderr
    assert "Traceback" not in served.stderr and "ERROR" not in served.stderr and "WARNING" not in served.stderr, (
        served.stderr
    )
    assert SECRET not in served.stderr and "slack-secret" not in served.stderr


def test_members_add_takes_a_teams_object_id_and_the_bot_then_knows_them(templates, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    db = tmp_path / "members.db"
    shutil.copyfile(templates.sqlite_seeded, db)
    env = _clean_env(RELEASEBOT_DATABASE_URL=f"sqlite+aiosqlite:///{db}")

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "bot", *args], env=env, capture_output=True, text=True, timeout=120, cwd=tmp_path
        )

    added = run(
        "members",
        "add",
        "9A8B7C6D-5E4F-4A3B-8C2D-1E0F9A8B7C6D",
        "--platform",
        "teams",
        "--role",
        "admin",
        "--name",
        "Tess Admin",
    )
    assert added.returncode == 0, added.stderr
    assert "Added Tess Admin (teams:9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d) as admin" in added.stdout
    assert "teams:9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d" in run("members", "list").stdout
    refused = run("members", "add", "tess@example.com", "--platform", "teams", "--role", "admin")
    assert refused.returncode == 2 and len(refused.stderr.strip().splitlines()) == 1
    assert refused.stderr.startswith("releasebot: `tess@example.com` is not a Teams user id")


async def test_serve_runs_teams_alone_when_slack_is_not_configured(templates, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    db = tmp_path / "teams-only.db"
    shutil.copyfile(templates.sqlite_seeded, db)
    env = _clean_env(
        RELEASEBOT_DATABASE_URL=f"sqlite+aiosqlite:///{db}",
        TEAMS_CLIENT_ID=APP_ID,
        TEAMS_CLIENT_SECRET=SECRET,
        TEAMS_TENANT_ID=TENANT,
    )
    async with serve_process(env, cwd=tmp_path) as served, httpx.AsyncClient(timeout=10) as http:
        activity = message("https://smba.trafficmanager.net/emea/", "release june-2022 scope")
        assert (await http.post(f"{served.url}/api/messages", json=activity)).status_code == 401
        assert (await http.post(f"{served.url}/slack/events", content=b"x")).status_code in (404, 405)
        assert (await http.get(f"{served.url}/calendar/june-2022.ics")).status_code == 200
    assert "Traceback" not in served.stderr, served.stderr


def test_serve_with_nothing_configured_names_the_slack_token(tmp_path: Path) -> None:
    env = _clean_env(RELEASEBOT_DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path / 'x.db'}")
    result = subprocess.run([sys.executable, "-m", "bot", "serve"], env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith("releasebot: SLACK_BOT_TOKEN is not set") and "TEAMS_CLIENT_ID" in line
