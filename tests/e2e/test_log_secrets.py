"""Capability URLs (webhooks, Slack response_urls) never reach the logs, even with `-v`."""

from __future__ import annotations

import logging

import httpx
import pytest

from bot.cli import _setup
from bot.logs import redact_urls
from bot.slack.respond import post_response
from domain.reply import Paragraph, Reply, spans
from notifiers.senders import Destination, Outcome, Pacer, SlackWebhookSender
from tests.fakeslack import FakeSlack

REPLY = Reply("⏰ Go live in 5 Working Days", (Paragraph(spans("Read the papers.")),))


async def _send_both(fake: FakeSlack) -> None:
    async with httpx.AsyncClient(timeout=10) as http:
        hook = Destination("slack", "#partners", "#partners", f"{fake.base}/hooks/T0-B0-HOOKSECRET")
        sender = SlackWebhookSender(http, Pacer(interval=0), extra_hosts=frozenset({"127.0.0.1"}))
        assert await sender.send(hook, REPLY, "k1") == Outcome.sent("webhook")
        assert await post_response(http, fake.response_url("RESPONSESECRET"), {"text": "hello"})
    assert len(fake.calls_to("response")) == 2  # both really went out


@pytest.mark.parametrize("httpx_level", [None, logging.DEBUG])
async def test_verbose_logs_show_no_webhook_or_response_url(
    caplog: pytest.LogCaptureFixture, httpx_level: int | None
) -> None:
    _setup(verbose=True)  # what `releasebot -v ...` runs first
    caplog.set_level(logging.DEBUG)
    if httpx_level is not None:  # someone turned the HTTP library's logging up on purpose
        caplog.set_level(httpx_level, logger="httpx")
    async with FakeSlack() as fake:
        await _send_both(fake)
    assert "HOOKSECRET" not in caplog.text and "RESPONSESECRET" not in caplog.text
    assert "/hooks/" not in caplog.text and "/response/" not in caplog.text
    if httpx_level is not None:
        assert "HTTP Request: POST http://127.0.0.1" in caplog.text  # the line is kept, its URL cut short


def test_redaction_keeps_scheme_and_host_only() -> None:
    line = 'HTTP Request: POST https://hooks.slack.com/services/T0/B0/XYZ?x=1 "HTTP/1.1 200 OK"'
    assert redact_urls(line) == 'HTTP Request: POST https://hooks.slack.com/… "HTTP/1.1 200 OK"'
    assert redact_urls("see https://example.com") == "see https://example.com"
