"""The words of `/release` that read: the list, help, find, glossary, a named release and its views.

A named release (`june-2022`, `June 2022`, `2022-06`) is what `/release` reads when the first
word is none of its own; the word after it is looked up in the release-word table, so features
add words there (`scope`, `vote`, `subscribe`, ...) without this module knowing them.
"""

from __future__ import annotations

from datetime import date

from commands.grammar.book import MODIFIERS, ReleaseWordParser, Said, WordParser
from commands.grammar.reading import fail, need_date, need_ref, no_more, rest
from commands.language import (
    Command,
    Edit,
    Find,
    Glossary,
    HelpCommand,
    ReleaseList,
    ReleaseShow,
)
from domain.words import read_slug

__all__ = [
    "as_of",
    "changes",
    "dated_view",
    "edit",
    "finder",
    "glossary",
    "help_release",
    "impacts",
    "named_release",
    "release_list",
    "scope",
    "view",
]


def release_list(said: Said) -> ReleaseList:
    """`/release`, `/release list [all]`."""
    every = said.tokens[said.i : said.i + 1] == ["all"]
    no_more(said.tokens, said.i + every, "/release list [all]")
    return ReleaseList(every=every)


def help_release(said: Said) -> HelpCommand:
    return HelpCommand(words=rest(said.tokens, said.i))


def finder(example: str) -> WordParser:
    """`find <words>` (also `search`), with an example of what to look for under this slash command."""

    def find(said: Said) -> Find:
        words = rest(said.tokens, said.i)
        if not words:
            raise fail(f"Tell me what to look for, e.g. `/{said.slash} find {example}`.", said.slash)
        return Find(words=words)

    return find


def glossary(said: Said) -> Glossary:
    return Glossary(term=rest(said.tokens, said.i))


def named_release(said: Said) -> Command:
    """`/release <slug> [word ...]`: the card, or the command of the registered word after the slug."""
    tokens = said.tokens
    slug = read_slug(tokens, said.i)
    if slug is None:
        raise fail(
            f"`{tokens[said.i]}` is not a release I know how to read.",
            "release",
            word=tokens[said.i],
            expected=(*said.grammar.words("release"), *MODIFIERS),
        )
    name, used = slug
    i = said.i + used
    if i >= len(tokens):
        return ReleaseShow(action="release.card", slug=name)
    parser = said.grammar.release_parser(tokens[i])
    if parser is None:
        raise fail(
            f"I don't know `{tokens[i]}` for a release.",
            "release",
            word=tokens[i],
            expected=said.grammar.release_words(),
        )
    return parser(said.at(i + 1), name)


def view(name: str) -> ReleaseWordParser:
    """A view that takes nothing more (`timeline`, `costs`, ...); words after it are not read."""
    action = f"release.{name}"

    def parser(said: Said, slug: str) -> ReleaseShow:
        no_more(said.tokens, said.i, f"/release {slug} {name}")
        return ReleaseShow(action=action, slug=slug)

    return parser


def as_of(said: Said, i: int) -> tuple[date | None, int]:
    """An optional `as of <date>` (also `on`, `at`, `asof` <date>) at token `i`: (day, next index)."""
    tokens = said.tokens
    if i < len(tokens) and tokens[i].lower() == "as" and i + 1 < len(tokens) and tokens[i + 1].lower() == "of":
        day, used = need_date(tokens, i + 2, said.today, "release", "the date after `as of`")
        return day, i + 2 + used
    if i < len(tokens) and tokens[i].lower() in ("on", "at", "asof"):
        day, used = need_date(tokens, i + 1, said.today, "release", "the date")
        return day, i + 1 + used
    return None, i


def scope(said: Said, slug: str) -> ReleaseShow:
    """`scope [as of <date>]` (also `on`, `at`, `asof` <date>)."""
    tokens = said.tokens
    day, i = as_of(said, said.i)
    if day is None and i < len(tokens):
        raise fail("After `scope` I understand `as of <date>`.", "release", word=tokens[i])
    no_more(tokens, i, f"/release {slug} scope as of <date>")
    return ReleaseShow(action="release.scope", slug=slug, day=day)


_IMPACTS = {"party": "parties", "participants": "parties", "participant": "parties", "parties": "parties"}
_IMPACTS |= {"document": "documents", "docs": "documents", "doc": "documents", "documents": "documents"}


def impacts(said: Said, slug: str) -> ReleaseShow:
    """`impacts [parties|documents] [as of <date>]`: the matrices as recorded on the date."""
    tokens, i = said.tokens, said.i
    option = None
    usage = f"/release {slug} impacts [parties|documents] [as of <date>]"
    if i < len(tokens) and tokens[i].lower() not in ("as", "on", "at", "asof"):
        option = _IMPACTS.get(tokens[i].lower())
        if option is None:
            raise fail(
                "`impacts` takes `parties` or `documents`, and `as of <date>`.",
                "release",
                word=tokens[i],
                expected=("parties", "documents", "as of"),
            )
        i += 1
    day, i = as_of(said, i)
    no_more(tokens, i, usage)
    return ReleaseShow(action="release.impacts", slug=slug, option=option, day=day)


def dated_view(name: str) -> ReleaseWordParser:
    """A view of the RID content that reads `[as of <date>]` (`costs`, `criteria`)."""
    action = f"release.{name}"

    def parser(said: Said, slug: str) -> ReleaseShow:
        usage = f"/release {slug} {name} [as of <date>]"
        day, i = as_of(said, said.i)
        no_more(said.tokens, i, usage)
        return ReleaseShow(action=action, slug=slug, day=day)

    return parser


def changes(said: Said, slug: str) -> ReleaseShow:
    """`changes [since] <date>`."""
    tokens, i = said.tokens, said.i
    if i < len(tokens) and tokens[i].lower() == "since":
        i += 1
    day, used = need_date(tokens, i, said.today, "release", "the date after `changes since`")
    no_more(tokens, i + used, f"/release {slug} changes since <date>")
    return ReleaseShow(action="release.changes", slug=slug, day=day)


_FORMS = {"scope": "scope", "milestone": "milestone", "milestones": "milestone"}


def edit(said: Said, slug: str) -> Edit:
    """`edit [scope|milestone] [ref]`: the form to open, and the modification to pre-select in it."""
    tokens, i = said.tokens, said.i
    form = "scope"
    if i < len(tokens) and tokens[i].lower() in _FORMS:
        form = _FORMS[tokens[i].lower()]
        i += 1
    ref = None
    if i < len(tokens):
        ref, used = need_ref(tokens, i, "admin")
        i += used
    if i < len(tokens):
        raise fail(
            f"I didn't understand `{rest(tokens, i)}` after `edit`: try `/release {slug} edit scope MP122` "
            f"or `/release {slug} edit milestone`.",
            "admin",
        )
    return Edit(slug=slug, form=form, ref=ref)
