"""Senders over httpx.MockTransport with a fake clock: pacing, 429 Retry-After, bounded 5xx
backoff, permanent errors, webhooks, and secrets kept out of the logs."""

from __future__ import annotations

import itertools
import json
import logging
from collections.abc import Callable

import httpx
import pytest

from commands.render.checks import check_adaptive_card, check_slack_blocks
from domain.reply import Actions, Button, Heading, Paragraph, Reply, spans
from notifiers.senders import (
    Destination,
    Outcome,
    Pacer,
    Senders,
    SlackWebhookSender,
    SlackWebSender,
    TeamsWorkflowSender,
)

TOKEN = "xoxb-very-secret-token"
HOOK = "https://hooks.slack.com/services/T0/B0/HOOKSECRET"
TEAMS_HOOK = "https://prod-42.westeurope.logic.azure.com/workflows/abc/triggers/manual/paths/invoke?sig=HOOKSECRET"
REPLY = Reply(
    "⏰ Panel go/no-go: in 5 Working Days",
    (
        Heading("⏰ Panel go/no-go: in 5 Working Days"),
        Paragraph(spans("What to do: read the papers.")),
        Actions((Button("Done", "reminder_done", '{"d":1,"m":"x"}'),)),
    ),
    fallback="Panel go/no-go",
)
C1 = Destination("slack", "C1", "#one")
C2 = Destination("slack", "C2", "#two")


class Clock:
    """Monotonic time that only moves when someone sleeps."""

    def __init__(self) -> None:
        self.now = 100.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.slept.append(round(seconds, 3))
        self.now += seconds


Handler = Callable[[httpx.Request], httpx.Response]


def scripted(*answers: httpx.Response | Exception, clock: Clock | None = None) -> tuple[list[httpx.Request], Handler]:
    """A transport answering in order, then ok:true with a ts; records the requests (and when)."""
    seen: list[httpx.Request] = []
    queue = list(answers)

    def handle(request: httpx.Request) -> httpx.Response:
        request.extensions["at"] = clock.now if clock else 0.0
        seen.append(request)
        if queue:
            answer = queue.pop(0)
            if isinstance(answer, Exception):
                raise answer
            return answer
        return httpx.Response(200, json={"ok": True, "ts": f"1700000000.{len(seen):06d}"})

    return seen, handle


def slack(clock: Clock, handle: Handler, interval: float = 1.0) -> SlackWebSender:
    http = httpx.AsyncClient(transport=httpx.MockTransport(handle))
    return SlackWebSender(
        http, Pacer(interval=interval, clock=clock, sleep=clock.sleep), api_url="https://slack.test/api/", token=TOKEN
    )


def gaps(seen: list[httpx.Request]) -> list[float]:
    return [round(b.extensions["at"] - a.extensions["at"], 3) for a, b in itertools.pairwise(seen)]


async def test_posts_with_the_token_blocks_and_the_dedupe_key() -> None:
    clock = Clock()
    seen, handle = scripted()
    outcome = await slack(clock, handle).send(C1, REPLY, "r1:2:5@2021-02-12")
    assert outcome == Outcome.sent("1700000000.000001")
    request = seen[0]
    assert request.url == "https://slack.test/api/chat.postMessage"
    assert request.headers["authorization"] == f"Bearer {TOKEN}"
    body = json.loads(request.content)
    assert body["channel"] == "C1" and body["text"] == "Panel go/no-go"
    assert check_slack_blocks(body["blocks"]) == []
    assert body["metadata"]["event_payload"]["key"] == "r1:2:5@2021-02-12"


async def test_one_message_a_second_per_channel_and_no_wait_across_channels() -> None:
    clock = Clock()
    _, handle = scripted()
    sender = slack(clock, handle)
    await sender.send(C1, REPLY, "a")
    await sender.send(C2, REPLY, "b")
    assert clock.slept == []
    await sender.send(C1, REPLY, "c")
    assert clock.slept == [1.0]


async def test_429_waits_retry_after_for_every_channel_then_posts() -> None:
    clock = Clock()
    seen, handle = scripted(
        httpx.Response(429, headers={"Retry-After": "7"}, json={"ok": False, "error": "ratelimited"}), clock=clock
    )
    sender = slack(clock, handle)
    assert (await sender.send(C1, REPLY, "a")).status == "sent"
    assert gaps(seen) == [7.0]
    # Slack's limit is not only per channel: another channel waits for the rest of the pause too.
    clock.now -= 6.0
    await sender.send(C2, REPLY, "b")
    assert gaps(seen)[-1] == 0.0 and seen[-1].extensions["at"] >= seen[0].extensions["at"] + 7.0


async def test_endless_429_gives_the_row_back_to_the_outbox() -> None:
    clock = Clock()
    seen, handle = scripted(*[httpx.Response(429, headers={"Retry-After": "2"}) for _ in range(10)], clock=clock)
    outcome = await slack(clock, handle).send(C1, REPLY, "a")
    assert outcome == Outcome.retry("ratelimited")
    assert gaps(seen) == [2.0] * 5  # five retries, each after its Retry-After; the sixth 429 gives up


