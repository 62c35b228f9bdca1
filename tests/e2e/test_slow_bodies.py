"""Slow bodies over the real HTTP server: cut off after the body timeout, capped in number,
while normal requests are still served; accept errors said once per interval."""

from __future__ import annotations

import asyncio
import contextlib
import errno
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import httpx

from bot.app import create_bot, load_settings
from bot.bodies import BodyReader
from bot.logs import quiet_accept_errors
from bot.slack.app import SlackAdapter
from bot.web import create_web_app
from tests.fakeslack import FakeSlack
from tests.servers import serve
from tests.slackreq import SECRET, signed, slash
from tests.teamsharness import teams_harness


@dataclass
class Server:
    url: str
    http: httpx.AsyncClient
    fake: FakeSlack
    bodies: BodyReader

    async def command(self, text: str) -> httpx.Response:
        body = slash("/release", text, response_url=self.fake.response_url())
        return await self.http.post(f"{self.url}/slack/events", content=body, headers=signed(body))


@asynccontextmanager
async def slack_server(database_url: str, **settings: Any) -> AsyncIterator[Server]:
    async with FakeSlack() as fake:
        config = load_settings(
            database_url=database_url,
            slack_bot_token="xoxb-test",
            slack_signing_secret=SECRET,
            slack_api_url=fake.api_url,
            **settings,
        )
        bot = create_bot(config)
        adapter = SlackAdapter(bot, config)
        bot.services.add(adapter)
        web = create_web_app(bot, routes=adapter.routes())
        async with serve(web, lifespan="on") as url, httpx.AsyncClient(timeout=30) as http:
            yield Server(url, http, fake, adapter.bodies)


class Trickle:
    """A client that sends the headers of a signed-looking request and one byte of its body, then waits."""

    def __init__(self, url: str, path: str, headers: dict[str, str]) -> None:
        self.host, port = url.removeprefix("http://").split(":")
        self.port, self.path, self.headers = int(port), path, headers

    async def __aenter__(self) -> Trickle:
        self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        head = "".join(f"{k}: {v}\r\n" for k, v in self.headers.items())
        request = f"POST {self.path} HTTP/1.1\r\nhost: {self.host}\r\ncontent-length: 5000\r\n{head}\r\nx"
        self.writer.write(request.encode())
        await self.writer.drain()
        return self

    async def status(self) -> int:
        """The status the server answered with (it answers before the body is complete)."""
        line = await self.reader.readline()
        return int(line.split()[1]) if line else 0

    async def closed_by_server(self) -> bool:
        """True once the server has closed the connection (however slowly the client would go on)."""
        async with asyncio.timeout(20):  # only ends a hung test
            while await self.reader.read(4096):
                pass
        return True

    async def __aexit__(self, *exc: object) -> None:
        self.writer.close()
        with contextlib.suppress(OSError):  # the server may have closed it first
            await self.writer.wait_closed()


async def until(condition: Callable[[], bool], limit: float = 20.0) -> None:
    """Wait for the server to make `condition` true (the limit only ends a hung test)."""
    async with asyncio.timeout(limit):
        while not condition():
            await asyncio.sleep(0.01)


def slack_headers() -> dict[str, str]:
    return {**signed("anything"), "content-type": "application/x-www-form-urlencoded"}


async def test_a_trickling_body_is_cut_off_and_a_normal_request_is_still_served(database_url: str) -> None:
    async with slack_server(database_url, body_timeout_seconds=1.0) as server:
        async with Trickle(server.url, "/slack/events", slack_headers()) as slow:
            await until(lambda: server.bodies.pending == 1)
            served = await server.command("june-2021 scope")  # while the slow body is still held
            assert served.status_code == 200 and "MP147" in served.text
            assert await slow.status() == 408  # cut off once the body timeout passed
            assert await slow.closed_by_server()  # and its file descriptor freed
        await until(lambda: server.bodies.pending == 0)


async def test_over_the_cap_slow_bodies_are_refused_at_once_and_real_requests_still_served(
    database_url: str,
) -> None:
    async with slack_server(database_url, body_timeout_seconds=120.0, max_pending_bodies=2) as server:
        async with (
            Trickle(server.url, "/slack/events", slack_headers()),
            Trickle(server.url, "/slack/events", slack_headers()),
        ):
            await until(lambda: server.bodies.pending == 2)
            for _ in range(3):
                async with Trickle(server.url, "/slack/events", slack_headers()) as extra:
                    assert await extra.status() == 503  # long before the 120 s body timeout
                    assert await extra.closed_by_server()
            assert server.bodies.pending == 2  # the first two are still held
            served = await server.command("june-2021 scope")  # its body is in at once: served at the cap
            assert served.status_code == 200 and "MP147" in served.text
        await until(lambda: server.bodies.pending == 0)


async def test_a_trickling_teams_body_is_cut_off(database_url: str) -> None:
    async with teams_harness(database_url, body_timeout_seconds=1.0) as teams:
        headers = {"authorization": f"Bearer {teams.token()}", "content-type": "application/json"}
        async with Trickle(teams.url, "/api/messages", headers) as slow:
            assert await slow.status() == 408
        assert teams.connector.calls == []


async def test_accept_errors_are_logged_once_per_interval(database_url: str, caplog: Any) -> None:
    async with slack_server(database_url) as server:
        loop = asyncio.get_running_loop()
        quiet_accept_errors().reset()  # the filter is per process: forget an earlier test's line
        with caplog.at_level(logging.ERROR, logger="asyncio"):
            for _ in range(200):  # what asyncio's accept loop reports on each retry at a low fd limit
                loop.call_exception_handler(
                    {
                        "message": "socket.accept() out of system resource",
                        "exception": OSError(errno.EMFILE, "Too many open files"),
                    }
                )
        said = [r for r in caplog.records if "socket.accept()" in r.getMessage()]
        assert len(said) == 1 and "Too many open files" in said[0].getMessage()
        assert "Traceback" not in caplog.text
        assert (await server.command("june-2021 scope")).status_code == 200
