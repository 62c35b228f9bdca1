"""The app manifest asks for exactly what the app listens to."""

from __future__ import annotations

import inspect
import re
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


# Each Slack Web API method the code may call, and the bot scopes it needs (api.slack.com/methods).
# A method missing here fails the test below: add it with its scopes (and to the manifest).
METHOD_SCOPES: dict[str, set[str]] = {
    "chat.postMessage": {"chat:write"},
    "chat.postEphemeral": {"chat:write"},
    "chat.update": {"chat:write"},
    "chat.delete": {"chat:write"},
    "conversations.open": {"im:write"},
    "files.info": {"files:read"},
    "files.upload_v2": {"files:write"},  # files.getUploadURLExternal + files.completeUploadExternal
    "files.getUploadURLExternal": {"files:write"},
    "files.completeUploadExternal": {"files:write"},
    "views.open": set(),
    "views.publish": set(),
    "views.update": set(),
    "views.push": set(),
    "auth.test": set(),
    "users.info": {"users:read"},
}
# Scopes asked for by what the app listens to, not by a method it calls.
LISTENING_SCOPES = {
    "app_mentions:read": "app_mention events",
    "commands": "slash commands",
    "im:history": "message.im events",
    "im:read": "direct messages in the Messages tab",
    "chat:write.public": "reminders to public channels the bot has not joined",
}
CODE = [p for d in ("bot", "notifiers", "commands") for p in (MANIFEST.parents[1] / d).rglob("*.py")]


def _methods_in_code() -> set[str]:
    """Web API methods the code calls: client methods (`client.chat_postMessage(`) and URLs (`/chat.postMessage`)."""
    from slack_sdk.web.async_client import AsyncWebClient

    client_methods = {name for name in dir(AsyncWebClient) if re.fullmatch(r"[a-z]+_[A-Za-z0-9_]+", name)}
    dotted = {name.replace("_", ".", 1) for name in client_methods}
    found: set[str] = set()
    for path in CODE:
        source = path.read_text(encoding="utf-8")
        found |= {
            n.replace("_", ".", 1) for n in re.findall(r"\.([a-z]+_[A-Za-z0-9_]+)\(", source) if n in client_methods
        }
        found |= {n for n in re.findall(r"[\"'/]([a-z]+\.[A-Za-z0-9_]+)\"", source) if n in dotted}
    return found


def test_every_web_api_method_the_code_calls_has_its_scope_in_the_manifest() -> None:
    manifest = yaml.safe_load(MANIFEST.read_text())
    scopes = set(manifest["oauth_config"]["scopes"]["bot"])
    called = _methods_in_code()
    assert {"chat.postMessage", "files.upload_v2", "views.open", "conversations.open"} <= called  # the scan works
    unknown = called - METHOD_SCOPES.keys()
    assert not unknown, f"add these methods and their scopes to METHOD_SCOPES: {sorted(unknown)}"
    needed = set().union(*(METHOD_SCOPES[method] for method in called))
    assert needed <= scopes, f"the manifest lacks {sorted(needed - scopes)}"
    assert scopes <= needed | LISTENING_SCOPES.keys(), (
        f"asked for but unused: {sorted(scopes - needed - set(LISTENING_SCOPES))}"
    )
