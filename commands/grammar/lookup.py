"""The words of `/mod`: a modification by its reference (any form: `mp122a`, `MP 122A`, `SECMP20`)."""

from __future__ import annotations

from commands.grammar.book import Said
from commands.grammar.reading import fail, rest
from commands.language import Command, HelpCommand, ModShow
from domain.words import read_ref

__all__ = ["help_mod", "mod"]


def help_mod(said: Said) -> HelpCommand:
    """`/mod`, `/mod help`: whatever follows, the help on `/mod`."""
    return HelpCommand(words="mod")


def mod(said: Said) -> Command:
    """`/mod <ref>`, or `/mod <ref> <word> ...` for a word registered after a ref (`set`, `decision`)."""
    tokens = said.tokens
    got = read_ref(tokens, said.i)
    if got is None:
        raise fail(
            f"`{tokens[said.i]}` is not a modification reference, like `MP122A` or `SECMP0020`.",
            "mod",
            word=tokens[said.i],
        )
    ref, used = got
    j = said.i + used
    if j < len(tokens) and (parser := said.grammar.mod_parser(tokens[j])) is not None:
        return parser(said.at(j + 1), ref)  # a registered word after the ref: `set`, `decision`
    if j < len(tokens):
        words = said.grammar.mod_words()
        also = f", or one of {', '.join(f'`{w}`' for w in words)}" if words else ""
        raise fail(
            f"After `{ref}` I expected nothing more{also} (got `{rest(tokens, j)}`).",
            "mod",
            word=tokens[j],
            expected=words,
        )
    return ModShow(ref=ref)