async def test_server_errors_back_off_and_are_bounded() -> None:
    clock = Clock()
    seen, handle = scripted(httpx.Response(500), httpx.Response(503), clock=clock)
    assert (await slack(clock, handle, interval=0).send(C1, REPLY, "a")).status == "sent"
    assert gaps(seen) == [0.5, 1.0]
    clock = Clock()
    seen, handle = scripted(*[httpx.Response(502) for _ in range(10)], clock=clock)
    assert await slack(clock, handle, interval=0).send(C1, REPLY, "a") == Outcome.retry("http_502")
    assert gaps(seen) == [0.5, 1.0, 2.0]
    # With pacing on, a retry still never comes sooner than one a second.
    clock = Clock()
    seen, handle = scripted(httpx.Response(500), httpx.Response(500), clock=clock)
    await slack(clock, handle, interval=1.0).send(C1, REPLY, "a")
    assert gaps(seen) == [1.0, 1.0]


async def test_network_errors_are_retried_like_server_errors() -> None:
    clock = Clock()
    seen, handle = scripted(httpx.ConnectError("refused"), httpx.ReadTimeout("slow"), clock=clock)
    assert (await slack(clock, handle, interval=0).send(C1, REPLY, "a")).status == "sent"
    assert gaps(seen) == [0.5, 1.0]


@pytest.mark.parametrize(
    ("error", "status"),
    [
        ("channel_not_found", "failed"),
        ("not_in_channel", "failed"),
        ("invalid_auth", "failed"),
        ("internal_error", "retry"),
        ("something_new", "failed"),
    ],
)
async def test_slack_errors_are_permanent_or_transient(error: str, status: str) -> None:
    _, handle = scripted(httpx.Response(200, json={"ok": False, "error": error}))
    assert await slack(Clock(), handle).send(C1, REPLY, "a") == Outcome(status, error=error)  # type: ignore[arg-type]


async def test_slack_incoming_webhook() -> None:
    clock = Clock()
    seen, handle = scripted(httpx.Response(200, text="ok"), httpx.Response(404, text="no_service"))
    sender = SlackWebhookSender(
        httpx.AsyncClient(transport=httpx.MockTransport(handle)), Pacer(clock=clock, sleep=clock.sleep)
    )
    hooked = Destination("slack", "#partners", "#partners", HOOK)
    assert sender.accepts(hooked) and not sender.accepts(C1)
    assert await sender.send(hooked, REPLY, "a") == Outcome.sent("webhook")
    assert str(seen[0].url) == HOOK and check_slack_blocks(json.loads(seen[0].content)["blocks"]) == []
    assert await sender.send(hooked, REPLY, "b") == Outcome.failed("no_service")


async def test_teams_workflow_webhook_gets_an_adaptive_card_without_buttons() -> None:
    clock = Clock()
    seen, handle = scripted(httpx.Response(202), httpx.Response(400, text="bad card"))
    sender = TeamsWorkflowSender(
        httpx.AsyncClient(transport=httpx.MockTransport(handle)), Pacer(clock=clock, sleep=clock.sleep)
    )
    team = Destination("teams", "#release-team", "#release-team", TEAMS_HOOK)
    assert await sender.send(team, REPLY, "a") == Outcome.sent("accepted")
    attachment = json.loads(seen[0].content)["attachments"][0]
    assert attachment["contentType"] == "application/vnd.microsoft.card.adaptive"
    assert check_adaptive_card(attachment["content"]) == [] and "actions" not in attachment["content"]
    assert await sender.send(team, REPLY, "b") == Outcome.failed("bad card")


async def test_no_sender_for_a_teams_channel_without_a_webhook_is_a_permanent_failure(
    caplog: pytest.LogCaptureFixture,
) -> None:
    clock = Clock()
    _, handle = scripted()
    http = httpx.AsyncClient(transport=httpx.MockTransport(handle))
    senders = Senders(
        [
            SlackWebSender(http, Pacer(clock=clock, sleep=clock.sleep), token=TOKEN),
            SlackWebhookSender(http),
            TeamsWorkflowSender(http),
        ]
    )
    outcome = await senders.send(Destination("teams", "19:abc@thread.tacv2", "#team"), REPLY, "a")
    assert outcome.status == "failed" and outcome.error.startswith("no_sender")
    with caplog.at_level(logging.DEBUG, logger="releasebot"):
        await senders.send(C1, REPLY, "r-logged")
        await senders.send(Destination("slack", "#partners", "#partners", HOOK), REPLY, "r-hooked")
    assert "r-logged to #one: sent" in caplog.text and "r-hooked to #partners: sent" in caplog.text
    assert TOKEN not in caplog.text and "HOOKSECRET" not in caplog.text


@pytest.mark.parametrize(
    "url",
    [
        "http://hooks.slack.com/services/T0/B0/X",
        "https://127.0.0.1:8765/internal-admin",
        "https://169.254.169.254/latest/meta-data",
        "https://hooks.slack.com.evil.test/x",
        "https://evil.test/hooks.slack.com",
    ],
)
async def test_a_webhook_outside_the_allowed_hosts_is_never_called(url: str) -> None:
    seen, handle = scripted(httpx.Response(200, text="ok"))
    sender = SlackWebhookSender(
        httpx.AsyncClient(transport=httpx.MockTransport(handle)), Pacer(clock=Clock(), sleep=Clock().sleep)
    )
    assert await sender.send(Destination("slack", "#x", "#x", url), REPLY, "a") == Outcome.failed(
        "webhook_host_not_allowed"
    )
    assert seen == []
    allowed = SlackWebhookSender(
        httpx.AsyncClient(transport=httpx.MockTransport(handle)),
        Pacer(clock=Clock(), sleep=Clock().sleep),
        extra_hosts=frozenset({"127.0.0.1"}),
    )
    if "127.0.0.1" in url:
        assert (await allowed.send(Destination("slack", "#x", "#x", url), REPLY, "a")).status == "sent"
