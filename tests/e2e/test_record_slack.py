"""Keeping the record from Slack: `/mod` and `/release` changes over real signed HTTP."""

from __future__ import annotations

import pytest

from tests.e2e.test_slack import ADMIN, PANEL, Harness, slack, texts

__all__ = ["slack"]  # the harness fixture, shared with the Slack tests


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
async def test_a_decision_and_a_new_release_from_slash_commands(slack: Harness) -> None:
    line = '/mod SECMP0016 decision "Change Board" approved 21 Dec 2016'
    refused = (await slack.command(line.removeprefix("/mod "), user=PANEL, command="/mod")).json()
    assert refused["response_type"] == "ephemeral" and "only release admins" in texts(refused["blocks"])
    done = (await slack.command(line.removeprefix("/mod "), command="/mod")).json()
    assert done["response_type"] == "in_channel", texts(done["blocks"])
    # 21 Dec 2016 + 10 WD skips Christmas, Boxing Day and 2 Jan 2017 (bank holidays): 9 Jan 2017.
    assert "Recorded the Change Board decision on SECMP0016" in texts(done["blocks"])
    assert "Referral period ends (Change Board approved SECMP0016) Mon 9 Jan 2017" in texts(done["blocks"])
    new = (await slack.command("new june-2023 go-live 29 Jun 2023 dcc")).json()
    assert new["response_type"] == "in_channel" and "Created June 2023 SEC Release" in texts(new["blocks"])
    audit = (await slack.command("audit 2")).json()
    assert "Demo Secretary (slack:U0ADMIN01) · Created June 2023 SEC Release" in texts(audit["blocks"])
    assert ADMIN in texts(audit["blocks"])
