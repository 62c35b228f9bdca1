"""The sentences of the command language: what the bot says when a command is wrong or refused.

Handlers call these functions instead of writing their own text, so the tone stays the same
everywhere and a wording change is one edit. The reminder feature's sentences are in
`notifiers.messages`, the adapters' and their log lines in `bot.messages`.
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = [
    "did_you_mean",
    "forms_in_slack",
    "new_mod_needs_title",
    "no_history_before",
    "no_poll",
    "no_such_milestone_kind",
    "no_such_time",
    "not_admin",
    "not_member",
    "poll_already_closed",
    "poll_needs_close",
    "redacted",
    "span_too_long",
    "unknown_button",
    "unknown_glossary_term",
    "unknown_mod",
    "unknown_release",
    "vote_counted",
    "vote_not_member",
]


def no_such_time(at: str, on: str) -> str:
    return f"{at} does not exist in London on {on}: the clocks go forward that night. Pick another time."


def span_too_long() -> str:
    return "I count Working Days over at most a hundred years at a time."


def redacted(text: str) -> str:
    """A command as typed, fit for a log or a reply: webhook addresses (secrets) replaced."""
    return " ".join(
        "<webhook>" if w.lower().startswith(("slack-webhook=", "teams-webhook=")) else w for w in text.split()
    )


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


def no_poll(slug: str) -> str:
    return f"There is no poll for `{slug}` yet. An admin can open one with `/release {slug} vote open`."


def poll_needs_close(slug: str) -> str:
    return f"When should the poll close? `{slug}` has no go/no-go milestone ahead: `/release {slug} vote open closes <date> [time]`."


def poll_already_closed(poll_id: int) -> str:
    return f"Poll #{poll_id} is already closed."


def vote_not_member() -> str:
    return "Sorry, only Panel members can vote, and I don't know you yet."


def vote_counted(choice: str, release: str, closes: str) -> str:
    return f"Your vote on {release}: {choice}. You can change it until the poll closes ({closes})."


def forms_in_slack(form: str, command: str) -> str:
    return f"The {form} form opens in Slack, from `{command}`; the same changes are also commands:"
