"""The reminder feature's words, commands and buttons, registered into the command table at start-up."""

from __future__ import annotations

from commands.table import CommandTable
from notifiers import buttons, subscriptions
from notifiers.language import subscription

__all__ = ["register"]


def register(table: CommandTable) -> None:
    for word in ("subscribe", "unsubscribe", "subscriptions"):
        table.top_word(word, subscription)
    for word in ("subscribe", "unsubscribe"):
        table.release_word(word, subscription)
    # These depend on the channel asked from, so they are never cached (not read-only).
    table.command("subscription.add", subscriptions.subscribe)
    table.command("subscription.remove", subscriptions.unsubscribe)
    table.command("subscription.list", subscriptions.list_subscriptions)
    table.button("reminder_done", buttons.done)
    table.button("reminder_snooze", buttons.snooze)
