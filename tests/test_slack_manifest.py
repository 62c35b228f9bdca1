"""The app manifest asks for exactly what the app listens to."""

from __future__ import annotations

import inspect
from pathlib import Path

import yaml

from bot.slack import app as slack_app
from commands.parse import SLASH_COMMANDS

MANIFEST = Path(__file__).resolve().parents[1] / "slack" / "manifest.yml"


def test_manifest_matches_the_listeners() -> None:
    manifest = yaml.safe_load(MANIFEST.read_text())
    commands = {c["command"] for c in manifest["features"]["slash_commands"]}
    assert commands == {f"/{name}" for name in SLASH_COMMANDS}
    urls = {c["url"] for c in manifest["features"]["slash_commands"]}
    urls |= {manifest["settings"]["event_subscriptions"]["request_url"], manifest["settings"]["interactivity"]["request_url"]}
    assert urls == {"https://YOUR-HOST/slack/events"}
    # Every event the manifest subscribes to has a listener, and the other way round.
    registered = set(__import__("re").findall(r'app\.event\("([a-z_]+)"\)', inspect.getsource(slack_app.SlackAdapter._register)))
    subscribed = {e.replace("message.im", "message") for e in manifest["settings"]["event_subscriptions"]["bot_events"]}
    assert registered == subscribed
    scopes = set(manifest["oauth_config"]["scopes"]["bot"])
    assert {"commands", "chat:write", "app_mentions:read", "im:history"} <= scopes
    assert manifest["features"]["app_home"]["home_tab_enabled"] is True
