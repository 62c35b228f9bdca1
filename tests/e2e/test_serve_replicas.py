"""Two real `releasebot serve` replicas on one database: signed bytes accepted by one are refused
by the other (and by the first again), so a replayed `/release ...` change runs once."""

from __future__ import annotations

import os

import httpx

from tests.fakeslack import FakeSlack
from tests.servers import serve_process
from tests.slackreq import SECRET, signed, slash


async def test_a_request_replayed_to_another_replica_gets_401(database_url: str) -> None:
    async with FakeSlack() as fake:
        env = {k: v for k, v in os.environ.items() if not k.startswith("SLACK_")}
        env |= {
            "RELEASEBOT_DATABASE_URL": database_url,
            "SLACK_BOT_TOKEN": "xoxb-replicas",
            "SLACK_SIGNING_SECRET": SECRET,
            "SLACK_API_URL": fake.api_url,
        }
        async with (
            serve_process(env) as first,
            serve_process(env) as second,
            httpx.AsyncClient(timeout=30) as http,
        ):
            body = slash("/release", "june-2022 approve MP099 Change Board approved", response_url=fake.response_url())
            headers = signed(body)
            accepted = await http.post(f"{first.url}/slack/events", content=body, headers=headers)
            assert accepted.status_code == 200, accepted.text
            assert accepted.json()["response_type"] == "in_channel"
            replayed = await http.post(f"{second.url}/slack/events", content=body, headers=headers)
            assert replayed.status_code == 401 and replayed.json() == {"error": "replayed request"}
            again = await http.post(f"{first.url}/slack/events", content=body, headers=headers)
            assert again.status_code == 401
            fresh = slash("/release", "june-2022 scope", response_url=fake.response_url())
            answered = await http.post(f"{second.url}/slack/events", content=fresh, headers=signed(fresh))
            assert answered.status_code == 200, answered.text
    for served in (first, second):
        assert "Traceback" not in served.stderr, served.stderr
