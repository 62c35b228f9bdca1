"""The Teams adapter served over real HTTP, with test signing keys and a fake Bot Connector."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import httpx

from bot.app import create_bot, load_settings
from bot.core import Releasebot
from bot.teams.app import TeamsAdapter
from bot.teams.config import teams_config
from bot.web import create_web_app
from domain.clock import Clock, system_clock
from tests.fakeconnector import ConnectorCall, FakeConnector
from tests.servers import serve
from tests.teamsreq import APP_ID, TENANT, SigningKeys, outbound_token

__all__ = ["TeamsHarness", "teams_harness"]

SECRET = "teams-client-secret-never-logged"


@dataclass
class TeamsHarness:
    url: str
    http: httpx.AsyncClient
    connector: FakeConnector
    keys: SigningKeys
    bot: Releasebot
    adapter: TeamsAdapter

    def token(self, **claims: Any) -> str:
        return self.keys.token(self.connector.url, **claims)

    async def post(self, activity: dict[str, Any], token: str | None = "valid") -> httpx.Response:
        """POST an activity to /api/messages, by default with a valid Bot Framework token."""
        headers = {} if token is None else {"authorization": f"Bearer {self.token() if token == 'valid' else token}"}
        return await self.http.post(f"{self.url}/api/messages", json=activity, headers=headers)

    async def sent(self, count: int = 1) -> list[ConnectorCall]:
        return await self.connector.wait_for(count)


@asynccontextmanager
async def teams_harness(
    database_url: str, clock: Clock = system_clock, file_hosts: frozenset[str] = frozenset(), **settings: Any
) -> AsyncIterator[TeamsHarness]:
    with SigningKeys() as keys:
        async with FakeConnector() as connector:
            config = load_settings(
                database_url=database_url,
                teams_client_id=APP_ID,
                teams_client_secret=SECRET,
                teams_tenant_id=TENANT,
                **settings,
            )
            bot = create_bot(config, clock=clock)
            found = teams_config(config)
            assert found is not None
            adapter = TeamsAdapter(bot, found, cloud=keys.cloud(), token=outbound_token, file_hosts=file_hosts)
            bot.services.add(adapter)
            web = create_web_app(bot, routes=adapter.routes())
            async with serve(web, lifespan="on") as url, httpx.AsyncClient(timeout=10) as http:
                yield TeamsHarness(url, http, connector, keys, bot, adapter)
