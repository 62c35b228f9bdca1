"""Socket Mode: the same bolt app over a WebSocket Slack opens, for workspaces without a public URL."""

from __future__ import annotations

import asyncio

from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler

from bot.core import Releasebot
from bot.slack.app import SlackAdapter

__all__ = ["run_socket_mode"]


async def run_socket_mode(
    bot: Releasebot, adapter: SlackAdapter, app_token: str, stop: asyncio.Event, http_port: int | None = None
) -> None:
    """Start the bot and its services, connect, and serve until `stop` is set."""
    adapter.use_socket_mode()
    await bot.start()
    await bot.start_services()
    handler = AsyncSocketModeHandler(adapter.app, app_token=app_token)  # builds an aiohttp session: inside the loop
    server = None
    try:
        await handler.connect_async()  # type: ignore[no-untyped-call]  # slack_bolt leaves it unannotated
        if http_port is not None:
            import uvicorn

            from bot.web import create_web_app

            server = uvicorn.Server(
                uvicorn.Config(
                    create_web_app(bot, manage_bot=False), port=http_port, log_level="warning", lifespan="off"
                )
            )
            serving = asyncio.ensure_future(server.serve())
            await stop.wait()
            server.should_exit = True
            await serving
        else:
            await stop.wait()
    finally:
        await handler.close_async()  # type: ignore[no-untyped-call]
        await bot.stop_services()
        await bot.stop()
