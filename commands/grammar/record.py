"""The words of keeping the record: `/release new`, `/release <slug> set`, `/mod new`,
`/mod <ref> set`, `/mod <ref> decision`, and the `effective <date>` any change may carry.

`effective` is read first and taken out of the words, wherever it stands (`... effective Dec 2020`),
so each command's own words read the same with or without it. A month (`Dec 2020`) keeps month
precision: it is never shown or reminded as the 1st.
"""

from __future__ import annotations

import re
from dataclasses import replace

from commands.grammar.book import Said
from commands.grammar.reading import fail, need_date, need_ref, no_more, quoted, rest
from commands.language import Command
from commands.record_language import ModDecision, ModNew, ModSet, ReleaseNew, ReleaseSet
from domain.decisions import BODIES, OUTCOMES
from domain.record import (
    PATHS,
    PHASES,
    STATUSES,
    When,
    read_body,
    read_outcome,
    read_path,
    read_phase,
    read_status,
    read_when_given,
    read_yes_no,
)
from domain.words import MONTHS, read_slug

__all__ = ["mod_decision", "mod_new", "mod_set", "release_new", "release_set", "take_effective"]

MAX_TEXT = 500  # a title or a note: a sentence or two, not a paper
_DATEISH = re.compile(r"^[0-9]|^(" + "|".join(m[:3] for m in MONTHS) + ")", re.I)


def take_effective(said: Said) -> tuple[Said, When | None]:
    """`effective <date|month>` anywhere after the command's word, taken out of the words."""
    tokens = said.tokens
    for n in range(said.i, len(tokens)):
        if quoted(tokens[n]) or tokens[n].lower() not in ("effective", "effective:"):
            continue
        got = read_when_given(tokens, n + 1, said.today)
        if got is not None:
            when, used = got
            return replace(said, tokens=[*tokens[:n], *tokens[n + 1 + used :]]), when
        if n + 1 >= len(tokens) or _DATEISH.match(tokens[n + 1]):
            shown = f" (got `{rest(tokens, n + 1)}`)" if n + 1 < len(tokens) else ""
            raise fail(
                f"After `effective` I need a date like `23 Nov 2016` or a month like `Dec 2020`{shown}.", "admin"
            )
    return said, None


def _text(tokens: list[str], i: int, what: str) -> str:
    text = rest(tokens, i)
    if len(text) > MAX_TEXT:
        raise fail(f"That {what} is {len(text)} characters; keep it under {MAX_TEXT}.", "admin")
    return text


# -- releases ------------------------------------------------------------------------------

_GO_LIVE = ("go-live", "go_live", "golive", "live")
_DCC = {"dcc": True, "dcc-impacting": True, "system": True, "document-only": False, "doc-only": False}
_DCC |= {"documents-only": False, "document": False, "non-system": False}


def _go_live_word(tokens: list[str], i: int) -> int:
    """How many tokens the `go-live` keyword takes at i (`go-live`, or `go live`); 0 if absent."""
    if i < len(tokens) and tokens[i].lower() in _GO_LIVE:
        return 1
    if i + 1 < len(tokens) and tokens[i].lower() == "go" and tokens[i + 1].lower() == "live":
        return 2
    return 0


def release_new(said: Said) -> ReleaseNew:
    """`new <slug> go-live <date> [dcc|document-only] ["name"] [effective <date>]`."""
    said, effective = take_effective(said)
    tokens, i = said.tokens, said.i
    usage = '`/release new june-2023 go-live 29 Jun 2023 [dcc|document-only] ["June 2023 SEC Release"]`'
    got = read_slug(tokens, i)
    if got is None:
        raise fail(f"Which release? e.g. {usage}.", "admin")
    slug, used = got
    i += used
    keyword = _go_live_word(tokens, i)
    if not keyword:
        raise fail(f"Give its go-live date: {usage}.", "admin")
    go_live, used = need_date(tokens, i + keyword, said.today, "admin", "the go-live date")
    i += keyword + used
    dcc = None
    if i < len(tokens) and not quoted(tokens[i]) and tokens[i].lower() in _DCC:
        dcc = _DCC[tokens[i].lower()]
        i += 1
    name = ""
    if i < len(tokens) and quoted(tokens[i]):
        name = _text(tokens, i, "name")[:120]
        i += 1
    no_more(tokens, i, '/release new <slug> go-live <date> [dcc|document-only] ["name"]', topic="admin")
    return ReleaseNew(slug=slug, go_live=go_live, dcc=dcc, name=name, effective=effective)


