"""The reminder feature's words: `subscribe`, `unsubscribe`, `subscriptions`, and the command they parse to.

Registered into the command table by `notifiers.register`, both right after `/release` and after
a named release (`/release june-2022 subscribe go_live`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from commands.grammar.book import Said
from commands.grammar.reading import fail
from commands.language import Command
from domain.rules import RulesError, parse_leads
from domain.words import read_slug

__all__ = ["Subscription", "subscription"]


@dataclass(frozen=True, kw_only=True)
class Subscription(Command):
    """`subscription.add`, `.remove` or `.list`; kinds stay as typed (the handler knows the rules)."""

    slug: str | None = None  # one release; none: every release (or, with `every`, all of them explicitly)
    every: bool = False  # `all`: every release, or for `subscriptions`, every channel
    channel: tuple[str, str] | None = None  # (id, name shown) of a channel named in the command
    kinds: tuple[str, ...] = ()
    leads: tuple[int, ...] | None = None
    webhook: tuple[str, str] | None = None  # (platform, url): a secret, never shown back


_ACTIONS = {"subscribe": "subscription.add", "unsubscribe": "subscription.remove", "subscriptions": "subscription.list"}
_CHANNEL = re.compile(r"^<#([A-Z0-9]+)(?:\|([^>]*))?>$")
_LEADS = re.compile(r"^[0-9]{1,3}(,[0-9]{1,3})*$")


def _leads(value: str) -> tuple[int, ...]:
    if not _LEADS.match(value):
        raise fail("Leads are Working Days before the milestone, like `leads=5,1,0`.", "reminders")
    try:
        return parse_leads(value)
    except RulesError as exc:
        raise fail(f"Leads are Working Days before the milestone, like `leads=5,1,0`: {exc}.", "reminders") from None


def subscription(said: Said, slug: str | None = None) -> Subscription:
    """subscribe|unsubscribe [#channel] [<slug>|all] [kinds...] [leads=5,1,0] [slack-webhook=|teams-webhook=<url>];
    subscriptions [#channel|all]. After a named release (`slug`), the release is already chosen."""
    head, tokens, i = said.word, said.tokens, said.i
    channel: tuple[str, str] | None = None
    scope: str | None = slug
    kinds: list[str] = []
    leads: tuple[int, ...] | None = None
    webhook: tuple[str, str] | None = None
    while i < len(tokens):
        word, low = tokens[i], tokens[i].lower()
        if (m := _CHANNEL.match(word)) or word.startswith("#"):
            if channel is not None:
                raise fail("Name one channel at a time.", "reminders")
            channel = (m.group(1), "#" + (m.group(2) or m.group(1))) if m else (word, word)
        elif low == "all" and scope is None:
            scope = "all"
        elif low.startswith("leads") and head == "subscribe":
            value = low.partition("=")[2] or (tokens[i + 1] if i + 1 < len(tokens) and low == "leads" else "")
            i += 0 if "=" in low else 1
            leads = _leads(value)
        elif low.startswith(("slack-webhook=", "teams-webhook=")) and head == "subscribe":
            url = word.partition("=")[2].strip("<>").split("|")[0]
            if not url.startswith(("https://", "http://")):
                raise fail("A webhook is an address like `https://hooks.slack.com/services/...`.", "reminders")
            webhook = (low.split("-")[0], url)
        elif scope is None and (named := read_slug(tokens, i)) is not None:
            scope, used = named
            i += used - 1
        elif head == "subscriptions":
            raise fail(f"`/release subscriptions` takes a channel or `all` (got `{word}`).", "reminders", word=word)
        else:
            kinds.append(low)  # as typed; the handler reads `go-live` as `go_live` and says which words it did not know
        i += 1
    return Subscription(
        action=_ACTIONS[head],
        slug=None if scope == "all" else scope,
        every=scope == "all",
        channel=channel,
        kinds=tuple(kinds),
        leads=leads,
        webhook=webhook,
    )
