"""`help` replies and the usage shown under a bad command, from help.yaml."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from commands import messages
from commands.context import Context
from commands.parse import Command, ParseError
from commands.reply import Block, Heading, Items, Note, Paragraph, Reply, code, spans
from commands.suggest import close_words

__all__ = ["help_reply", "parse_error_reply", "topics"]


@lru_cache(maxsize=1)
def topics() -> dict[str, Any]:
    with (Path(__file__).parent / "help.yaml").open(encoding="utf-8") as fh:
        data: dict[str, Any] = yaml.safe_load(fh)
    return data


def _topic_blocks(name: str) -> list[Block]:
    topic = topics()[name]
    blocks: list[Block] = [Heading(topic["title"]), Paragraph(spans(topic["intro"]))]
    if lines := topic.get("lines"):
        blocks.append(Items(tuple(spans(code(usage), f" — {what}") for usage, what in lines)))
    return blocks


def help_reply(cmd: Command, ctx: Context) -> Reply:
    words = cmd.words.strip().lower().split()
    name = words[0] if words else "all"
    if name == "release" and len(words) > 1 and words[1] in ("admin", "change", "changes"):
        name = "admin"
    if name == "release" and len(words) > 1 and words[1] in ("reminders", "subscribe", "subscriptions", "unsubscribe"):
        name = "reminders"
    if name not in topics():
        name = "all"
    if name == "all":
        blocks: list[Block] = [Heading(topics()["all"]["title"]), Paragraph(spans(topics()["all"]["intro"]))]
        for sub in topics()["all"]["see"]:
            blocks.extend(_topic_blocks(sub)[2:] if sub != "admin" or ctx.actor.is_admin else [])
        if not ctx.actor.is_admin:
            blocks.append(Note(spans("Admins can also change state: ", code("/release help admin"), ".")))
        return Reply("releasebot help", tuple(blocks), command=cmd.text, kind="help")
    blocks = _topic_blocks(name)
    if name == "release":
        blocks.append(Note(spans("Changing state (admins): ", code("/release help admin"), ".")))
    return Reply(topics()[name]["title"], tuple(blocks), command=cmd.text, kind="help")


def parse_error_reply(error: ParseError, text: str, known_words: list[str]) -> Reply:
    """A parse error: the message, a 'did you mean' for the bad word, and the topic's usage."""
    suggestions: list[str] = []
    if error.word:
        suggestions = close_words(error.word, [*error.expected, *known_words], 3)
    message = error.message + (" " + messages.did_you_mean(suggestions) if suggestions else "")
    topic = error.topic if error.topic in topics() else "all"
    blocks: list[Block] = [Paragraph(spans(message))]
    lines = topics()[topic].get("lines") or [line for sub in topics()["all"]["see"][:3] for line in topics()[sub]["lines"][:2]]
    blocks.append(Items(tuple(spans(code(usage), f" — {what}") for usage, what in lines[:6]), title="Usage"))
    return Reply("Sorry", tuple(blocks), command=text, kind="error")
