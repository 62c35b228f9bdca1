"""The words of Panel go/no-go polls: `/release <slug> vote [open ...|status|close|go|no-go|abstain ...]`."""

from __future__ import annotations

from datetime import date, time

from commands.grammar.book import Said
from commands.grammar.reading import fail, no_more, quoted, rest, when
from commands.language import Vote, VoteCast, VoteOpen

__all__ = ["vote"]

_CHOICE_WORDS = {
    "go": "go",
    "yes": "go",
    "no-go": "no_go",
    "nogo": "no_go",
    "no_go": "no_go",
    "no": "no_go",
    "abstain": "abstain",
}


def vote(said: Said, slug: str) -> Vote | VoteOpen:
    """vote | vote open [closes <date> [time]] [quorum N] [secret] ["question"] | status | close | go|no-go|abstain [comment]"""
    tokens, i = said.tokens, said.i
    if i >= len(tokens):
        return Vote(action="vote.show", slug=slug)
    word = tokens[i].lower()
    if word in ("status", "close", "show"):
        no_more(tokens, i + 1, f"/release {slug} vote {word}", topic="polls")
        return Vote(action=f"vote.{word}", slug=slug)
    if word in _CHOICE_WORDS:
        return VoteCast(slug=slug, choice=_CHOICE_WORDS[word], comment=rest(tokens, i + 1))
    if word != "open":
        raise fail(
            "After `vote` I understand `open`, `status`, `close`, or `go` / `no-go` / `abstain`.",
            "polls",
            word=tokens[i],
            expected=("open", "status", "close", "go", "no-go", "abstain"),
        )
    return _open(said.at(i + 1), slug)


def _open(said: Said, slug: str) -> VoteOpen:
    tokens, j = said.tokens, said.i
    day: date | None = None
    at: time | None = None
    quorum: int | None = None
    secret = False
    question: list[str] = []
    while j < len(tokens):
        word = tokens[j].lower()
        if word in ("closes", "close", "until", "by", "deadline") and not quoted(tokens[j]):
            day, at, j = when(tokens, j + 1, said.today, "the closing date")
        elif word == "quorum" and j + 1 < len(tokens):
            if not tokens[j + 1].isdecimal() or not 1 <= int(tokens[j + 1]) <= 1000:
                raise fail("`quorum` takes a whole number of Panel members, e.g. `quorum 4`.", "polls")
            quorum = int(tokens[j + 1])
            j += 2
        elif word == "secret":
            secret = True
            j += 1
        else:
            question.append(tokens[j])
            j += 1
    return VoteOpen(slug=slug, day=day, at=at, quorum=quorum, secret=secret, question=" ".join(question))
