"""How long the free text people give may be: titles, reasons, comments, questions, names.

Said in the usage and checked twice: by the parser (a short answer with the limit) and by the
store changes that keep the text (so a button value or a form cannot carry more). Without it a
100 KB vote comment made a twelve-page poll message.
"""

from __future__ import annotations

from domain.refusals import TextTooLong

__all__ = ["MAX_COMMAND_CHARS", "TEXT_LIMITS", "check_text", "over_limit"]

MAX_COMMAND_CHARS = 4_000  # a whole command as typed (Slack's own limit for a slash command's text)

# Per kind of free text, in characters. A kind not listed is not free text.
TEXT_LIMITS: dict[str, int] = {
    "title": 200,
    "question": 300,
    "reason": 500,
    "comment": 500,
    "name": 100,
    # RID content (commands/content_language.py)
    "area": 200,
    "document": 200,
    "new_document": 200,
    "note": 500,
    "by_exception": 500,
    "changes": 500,
    "words": 1_000,
}


def over_limit(kind: str, text: str | None) -> int | None:
    """The limit `text` is over, or None when it fits (or `kind` is not free text)."""
    limit = TEXT_LIMITS.get(kind)
    return limit if limit is not None and text is not None and len(text) > limit else None


def check_text(kind: str, text: str | None) -> None:
    """For the store's changes: refuse free text past its limit."""
    if (limit := over_limit(kind, text)) is not None:
        raise TextTooLong(kind, limit)
