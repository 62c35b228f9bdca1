"""The sentences of the adapters: replies made outside any command (store down, internal error,
"working on it", a shared answer, a poll posted), configuration errors, which clock a process
lives on, and the log lines of Slack, Teams and the worker (never secrets, never whole request
bodies, never a capability URL)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from domain.format import day

__all__ = [
    "clock_in_use",
    "console_day",
    "internal_error",
    "log_body_refused",
    "log_event_dedupe_failed",
    "log_poll_refresh_failed",
    "log_replay_store_failed",
    "log_response_url_failed",
    "log_service_stop_failed",
    "log_slack_listener_failed",
    "log_slack_refused",
    "log_teams_disabled",
    "log_teams_foreign_tenant",
    "log_teams_handler_failed",
    "log_teams_refused",
    "log_teams_send_failed",
    "log_teams_tenant_unchecked",
    "no_platform",
    "not_changed",
    "poll_not_posted",
    "poll_posted",
    "shared_by",
    "store_unavailable",
    "store_unreachable",
    "teams_auth_off",
    "teams_not_installed",
    "teams_setting_missing",
    "teams_user_id_invalid",
    "today_invalid",
    "worker_started",
    "worker_without_token",
    "working_on_it",
]


def store_unavailable() -> str:
    return "The release store is unavailable right now; please try again in a minute."


def internal_error(reference: str) -> str:
    return f"Something went wrong on my side (reference `{reference}`). Nothing was changed; please try again."


def working_on_it() -> str:
    return "⏳ Working on it…"


def shared_by(name: str) -> str:
    return f"Shared by {name}"


def not_changed() -> str:
    return "Nothing was changed."


def no_platform(command: str) -> str:
    return (
        f"SLACK_BOT_TOKEN is not set (needed by `releasebot {command}` for Slack; "
        "or set TEAMS_CLIENT_ID, TEAMS_CLIENT_SECRET and TEAMS_TENANT_ID to serve Teams alone)"
    )


def poll_posted(poll_id: int) -> str:
    return f"Poll #{poll_id} is open and posted in this channel."


def poll_not_posted(poll_id: int, error: str) -> str:
    hint = " Invite me first: `/invite @releasebot`." if error in ("not_in_channel", "channel_not_found") else ""
    return f"Poll #{poll_id} is open, but I could not post it here ({error}).{hint} Members can still vote with `/release <release> vote go`."


def teams_user_id_invalid(raw: str) -> str:
    return (
        f"`{raw[:80]}` is not a Teams user id: give the person's Entra object id, a GUID "
        "(Entra admin centre → Users → the person → Object ID)."
    )


def teams_not_installed(conversation_id: str) -> str:
    return f"releasebot is not installed in the Teams conversation {conversation_id[:120]}"


def teams_auth_off(reason: str) -> str:
    return f"Teams will not serve /api/messages: {reason}; every activity's token must be validated"


def teams_setting_missing(missing: str, given: str) -> str:
    return f"{missing} is not set ({given} is; Teams needs TEAMS_CLIENT_ID, TEAMS_CLIENT_SECRET and TEAMS_TENANT_ID)"


def worker_started() -> str:
    return "releasebot worker: reminders running (SIGTERM or Ctrl-C stops it after the posts in flight)"


def worker_without_token() -> str:
    return "releasebot worker: SLACK_BOT_TOKEN is not set; only subscriptions with a webhook can be posted to"


def log_slack_refused(reason: str, client: str) -> str:
    return f"refused a request to /slack/events from {client}: {reason}"


def log_event_dedupe_failed(event_id: str) -> str:
    return f"could not record Slack event {event_id}; answering it anyway"


def store_unreachable(where: str, reason: str) -> str:
    return f"RELEASEBOT_DATABASE_URL: cannot open the release store at {where}: {reason}"


def log_replay_store_failed(error: str) -> str:
    return f"could not record Slack request signatures ({error}); replays checked in this process only for now"


def log_slack_listener_failed(error: str, kind: str) -> str:
    return f"Slack listener failed with {error} on a {kind} request"


def log_response_url_failed(status: str, attempt: int) -> str:
    return f"posting to a response_url failed ({status}), attempt {attempt}"


def log_poll_refresh_failed(poll_id: int, platform: str) -> str:
    return f"updating the message of poll #{poll_id} on {platform} failed"


def log_teams_disabled(variables: Sequence[str]) -> str:
    return f"Teams is off: {', '.join(variables)} are not set"


def log_body_refused(why: str, client: str) -> str:
    return f"refused a request from {client}: {why}"


def log_teams_foreign_tenant(kind: str) -> str:
    return f"refused a Teams {kind} activity from another organisation's tenant (403)"


def log_teams_tenant_unchecked(tenant: str) -> str:
    return (
        f"TEAMS_TENANT_ID {tenant!r} is a domain, not a directory id: activities from other tenants "
        "cannot be told apart and are not refused; set the tenant's GUID"
    )


def log_teams_refused(status: int, client: str) -> str:
    return f"refused a request to /api/messages from {client}: {status}"


def log_teams_handler_failed(error: str, kind: str) -> str:
    return f"Teams handler failed with {error} on a {kind} activity"


def log_teams_send_failed(status: str, conversation_id: str) -> str:
    return f"sending to Teams conversation {conversation_id[:120]} failed ({status})"


def log_service_stop_failed(service: str) -> str:
    return f"{service} did not stop cleanly"


def clock_in_use(command: str, living_on: date | None, source: str) -> str:
    """The one line `serve`, `socket` and `worker` print at start: which clock they run on."""
    if living_on is None:
        return f"releasebot {command}: on the real clock (set RELEASEBOT_TODAY to live on another day)"
    return (
        f"releasebot {command}: living on {day(living_on)} from 09:00 Europe/London ({source}), "
        "not the real clock; the clock runs on from there"
    )


def console_day(living_on: date, source: str) -> str:
    """The console's line saying which day it lives on (in the banner, or before the first answer)."""
    return (
        f"Living on {day(living_on)} ({source}): “today”, “upcoming” and Working Days to go count from then; "
        "--today sets another day."
    )


def today_invalid(name: str, problem: str) -> str:
    return f"{name}: {problem}"


# -- files in chat (bot/slack/files.py, bot/teams/chat.py, the /documents route) ----------------


def file_not_uploaded(title: str, error: str) -> str:
    hint = (
        " Invite me first: `/invite @releasebot`, or ask in a DM with me."
        if error in ("not_in_channel", "channel_not_found")
        else ""
    )
    return f"I built {title}, but could not upload it here ({error}).{hint}"


def file_not_built(title: str, problem: str) -> str:
    return f"I could not build {title}: {problem}"


def download_link(title: str, expires: str) -> str:
    return f"Download {title} (the link works until {expires}; anyone holding it can open the file)."


def no_public_url() -> str:
    return "Download links need the address the bot is reached at: set RELEASEBOT_PUBLIC_URL."


def log_file_failed(title: str, error: str) -> str:
    return f"could not hand over {title}: {error}"
