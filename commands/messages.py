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
    "log_poll_check_failed",
    "log_poll_closed",
    "log_poll_refresh_failed",
    "log_response_url_failed",
    "log_slack_listener_failed",
    "log_slack_refused",
    "new_mod_needs_title",
    "no_history_before",
    "no_poll",
    "no_such_milestone_kind",
    "not_admin",
    "not_changed",
    "not_member",
    "poll_already_closed",
    "poll_needs_close",
    "poll_not_posted",
    "poll_posted",
    "shared_by",
    "store_unavailable",
    "unknown_button",
    "unknown_glossary_term",
    "unknown_mod",
    "unknown_release",
    "vote_counted",
    "vote_not_member",
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


def no_poll(slug: str) -> str:
    return f"There is no poll for `{slug}` yet. An admin can open one with `/release {slug} vote open`."


def poll_posted(poll_id: int) -> str:
    return f"Poll #{poll_id} is open and posted in this channel."


def poll_not_posted(poll_id: int, error: str) -> str:
    hint = " Invite me first: `/invite @releasebot`." if error in ("not_in_channel", "channel_not_found") else ""
    return f"Poll #{poll_id} is open, but I could not post it here ({error}).{hint} Members can still vote with `/release <release> vote go`."


def poll_needs_close(slug: str) -> str:
    return f"When should the poll close? `{slug}` has no go/no-go milestone ahead: `/release {slug} vote open closes <date> [time]`."


def poll_already_closed(poll_id: int) -> str:
    return f"Poll #{poll_id} is already closed."


def vote_not_member() -> str:
    return "Sorry, only Panel members can vote, and I don't know you yet."


def vote_counted(choice: str, release: str, closes: str) -> str:
    return f"Your vote on {release}: {choice}. You can change it until the poll closes ({closes})."


# -- log lines (never secrets, never whole request bodies) --------------------------------


def log_slack_refused(reason: str, client: str) -> str:
    return f"refused a request to /slack/events from {client}: {reason}"


def log_event_dedupe_failed(event_id: str) -> str:
    return f"could not record Slack event {event_id}; answering it anyway"


def log_slack_listener_failed(error: str, kind: str) -> str:
    return f"Slack listener failed with {error} on a {kind} request"


def log_response_url_failed(status: str, attempt: int) -> str:
    return f"posting to a response_url failed ({status}), attempt {attempt}"


def log_poll_closed(poll_id: int) -> str:
    return f"closed poll #{poll_id} at its deadline"


def log_poll_check_failed() -> str:
    return "checking for polls to close failed; will try again"


def log_poll_refresh_failed(poll_id: int, platform: str) -> str:
    return f"updating the message of poll #{poll_id} on {platform} failed"
