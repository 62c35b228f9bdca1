"""The app manifest asks for exactly what the app listens to."""

from __future__ import annotations

import inspect
from pathlib import Path

import yaml

from bot.app import command_table
from bot.slack import buttons, conversations, home, slash, submissions

MANIFEST = Path(__file__).resolve().parents[2] / "slack" / "manifest.yml"


def test_manifest_matches_the_listeners() -> None:
    manifest = yaml.safe_load(MANIFEST.read_text())
    commands = {c["command"] for c in manifest["features"]["slash_commands"]}
    assert commands == {f"/{name}" for name in command_table().grammar.slash_commands}
    urls = {c["url"] for c in manifest["features"]["slash_commands"]}
    urls |= {
        manifest["settings"]["event_subscriptions"]["request_url"],
        manifest["settings"]["interactivity"]["request_url"],
    }
    assert urls == {"https://YOUR-HOST/slack/events"}
    # Every event the manifest subscribes to has a listener, and the other way round.
    groups = (slash.SlashCommands, conversations.Conversations, home.AppHome, buttons.Buttons, submissions.Submissions)
    listeners = "".join(inspect.getsource(group.register) for group in groups)
    registered = set(__import__("re").findall(r'app\.event\("([a-z_]+)"\)', listeners))
    subscribed = {e.replace("message.im", "message") for e in manifest["settings"]["event_subscriptions"]["bot_events"]}
    assert registered == subscribed
    scopes = set(manifest["oauth_config"]["scopes"]["bot"])
    assert {"commands", "chat:write", "app_mentions:read", "im:history"} <= scopes
    assert manifest["features"]["app_home"]["home_tab_enabled"] is True
