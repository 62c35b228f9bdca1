"""Every sentence the bot says when something is wrong or refused, in one place.

Handlers and adapters call these functions instead of writing their own text, so the tone stays
the same everywhere and a wording change is one edit.
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = [
    "did_you_mean",
    "internal_error",
    "log_event_dedupe_failed",
    "log_response_url_failed",
    "log_slack_listener_failed",
    "log_slack_refused",
    "log_teams_disabled",
    "log_teams_handler_failed",
    "log_teams_refused",
    "log_teams_send_failed",
    "new_mod_needs_title",
    "no_history_before",
    "no_such_milestone_kind",
    "not_admin",
    "not_changed",
    "not_member",
    "shared_by",
    "store_unavailable",
    "teams_auth_off",
    "teams_not_installed",
    "teams_setting_missing",
    "teams_user_id_invalid",
    "unknown_button",
    "unknown_glossary_term",
    "unknown_mod",
    "unknown_release",
    "working_on_it",
]


def did_you_mean(options: Sequence[str]) -> str:
    if not options:
        return ""
    quoted = [f"`{o}`" for o in options]
    if len(quoted) == 1:
        return f"Did you mean {quoted[0]}?"
    return f"Did you mean {', '.join(quoted[:-1])} or {quoted[-1]}?"


def unknown_release(slug: str) -> str:
    return f"There is no release `{slug}`."


def unknown_mod(ref: str) -> str:
    return f"I don't know the modification `{ref}`."


def unknown_glossary_term(term: str) -> str:
    return f"`{term}` is not in the glossary."


def no_such_milestone_kind(kind: str, kinds: Sequence[str]) -> str:
    return f"`{kind}` is not a milestone kind. Kinds: {', '.join(kinds)}."


def no_history_before(name: str, day: str) -> str:
    return f"No scope is recorded for {name} on or before {day}."


def new_mod_needs_title(ref: str, slug: str) -> str:
    return f'{ref} is new to me: give its title, e.g. `/release {slug} add {ref} "Title"`.'


def not_admin(name: str) -> str:
    return f"Sorry {name}, only release admins can change release state. You can still ask anything."


def not_member() -> str:
    return (
        "Sorry, only release admins can change release state, and I don't know you yet. "
        "An admin can add you with `releasebot members add <your user id> --role admin`."
    )


def unknown_button() -> str:
    return "That button no longer does anything here; ask again."


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


# -- log lines (never secrets, never whole request bodies) --------------------------------


def log_slack_refused(reason: str, client: str) -> str:
    return f"refused a request to /slack/events from {client}: {reason}"


def log_event_dedupe_failed(event_id: str) -> str:
    return f"could not record Slack event {event_id}; answering it anyway"


def log_slack_listener_failed(error: str, kind: str) -> str:
    return f"Slack listener failed with {error} on a {kind} request"


def log_response_url_failed(status: str, attempt: int) -> str:
    return f"posting to a response_url failed ({status}), attempt {attempt}"


def log_teams_disabled(variables: Sequence[str]) -> str:
    return f"Teams is off: {', '.join(variables)} are not set"


def log_teams_refused(status: int, client: str) -> str:
    return f"refused a request to /api/messages from {client}: {status}"


def log_teams_handler_failed(error: str, kind: str) -> str:
    return f"Teams handler failed with {error} on a {kind} activity"


def log_teams_send_failed(status: str, conversation_id: str) -> str:
    return f"sending to Teams conversation {conversation_id[:120]} failed ({status})"
