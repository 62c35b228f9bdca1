"""A fake Slack Socket Mode WebSocket endpoint (aiohttp: uvicorn here has no WebSocket support)."""

from __future__ import annotations

import asyncio
import json
from typing import Any

from aiohttp import WSMsgType, web

__all__ = ["FakeSocketMode"]


class FakeSocketMode:
    """Sends envelopes to the connected client and collects its acks by envelope id."""

    def __init__(self) -> None:
        self.outbox: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self.acks: dict[str, dict[str, Any]] = {}
        self.connected = asyncio.Event()
        self._acked = asyncio.Condition()
        self.url = ""

    async def __aenter__(self) -> FakeSocketMode:
        app = web.Application()
        app.router.add_get("/ws", self._ws)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.url = f"ws://127.0.0.1:{self._runner.addresses[0][1]}/ws"
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self._runner.cleanup()

    async def send(self, envelope: dict[str, Any]) -> None:
        await self.outbox.put(envelope)

    async def ack(self, envelope_id: str, timeout: float = 10) -> dict[str, Any]:
        async def wait() -> dict[str, Any]:
            async with self._acked:
                await self._acked.wait_for(lambda: envelope_id in self.acks)
            return self.acks[envelope_id]

        return await asyncio.wait_for(wait(), timeout)

    async def _ws(self, request: web.Request) -> web.WebSocketResponse:
        sock = web.WebSocketResponse()
        await sock.prepare(request)
        await sock.send_json({"type": "hello", "num_connections": 1})
        self.connected.set()

        async def pump() -> None:
            while True:
                await sock.send_json(await self.outbox.get())

        pumping = asyncio.ensure_future(pump())
        try:
            async for msg in sock:
                if msg.type == WSMsgType.TEXT:
                    data = json.loads(msg.data)
                    async with self._acked:
                        self.acks[data.get("envelope_id", "")] = data
                        self._acked.notify_all()
        finally:
            pumping.cancel()
        return sock
