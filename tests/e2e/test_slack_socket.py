"""Socket Mode: the same answers over a WebSocket, retried events answered once."""

from __future__ import annotations

import asyncio
import json
from urllib.parse import parse_qsl

from bot.app import create_bot, load_settings
from bot.slack.app import SlackAdapter
from bot.slack.socket import run_socket_mode
from commands.render.checks import check_slack_blocks
from tests.fakeslack import FakeSlack
from tests.fakesocket import FakeSocketMode
from tests.slackreq import event, slash


async def test_socket_mode_answers_commands_and_events_once(database_url: str) -> None:
    async with FakeSlack() as fake, FakeSocketMode() as socket_fake:
        fake.socket_url = socket_fake.url
        settings = load_settings(
            database_url=database_url,
            slack_bot_token="xoxb-test",
            slack_app_token="xapp-test",
            slack_api_url=fake.api_url,
        )
        bot = create_bot(settings)
        adapter = SlackAdapter(bot, settings)
        bot.services.add(adapter)
        stop = asyncio.Event()
        running = asyncio.ensure_future(run_socket_mode(bot, adapter, "xapp-test", stop))
        try:
            await asyncio.wait_for(socket_fake.connected.wait(), 15)
            command = dict(parse_qsl(slash("/release", "june-2021 scope", user="U0OBSERV1")))
            await socket_fake.send(
                {"envelope_id": "env-1", "type": "slash_commands", "accepts_response_payload": True, "payload": command}
            )
            ack = await socket_fake.ack("env-1")
            blocks = ack["payload"]["blocks"]
            assert check_slack_blocks(blocks) == [] and "MP147" in json.dumps(blocks)
            mention = json.loads(
                event(
                    {
                        "type": "app_mention",
                        "user": "U0OBSERV1",
                        "text": "<@U0BOT> mod MP092",
                        "ts": "9.9",
                        "channel": "C0RELEASES",
                    },
                    "EvSOCK1",
                )
            )
            await socket_fake.send(
                {"envelope_id": "env-2", "type": "events_api", "accepts_response_payload": False, "payload": mention}
            )
            posted = (await fake.wait_for("chat.postMessage"))[0].body
            assert "MP092" in json.dumps(posted["blocks"])
            await socket_fake.send(
                {
                    "envelope_id": "env-3",
                    "type": "events_api",
                    "accepts_response_payload": False,
                    "retry_attempt": 1,
                    "retry_reason": "timeout",
                    "payload": mention,
                }
            )
            await socket_fake.ack("env-3")
            await socket_fake.send(
                {"envelope_id": "env-4", "type": "slash_commands", "accepts_response_payload": True, "payload": command}
            )
            await socket_fake.ack("env-4")  # by now the retry (env-3) was fully handled
            assert len(fake.calls_to("chat.postMessage")) == 1
        finally:
            stop.set()
            await asyncio.wait_for(running, 15)