def release_set(said: Said, slug: str) -> ReleaseSet:
    """`set status <status>` | `set go-live <date>` | `set dcc yes|no` [effective <date>]."""
    said, effective = take_effective(said)
    tokens, i = said.tokens, said.i
    usage = f"`/release {slug} set status frozen`, `set go-live 29 Jun 2023` or `set dcc yes`"
    if i >= len(tokens):
        raise fail(f"Set what? {usage}.", "admin")
    word = tokens[i].lower()
    if word == "status":
        status = read_status(tokens[i + 1]) if i + 1 < len(tokens) else None
        if status is None:
            raise fail(f"A release's status is one of {', '.join(STATUSES)}.", "admin", expected=STATUSES)
        no_more(tokens, i + 2, f"/release {slug} set status <status>", topic="admin")
        return ReleaseSet(slug=slug, field="status", status=status, effective=effective)
    if keyword := _go_live_word(tokens, i):
        go_live, used = need_date(tokens, i + keyword, said.today, "admin", "the go-live date")
        no_more(tokens, i + keyword + used, f"/release {slug} set go-live <date>", topic="admin")
        return ReleaseSet(slug=slug, field="go_live", go_live=go_live, effective=effective)
    if word == "dcc":
        flag = read_yes_no(tokens[i + 1]) if i + 1 < len(tokens) else None
        if flag is None:
            raise fail(f"`/release {slug} set dcc yes` (DCC System impacting) or `no` (document-only).", "admin")
        no_more(tokens, i + 2, f"/release {slug} set dcc yes|no", topic="admin")
        return ReleaseSet(slug=slug, field="dcc", dcc=flag, effective=effective)
    raise fail(
        f"I can set a release's status, go-live or dcc: {usage}.",
        "admin",
        word=word,
        expected=("status", "go-live", "dcc"),
    )


# -- modifications ------------------------------------------------------------------------


def mod_new(said: Said) -> ModNew:
    """`/mod new <ref> "title" [path <path>] [effective <date>]`."""
    said, effective = take_effective(said)
    tokens, i = said.tokens, said.i
    ref, used = need_ref(tokens, i, "admin")
    i += used
    words = [str(t) for t in tokens[i:]]
    at = next((n for n, t in enumerate(tokens[i:]) if not quoted(t) and t.lower() == "path"), len(words))
    title = _text(words, 0, "title") if at == len(words) else " ".join(words[:at])
    if not title:
        raise fail(f'Give its title: `/mod new {ref} "Title" [path Self-Governance]`.', "admin")
    path = ""
    if at < len(words):
        given = " ".join(words[at + 1 :])
        found = read_path(given)
        if not found:
            raise fail(f"A governance path is one of {', '.join(PATHS)} (got `{given}`).", "admin", expected=PATHS)
        path = found
    return ModNew(ref=ref, title=title[:MAX_TEXT], path=path, effective=effective)


_MOD_FIELDS = ("phase", "path", "wg", "dcc", "title")
_FIELD_WORDS = {"working-group": "wg", "working_group": "wg", "workinggroup": "wg", "group": "wg"}


def mod_set(said: Said, ref: str) -> ModSet:
    """`set phase|path|wg|dcc|title <value> [effective <date>]`."""
    said, effective = take_effective(said)
    tokens, i = said.tokens, said.i
    if i >= len(tokens):
        raise fail(f"Set what? e.g. `/mod {ref} set phase Report`.", "admin", expected=_MOD_FIELDS)
    field = _FIELD_WORDS.get(tokens[i].lower(), tokens[i].lower())
    given = _text(tokens, i + 1, field)
    value: str | bool | None
    if field not in _MOD_FIELDS:
        raise fail(f"I can set a modification's {', '.join(_MOD_FIELDS)}.", "admin", word=field, expected=_MOD_FIELDS)
    if not given:
        raise fail(f"Set {field} to what? e.g. `/mod {ref} set {field} ...`.", "admin")
    if field == "phase":
        value = read_phase(given)
        if value is None:
            raise fail(f"A phase is one of {', '.join(PHASES)} (got `{given}`).", "admin", expected=PHASES)
    elif field == "path":
        value = read_path(given)
        if value is None:
            raise fail(f"A governance path is one of {', '.join(PATHS)}, or none (got `{given}`).", "admin")
    elif field == "dcc":
        value = None if given.lower() in ("unknown", "not known", "tbc") else read_yes_no(given)
        if value is None and given.lower() not in ("unknown", "not known", "tbc"):
            raise fail(f"`/mod {ref} set dcc yes`, `no` or `unknown`.", "admin")
    elif field == "wg":
        value = "" if given.lower() in ("none", "no") else given.upper()[:40]
    else:
        value = given
    return ModSet(ref=ref, field=field, value=value, effective=effective)


def mod_decision(said: Said, ref: str) -> Command:
    """`decision <body> <outcome> <date> ["note"] [effective <date>]`."""
    said, effective = take_effective(said)
    tokens, i = said.tokens, said.i
    usage = f'`/mod {ref} decision "Change Board" approved 23 Nov 2016 ["note"]`'
    body = read_body(tokens, i)
    if body is None:
        bodies = sorted(set(BODIES.values()))
        raise fail(f"Which body decided? One of {', '.join(bodies)}: {usage}.", "admin", expected=bodies)
    name, used = body
    i += used
    outcome = read_outcome(tokens[i]) if i < len(tokens) else None
    if outcome is None:
        raise fail(f"The outcome is one of {', '.join(OUTCOMES)}: {usage}.", "admin", expected=OUTCOMES)
    got = read_when_given(tokens, i + 1, said.today)
    if got is None:
        raise fail(f"When was it decided? A date like `23 Nov 2016` or a month like `Dec 2020`: {usage}.", "admin")
    decided, used = got
    note = _text(tokens, i + 1 + used, "note")
    return ModDecision(ref=ref, body=name, outcome=outcome, decided=decided, note=note, effective=effective)
