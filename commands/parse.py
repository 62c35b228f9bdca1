"""Text a user types after `/release`, `/mod` or `/workdays` -> a `Command` (or a `ParseError`).

The grammar is small and written out here, one function per slash command. Parsing is pure; it
knows the shape of a slug or a ref but not which releases exist (handlers check that).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, time
from typing import Any

from commands.words import read_date, read_ref, read_slug, read_time, tokenize
from notifiers.rules import RulesError, parse_leads

__all__ = [
    "Command",
    "ParseError",
    "RELEASE_VIEWS",
    "SLASH_COMMANDS",
    "parse",
    "parse_line",
]

SLASH_COMMANDS = ("release", "mod", "workdays")
RELEASE_VIEWS = ("scope", "timeline", "impacts", "costs", "criteria", "history", "changes", "rid", "milestones")
RELEASE_CHANGES = ("add", "approve", "remove", "move", "milestone")
RELEASE_WORDS = ("list", "help", "find", "undo", "audit", "glossary", "holiday", "holidays", "public", "page")
SUBSCRIPTION_WORDS = ("subscribe", "unsubscribe", "subscriptions")


@dataclass(frozen=True)
class Command:
    """A parsed request: `action` names the handler, the other fields are its arguments."""

    action: str
    text: str = ""
    slug: str | None = None
    ref: str | None = None
    to_slug: str | None = None
    day: date | None = None
    until: date | None = None
    at: time | None = None
    n: int | None = None
    words: str = ""
    reason: str = ""
    option: str | None = None
    public: bool = False
    page: int = 1
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ParseError:
    """What was wrong, in words for the user, with the usage of the command they were typing."""

    message: str
    topic: str = "release"
    word: str | None = None
    expected: tuple[str, ...] = ()


class _Fail(Exception):
    def __init__(self, error: ParseError) -> None:
        self.error = error


def parse_line(line: str, today: date) -> Command | ParseError:
    """A whole line as typed in the console or a mention: `/release june-2021 scope`, `mod MP122A`."""
    tokens = line.strip().split(None, 1)
    if not tokens:
        return ParseError("Type a command, for example `/release` or `/release june-2021 scope`.", topic="all")
    name = tokens[0].lstrip("/").lower()
    rest = tokens[1] if len(tokens) > 1 else ""
    if name in ("help", "?"):
        return Command(action="help", words=rest.strip().lstrip("/"), text=line.strip())
    if name not in SLASH_COMMANDS:
        # A mention often starts straight with a release: "@releasebot june-2022 scope".
        if read_slug(tokenize(line), 0) or name in ("find", "undo", "audit", "glossary"):
            return parse("release", line, today)
        return ParseError(
            f"I don't know the command `{tokens[0]}`.", topic="all", word=name, expected=SLASH_COMMANDS
        )
    return parse(name, rest, today)


# Commands whose last words are free text (a reason, a title, a comment): "public" or "page 2"
# at the end is part of that text, not a modifier.
_FREE_TEXT = frozenset(
    {"scope.add", "scope.approve", "scope.remove", "scope.move", "milestone.add", "milestone.move", "milestone.cancel",
     "holiday.add", "vote.open", "vote.cast"}
)  # fmt: skip


def parse(command: str, text: str, today: date) -> Command | ParseError:
    """Parse the text after a slash command. Never raises on user input."""
    command = command.lstrip("/").lower()
    parser = {"release": _release, "mod": _mod, "workdays": _workdays}.get(command)
    if parser is None:
        return ParseError(f"I don't know the command `/{command}`.", topic="all", word=command, expected=SLASH_COMMANDS)
    tokens = tokenize(text)
    public = False
    page = 1
    rest = list(tokens)
    # Trailing modifiers a command may carry: "public", "page N".
    while rest:
        last = rest[-1].lower()
        if last == "public":
            public = True
            rest.pop()
        elif len(rest) >= 2 and rest[-2].lower() == "page" and rest[-1].isdecimal():
            page = max(1, min(int(rest[-1]), 10_000))
            del rest[-2:]
        else:
            break
    try:
        cmd = parser(rest, today)
        if cmd.action in _FREE_TEXT and len(rest) != len(tokens):
            cmd, public, page = parser(tokens, today), False, 1
    except _Fail as fail:
        return fail.error
    return Command(**{**cmd.__dict__, "text": f"/{command} {text}".strip(), "public": public, "page": page})


def _fail(message: str, topic: str, word: str | None = None, expected: tuple[str, ...] = ()) -> _Fail:
    return _Fail(ParseError(message, topic=topic, word=word, expected=expected))


def _rest(tokens: list[str], i: int) -> str:
    return " ".join(tokens[i:]).strip()


def _need_date(tokens: list[str], i: int, today: date, topic: str, what: str) -> tuple[date, int]:
    got = read_date(tokens, i, today)
    if got is None:
        shown = f" (got `{_rest(tokens, i)}`)" if i < len(tokens) else ""
        raise _fail(f"I need {what} as a date, like `2021-06-24` or `24 Jun 2021`{shown}.", topic)
    return got


def _need_ref(tokens: list[str], i: int, topic: str) -> tuple[str, int]:
    got = read_ref(tokens, i)
    if got is None:
        shown = f"`{tokens[i]}` is not" if i < len(tokens) else "I need"
        raise _fail(f"{shown} a modification reference, like `MP122A`, `DP144` or `SECMP0020`.", topic)
    return got


def _reason(tokens: list[str], i: int) -> str:
    """Everything after the arguments, minus a leading `reason`/`because`/`:`."""
    if i < len(tokens) and tokens[i].lower().rstrip(":") in ("reason", "because", "why", "-", "—"):
        i += 1
    return _rest(tokens, i)


def _release(tokens: list[str], today: date) -> Command:
    if not tokens or tokens[0].lower() == "list":
        return Command(action="release.list", option="all" if tokens[1:2] == ["all"] else None)
    head = tokens[0].lower()
    if head in ("help", "?"):
        return Command(action="help", words="release " + _rest(tokens, 1))
    if head == "find" or head == "search":
        words = _rest(tokens, 1)
        if not words:
            raise _fail("Tell me what to look for, e.g. `/release find Appendix O`.", "release")
        return Command(action="find", words=words)
    if head == "undo":
        target = tokens[1].lstrip("#") if len(tokens) > 1 else ""
        if len(tokens) > 2 or (target and not target.isdecimal()):
            raise _fail("`undo` takes nothing, or the number of the change to undo: `/release undo #12`.", "admin")
        return Command(action="undo", n=int(target) if target else None)
    if head == "audit":
        n = int(tokens[1]) if len(tokens) > 1 and tokens[1].isdecimal() else 10
        return Command(action="audit", n=min(n, 100))
    if head == "glossary":
        return Command(action="glossary", words=_rest(tokens, 1))
    if head in ("holiday", "holidays"):
        return _holiday(tokens, today, "release")
    if head in SUBSCRIPTION_WORDS:
        return _subscriptions(head, tokens, 1, None)
    slug = read_slug(tokens, 0)
    if slug is None:
        raise _fail(
            f"`{tokens[0]}` is not a release I know how to read.",
            "release",
            word=tokens[0],
            expected=RELEASE_WORDS + SUBSCRIPTION_WORDS,
        )
    name, i = slug
    if i >= len(tokens):
        return Command(action="release.card", slug=name)
    sub = tokens[i].lower()
    i += 1
    if sub == "scope":
        if i < len(tokens):
            if tokens[i].lower() == "as" and i + 1 < len(tokens) and tokens[i + 1].lower() == "of":
                day, _ = _need_date(tokens, i + 2, today, "release", "the date after `as of`")
                return Command(action="release.scope", slug=name, day=day)
            if tokens[i].lower() in ("on", "at", "asof"):
                day, _ = _need_date(tokens, i + 1, today, "release", "the date")
                return Command(action="release.scope", slug=name, day=day)
            raise _fail("After `scope` I understand `as of <date>`.", "release", word=tokens[i])
        return Command(action="release.scope", slug=name)
    if sub in ("timeline", "milestones", "dates"):
        return Command(action="release.timeline", slug=name)
    if sub == "impacts":
        option = tokens[i].lower() if i < len(tokens) else None
        if option in ("party", "participants", "participant"):
            option = "parties"
        if option in ("document", "docs", "doc"):
            option = "documents"
        if option not in (None, "parties", "documents"):
            raise _fail("`impacts` takes `parties` or `documents`.", "release", word=tokens[i], expected=("parties", "documents"))
        return Command(action="release.impacts", slug=name, option=option)
    if sub in ("costs", "cost"):
        return Command(action="release.costs", slug=name)
    if sub in ("criteria", "acceptance"):
        return Command(action="release.criteria", slug=name)
    if sub == "history":
        return Command(action="release.history", slug=name)
    if sub == "rid":
        return Command(action="release.rid", slug=name)
    if sub == "changes":
        if i < len(tokens) and tokens[i].lower() == "since":
            i += 1
        day, _ = _need_date(tokens, i, today, "release", "the date after `changes since`")
        return Command(action="release.changes", slug=name, day=day)
    if sub in ("add", "approve", "remove", "drop"):
        ref, used = _need_ref(tokens, i, "release")
        title = ""
        if sub == "add" and i + used < len(tokens) and getattr(tokens[i + used], "quoted", False):
            title = tokens[i + used]
            used += 1
        reason = _reason(tokens, i + used)
        action = {"add": "scope.add", "approve": "scope.approve", "remove": "scope.remove", "drop": "scope.remove"}[sub]
        if action == "scope.remove" and not reason:
            raise _fail(f"Say why: `/release {name} remove {ref} reason <why>`.", "release")
        return Command(action=action, slug=name, ref=ref, reason=reason, words=str(title))
    if sub == "move":
        ref, used = _need_ref(tokens, i, "release")
        i += used
        if i < len(tokens) and tokens[i].lower() == "to":
            i += 1
        target = read_slug(tokens, i)
        if target is None:
            raise _fail(f"Move {ref} to which release? e.g. `/release {name} move {ref} to june-2022`.", "release")
        to_slug, used = target
        return Command(action="scope.move", slug=name, ref=ref, to_slug=to_slug, reason=_reason(tokens, i + used))
    if sub in ("milestone", "milestones") and i + 1 < len(tokens) and tokens[i + 1].lower() == "cancel":
        return Command(action="milestone.cancel", slug=name, option=tokens[i].lower(), reason=_reason(tokens, i + 2))
    if sub in ("milestone", "milestones"):
        return _milestone(name, tokens, i, today)
    if sub in ("vote", "poll", "votes"):
        return _vote(name, tokens, i, today)
    if sub in SUBSCRIPTION_WORDS[:2]:
        return _subscriptions(sub, tokens, i, name)
    raise _fail(
        f"I don't know `{tokens[i - 1]}` for a release.",
        "release",
        word=tokens[i - 1],
        expected=RELEASE_VIEWS + RELEASE_CHANGES,
    )


_CHANNEL = re.compile(r"^<#([A-Z0-9]+)(?:\|([^>]*))?>$")
_LEADS = re.compile(r"^[0-9]{1,3}(,[0-9]{1,3})*$")


def _subscriptions(head: str, tokens: list[str], i: int, slug: str | None) -> Command:
    """subscribe|unsubscribe [#channel] [<slug>|all] [kinds...] [leads=5,1,0] [slack-webhook=|teams-webhook=<url>];
    subscriptions [#channel|all]. Kinds are checked by the handler (it knows the rules)."""
    action = {"subscribe": "subscription.add", "unsubscribe": "subscription.remove", "subscriptions": "subscription.list"}[head]
    channel: tuple[str, str] | None = None
    scope: str | None = slug
    kinds: list[str] = []
    leads: tuple[int, ...] | None = None
    webhook: tuple[str, str] | None = None
    while i < len(tokens):
        word, low = tokens[i], tokens[i].lower()
        if (m := _CHANNEL.match(word)) or word.startswith("#"):
            if channel is not None:
                raise _fail("Name one channel at a time.", "reminders")
            channel = (m.group(1), "#" + (m.group(2) or m.group(1))) if m else (word, word)
        elif low == "all" and scope is None:
            scope = "all"
        elif low.startswith("leads") and head == "subscribe":
            value = low.partition("=")[2] or (tokens[i + 1] if i + 1 < len(tokens) and low == "leads" else "")
            i += 0 if "=" in low else 1
            if not _LEADS.match(value):
                raise _fail("Leads are Working Days before the milestone, like `leads=5,1,0`.", "reminders")
            try:
                leads = parse_leads(value)
            except RulesError as exc:
                raise _fail(f"Leads are Working Days before the milestone, like `leads=5,1,0`: {exc}.", "reminders") from None
        elif low.startswith(("slack-webhook=", "teams-webhook=")) and head == "subscribe":
            url = word.partition("=")[2].strip("<>").split("|")[0]
            if not url.startswith(("https://", "http://")):
                raise _fail("A webhook is an address like `https://hooks.slack.com/services/...`.", "reminders")
            webhook = (low.split("-")[0], url)
        elif scope is None and (got := read_slug(tokens, i)) is not None:
            scope, used = got
            i += used - 1
        elif head == "subscriptions":
            raise _fail(f"`/release subscriptions` takes a channel or `all` (got `{word}`).", "reminders", word=word)
        else:
            kinds.append(low)  # as typed; the handler reads `go-live` as `go_live` and says which words it did not know
        i += 1
    extra = {"channel": channel, "kinds": tuple(kinds), "leads": leads, "webhook": webhook}
    return Command(action=action, slug=None if scope == "all" else scope, option="all" if scope == "all" else None, extra=extra)


_CLOCKISH = re.compile(r"^[0-9]{1,2}[:.][0-9]{2}(?::[0-9]{2})?$|^[0-9]{1,2}(?::[0-9]{2})?\s*[ap]m$", re.I)


def _when(tokens: list[str], i: int, today: date, what: str) -> tuple[date, time | None, int]:
    day, used = _need_date(tokens, i, today, "release", what)
    i += used
    at = None
    if i < len(tokens) and tokens[i].lower() == "at":
        got = read_time(tokens, i + 1)
        if got is None:
            raise _fail("After `at` I need a time like `14:00`.", "release")
        at, used = got[0], 1 + got[1]
        i += used
    elif i < len(tokens) and not getattr(tokens[i], "quoted", False):
        if (got := read_time(tokens, i)) is not None:
            at = got[0]
            i += got[1]
        elif _CLOCKISH.match(tokens[i]):
            raise _fail(f"`{tokens[i]}` is not a time of day (use 00:00 to 23:59).", "release")
    return day, at, i


def _milestone(slug: str, tokens: list[str], i: int, today: date) -> Command:
    if i < len(tokens) and tokens[i].lower() == "add":
        if i + 1 >= len(tokens):
            raise _fail(f"Usage: `/release {slug} milestone add <kind> <date> [time] [title]`.", "release")
        kind = tokens[i + 1].lower().replace("-", "_")
        day, at, j = _when(tokens, i + 2, today, "the milestone's date")
        return Command(action="milestone.add", slug=slug, option=kind, day=day, at=at, words=_rest(tokens, j))
    if i < len(tokens):
        which = tokens[i].lower()
        j = i + 1
        if j < len(tokens) and tokens[j].lower() in ("to", "="):
            j += 1
        day, at, j = _when(tokens, j, today, "the new date")
        return Command(action="milestone.move", slug=slug, option=which, day=day, at=at, reason=_reason(tokens, j))
    return Command(action="release.timeline", slug=slug)


_CHOICE_WORDS = {"go": "go", "yes": "go", "no-go": "no_go", "nogo": "no_go", "no_go": "no_go", "no": "no_go", "abstain": "abstain"}


def _vote(slug: str, tokens: list[str], i: int, today: date) -> Command:
    """vote | vote open [closes <date> [time]] [quorum N] [secret] ["question"] | status | close | go|no-go|abstain [comment]"""
    if i >= len(tokens):
        return Command(action="vote.show", slug=slug)
    word = tokens[i].lower()
    if word in ("status", "close", "show"):
        return Command(action=f"vote.{word}", slug=slug)
    if word in _CHOICE_WORDS:
        return Command(action="vote.cast", slug=slug, option=_CHOICE_WORDS[word], words=_rest(tokens, i + 1))
    if word != "open":
        raise _fail("After `vote` I understand `open`, `status`, `close`, or `go` / `no-go` / `abstain`.", "polls", word=tokens[i], expected=("open", "status", "close", "go", "no-go", "abstain"))
    j = i + 1
    fields: dict[str, Any] = {"action": "vote.open", "slug": slug}
    question: list[str] = []
    while j < len(tokens):
        word = tokens[j].lower()
        if word in ("closes", "close", "until", "by", "deadline") and not getattr(tokens[j], "quoted", False):
            day, at, j = _when(tokens, j + 1, today, "the closing date")
            fields["day"], fields["at"] = day, at
        elif word == "quorum" and j + 1 < len(tokens):
            if not tokens[j + 1].isdecimal() or not 1 <= int(tokens[j + 1]) <= 1000:
                raise _fail("`quorum` takes a whole number of Panel members, e.g. `quorum 4`.", "polls")
            fields["n"] = int(tokens[j + 1])
            j += 2
        elif word == "secret":
            fields["option"] = "secret"
            j += 1
        else:
            question.append(tokens[j])
            j += 1
    fields["words"] = " ".join(question)
    return Command(**fields)


def _holiday(tokens: list[str], today: date, topic: str) -> Command:
    # holidays [year] | holiday add <date> <name>
    if len(tokens) > 1 and tokens[1].lower() == "add":
        day, used = _need_date(tokens, 2, today, topic, "the holiday's date")
        name = _rest(tokens, 2 + used)
        if not name:
            raise _fail("Give the holiday a name, e.g. `holiday add 2022-09-19 State funeral`.", topic)
        return Command(action="holiday.add", day=day, words=name)
    year = int(tokens[1]) if len(tokens) > 1 and tokens[1].isdecimal() and len(tokens[1]) == 4 else today.year
    return Command(action="holiday.list", n=year)


def _mod(tokens: list[str], today: date) -> Command:
    if not tokens:
        return Command(action="help", words="mod")
    head = tokens[0].lower()
    if head in ("help", "?"):
        return Command(action="help", words="mod")
    if head in ("find", "search"):
        words = _rest(tokens, 1)
        if not words:
            raise _fail("Tell me what to look for, e.g. `/mod find SMKI`.", "mod")
        return Command(action="find", words=words)
    got = read_ref(tokens, 0)
    if got is None:
        raise _fail(f"`{tokens[0]}` is not a modification reference, like `MP122A` or `SECMP0020`.", "mod", word=tokens[0])
    ref, used = got
    if used < len(tokens):
        raise _fail(f"After `{ref}` I expected nothing more (got `{_rest(tokens, used)}`).", "mod")
    return Command(action="mod.show", ref=ref)


def _workdays(tokens: list[str], today: date) -> Command:
    if not tokens or tokens[0].lower() in ("help", "?"):
        return Command(action="help", words="workdays")
    head = tokens[0].lower()
    if head in ("holiday", "holidays"):
        return _holiday(tokens, today, "workdays")
    i = 0
    start = today
    got = read_date(tokens, 0, today)
    if got is not None:
        start, i = got
    elif not (tokens[0][:1] in "+-" or head in ("to", "until")):
        raise _fail(f"`{tokens[0]}` is not a date I can read.", "workdays", word=tokens[0])
    if i >= len(tokens):
        return Command(action="workdays.check", day=start)
    word = tokens[i]
    if word[:1] in "+-":
        number = word[1:] or (tokens[i + 1] if i + 1 < len(tokens) else "")
        used = 1 if word[1:] else 2
        if not number.lower().removesuffix("wd").isdecimal():
            raise _fail(f"`{word}` should be a whole number of Working Days, like `+10` or `-5`.", "workdays")
        n = int(number.lower().removesuffix("wd"))
        if n > 100_000:
            raise _fail("That is more Working Days than I will count (100,000 at most).", "workdays")
        rest = tokens[i + used :]
        if rest and rest[0].lower() in ("wd", "working", "workdays", "days"):
            rest = rest[1:] if rest[0].lower() != "working" else rest[2:]
        if rest:
            raise _fail(f"I didn't understand `{' '.join(rest)}` after the number.", "workdays")
        return Command(action="workdays.add", day=start, n=-n if word[0] == "-" else n)
    if word.lower() in ("to", "until", "-", "and"):
        end, used = _need_date(tokens, i + 1, today, "workdays", "the end date")
        if i + 1 + used < len(tokens):
            raise _fail(f"I didn't understand `{_rest(tokens, i + 1 + used)}`.", "workdays")
        return Command(action="workdays.between", day=start, until=end)
    raise _fail(f"After the date I understand `+N`, `-N` or `to <date>` (got `{word}`).", "workdays", word=word)
