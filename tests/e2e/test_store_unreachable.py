"""The store unreachable or hung (issue 11.11): `releasebot serve` stops with one line naming the
database setting, and /healthz answers "unavailable" within its own bound while a store read
never returns (not even when cancelled)."""

from __future__ import annotations

import asyncio
import os
import socket
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import asyncpg
import httpx
import pytest

from bot.core import Releasebot
from bot.web import create_web_app
from tests.conftest import _dsn
from tests.servers import serve


def _serve(database_url: str, command: str = "serve") -> tuple[int, list[str]]:
    import subprocess

    env = {k: v for k, v in os.environ.items() if not k.startswith("SLACK_")}
    env |= {"RELEASEBOT_DATABASE_URL": database_url, "SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "s"}
    result = subprocess.run(
        [sys.executable, "-m", "bot", command, *(["--port", "9"] if command == "serve" else [])],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    return result.returncode, result.stderr.strip().splitlines()


@pytest.mark.parametrize("command", ["serve", "worker"])
def test_a_refusing_database_is_said_in_one_line(command: str) -> None:
    with socket.socket() as closed:  # a port nobody listens on
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    code, lines = _serve(f"postgresql+asyncpg://releasebot:s3cret@127.0.0.1:{port}/releasebot", command)
    assert code == 2
    assert len(lines) == 1 and lines[0].startswith(
        "releasebot: RELEASEBOT_DATABASE_URL: cannot open the release store at "
    )
    assert f"127.0.0.1:{port}/releasebot" in lines[0] and "s3cret" not in lines[0]


def test_serve_against_a_database_that_never_answers_says_so_in_one_line() -> None:
    with socket.socket() as blackhole:  # accepts connections, never answers
        blackhole.bind(("127.0.0.1", 0))
        blackhole.listen(16)
        port = blackhole.getsockname()[1]
        code, lines = _serve(f"postgresql+asyncpg://releasebot@127.0.0.1:{port}/releasebot")
    assert code == 2
    assert lines == [
        f"releasebot: RELEASEBOT_DATABASE_URL: cannot open the release store at "
        f"postgresql+asyncpg://releasebot@127.0.0.1:{port}/releasebot: no answer within 10 s"
    ]


def test_serve_against_an_unopenable_sqlite_file_says_so_in_one_line(tmp_path: Path) -> None:
    code, lines = _serve(f"sqlite+aiosqlite:///{tmp_path / 'no' / 'such' / 'dir.db'}")
    assert code == 2
    assert lines == [
        f"releasebot: RELEASEBOT_DATABASE_URL: cannot open the release store at "
        f"sqlite+aiosqlite:///{tmp_path / 'no' / 'such' / 'dir.db'}: unable to open database file"
    ]


@pytest.fixture
async def health(bot: Releasebot) -> AsyncIterator[tuple[str, httpx.AsyncClient]]:
    async with serve(create_web_app(bot, manage_bot=False)) as url, httpx.AsyncClient(timeout=60) as http:
        yield f"{url}/healthz", http


async def test_healthz_answers_while_a_store_read_never_returns(
    bot: Releasebot, health: tuple[str, httpx.AsyncClient], monkeypatch: pytest.MonkeyPatch
) -> None:
    url, http = health
    release = asyncio.Event()
    reads = 0

    async def never(*args: object) -> int:
        nonlocal reads
        reads += 1
        while not release.is_set():
            try:
                await release.wait()
            except asyncio.CancelledError:  # like a driver stuck on a dead socket: cancelling does not end it
                continue
        return 0

    monkeypatch.setattr(bot.db, "version", never)
    try:
        for _ in range(3):
            answer = await http.get(url)  # before the fix: never answered (the timeout waited on the cancel)
            assert answer.status_code == 503
            assert answer.json() == {
                "ok": False,
                "store": "unavailable",
                "state_version": bot.snapshot.version,
                "stored_version": None,
            }
        assert reads == 1  # one hung read at a time, not one more per check
    finally:
        release.set()
    monkeypatch.undo()
    assert (await http.get(url)).status_code == 200


@pytest.mark.parametrize("backend", ["postgresql"])
async def test_healthz_answers_while_postgresql_holds_the_version_row_locked(
    bot: Releasebot, health: tuple[str, httpx.AsyncClient]
) -> None:
    url, http = health
    locker = await asyncpg.connect(_dsn(bot.db.url))
    try:
        async with locker.transaction():
            await locker.execute("LOCK TABLE stateversion IN ACCESS EXCLUSIVE MODE")
            answer = await http.get(url)
            assert answer.status_code == 503 and answer.json()["store"] == "unavailable"
        for _ in range(100):  # the lock is gone: the hung read finishes, the next check sees the store
            if (await http.get(url)).status_code == 200:
                break
        else:
            raise AssertionError("the store never came back in /healthz")
    finally:
        await locker.close()
