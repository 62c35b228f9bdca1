"""`help` replies and the usage shown under a bad command, from help.yaml."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from commands import messages
from commands.context import Context
from commands.language import HelpCommand, ParseError
from commands.suggest import close_words
from domain.reply import Block, Heading, Items, Note, Paragraph, Reply, code, spans
from domain.yamlload import safe_load

__all__ = ["help_reply", "parse_error_reply", "topic_for", "topics"]


@lru_cache(maxsize=1)
def topics() -> dict[str, Any]:
    with (Path(__file__).parent / "help.yaml").open(encoding="utf-8") as fh:
        data: dict[str, Any] = safe_load(fh)
    return data


def _topic_blocks(name: str) -> list[Block]:
    topic = topics()[name]
    blocks: list[Block] = [Heading(topic["title"]), Paragraph(spans(topic["intro"]))]
    if lines := topic.get("lines"):
        blocks.append(Items(tuple(spans(code(usage), f" — {what}") for usage, what in lines)))
    if limits := topic.get("limits"):
        blocks.append(Note(spans(limits)))
    return blocks


def topic_for(word: str) -> str | None:
    """The help topic a word names, by its key or one of its aliases (`vote` -> polls)."""
    word = word.lower().lstrip("/")
    for name, topic in topics().items():
        if word == name or word in (topic.get("aliases") or []):
            return name
    return None


def _overview(ctx: Context) -> list[Block]:
    """Every command family, with its first lines and where to read the rest."""
    blocks: list[Block] = [Heading(topics()["all"]["title"]), Paragraph(spans(topics()["all"]["intro"]))]
    for name in topics()["all"]["see"]:
        topic = topics()[name]
        if name == "admin" and not ctx.actor.is_admin:
            continue
        lines = [spans(code(usage), f" — {what}") for usage, what in (topic.get("lines") or [])[:3]]
        lines.append(spans("more: ", code(f"/release help {name}")))
        blocks.append(Items(tuple(lines), title=topic["title"]))
    if not ctx.actor.is_admin:
        blocks.append(Note(spans("Admins can also change state: ", code("/release help admin"), ".")))
    return blocks


def help_reply(cmd: HelpCommand, ctx: Context) -> Reply:
    words = cmd.words.strip().lower().split()
    if words[:1] == ["release"] and len(words) > 1:  # `/release help admin`, `help release reminders`
        words = words[1:]
    # The first word that names a topic: `help vote`, and also `help me with the reminders`.
    name = next((found for w in words if (found := topic_for(w)) is not None), None) if words else "all"
    if name is None or name == "all":
        blocks = _overview(ctx)
        if name is None and len(words) == 1:
            known = ", ".join(f"`{t}`" for t in topics()["all"]["see"])
            blocks.insert(1, Paragraph(spans(f"There is no help on `{words[0]}`; the topics are {known}.")))
        return Reply("releasebot help", tuple(blocks), command=cmd.text, kind="help")
    blocks = _topic_blocks(name)
    if name == "release":
        blocks.append(
            Note(
                spans(
                    "Changing state (admins): ",
                    code("/release help admin"),
                    " · every family: ",
                    code("/release help"),
                    ".",
                )
            )
        )
    return Reply(topics()[name]["title"], tuple(blocks), command=cmd.text, kind="help")


def parse_error_reply(error: ParseError, text: str, known_words: list[str]) -> Reply:
    """A parse error: the message, a 'did you mean' for the bad word, and the topic's usage."""
    suggestions: list[str] = []
    if error.word:
        suggestions = close_words(error.word, [*error.expected, *known_words], 3)
    message = error.message + (" " + messages.did_you_mean(suggestions) if suggestions else "")
    topic = error.topic if error.topic in topics() else "all"
    blocks: list[Block] = [Paragraph(spans(message))]
    lines = topics()[topic].get("lines") or [
        line for sub in topics()["all"]["see"][:3] for line in topics()[sub]["lines"][:2]
    ]
    blocks.append(Items(tuple(spans(code(usage), f" — {what}") for usage, what in lines[:6]), title="Usage"))
    if limits := topics()[topic].get("limits"):
        blocks.append(Note(spans(limits)))
    return Reply("Sorry", tuple(blocks), command=text, kind="error")
