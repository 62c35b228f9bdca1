"""The interpreter's words to the person: how it read the question, or the two readings to choose
from, or why it did not try. Each is a `Reply` or a block, rendered like any other answer.
"""

from __future__ import annotations

from dataclasses import replace

from commands.interpret.reader import Interpretation, Reading
from domain.reply import Actions, Block, Button, Heading, Items, Note, Paragraph, Reply, Spans, b, code, spans

__all__ = ["change_reply", "explained", "reading_line", "unread_reply", "unsure_reply"]

_BUTTON_CHARS = 75  # Slack's limit for a button's text


def reading_line(reading: Reading, corrections: tuple[tuple[str, str], ...] = ()) -> Spans:
    """`“feb 2021” → release: February 2021 SEC Release; “when” → asks for a release's dates; not used: “x”`."""
    parts: list[str] = [f"“{p.words}” → {p.meaning}" for p in reading.parts]
    parts.extend(f"read “{typed}” as “{fixed}”" for typed, fixed in corrections)
    if reading.unused:
        parts.append("not used: " + ", ".join(f"“{w}”" for w in reading.unused))
    cue, entities, coverage = reading.factors
    parts.append(
        f"confidence {reading.confidence:.2f} (cue {cue:.2f}, entities {entities:.2f}, words used {coverage:.0%})"
    )
    return spans("; ".join(parts))


def explained(reply: Reply, interpretation: Interpretation) -> Reply:
    """The answer to the reading, with how the question was read at its top."""
    reading = interpretation.best
    assert reading is not None
    note = Note(spans("Read as ", code(reading.command), " — ", *reading_line(reading, interpretation.corrections)))
    blocks = list(reply.blocks)
    at = 1 if blocks and isinstance(blocks[0], Heading) else 0
    return replace(reply, blocks=(*blocks[:at], note, *blocks[at:]))


def _label(command: str) -> str:
    return command if len(command) <= _BUTTON_CHARS else command[: _BUTTON_CHARS - 1] + "…"


def unsure_reply(interpretation: Interpretation) -> Reply:
    """Two readings to choose from, as buttons that run them."""
    options = interpretation.alternatives
    blocks: list[Block] = [
        Paragraph(spans(f"I am not sure how to read “{interpretation.sentence}”. Did you mean one of these?"))
    ]
    blocks.append(
        Items(tuple(spans(code(r.command), " — ", *reading_line(r, interpretation.corrections)) for r in options))
    )
    blocks.append(Actions(tuple(Button(_label(r.command), "command", r.command) for r in options)))
    blocks.append(
        Note(spans("Or type the command itself; ", code("/release help questions"), " says how I read questions."))
    )
    return Reply("Did you mean…", tuple(blocks), command=interpretation.sentence)


def unread_reply(fallback: Reply, interpretation: Interpretation | None, why: str = "") -> Reply:
    """The command language's own answer (usage, did you mean), and why no reading was tried."""
    reason = why or "I could not read it as a question either"
    extra = Note(spans(f"{reason}: ", code("/release help questions"), " says what I understand in plain words."))
    if interpretation is not None and interpretation.readings:
        best = interpretation.readings[0]
        extra = Note(
            spans(
                f"{reason}; the nearest reading, ", code(best.command), f", has confidence {best.confidence:.2f} only."
            )
        )
    return fallback.with_blocks((extra,))


def change_reply(sentence: str) -> Reply:
    """A change asked for in plain words: nothing is changed; the command does it."""
    blocks: tuple[Block, ...] = (
        Paragraph(spans("Changes are made with a command, never from plain words, so nothing has changed.")),
        Paragraph(spans(b("For example: "), code("/release june-2022 approve MP099"), " · ", code("/release undo"))),
        Note(spans("Every change command: ", code("/release help admin"), ".")),
    )
    return Reply("Nothing changed", blocks, command=sentence, kind="error")
