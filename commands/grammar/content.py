"""The words of RID content changes and RID versions (admins): `impact`, `summary`, `cost`,
`criterion`, `rid baseline`, and the notice-period words any of them (and scope changes) take.

`by-exception <reason>` takes the rest of the line (a change after the freeze says why);
`effective <date>` dates the change; a last word `confirm` goes ahead with a DCC System
impacting addition inside the DCC lead time. Titles, texts and notes are "quoted".
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from commands.content_language import CostChange, CriterionChange, ImpactChange, RidBaseline, SummaryChange
from commands.grammar.book import Said
from commands.grammar.reading import fail, need_date, need_ref, quoted, rest
from commands.grammar.releases import dated_view, impacts
from commands.language import Command
from domain.versions import VERSION

__all__ = ["Options", "cost", "criterion", "impact", "options", "rid_baseline", "summary"]

_READING = ("as", "on", "at", "asof", "parties", "documents")  # `cost as of <date>`: the view, not a change
MAX_TEXT = 2000  # a criterion, a summary, a note: bounded
MAX_AMOUNT = 10**12


@dataclass(frozen=True)
class Options:
    """The notice-period words found at the end of a command, and where its own words stop."""

    end: int
    effective: date | None = None
    by_exception: str = ""
    confirmed: bool = False

    @property
    def common(self) -> dict[str, Any]:
        """What every content command takes from these words."""
        return {"effective": self.effective, "by_exception": self.by_exception}


def options(said: Said, *, dated: bool = True, confirmable: bool = False) -> Options:
    """Take `confirm` (last word; scope changes only), `by-exception <reason>` (the rest) and
    `effective <date>` (content changes; scope changes leave it to their own words) off the end."""
    tokens, today = said.tokens, said.today
    end = len(tokens)
    confirmed = end > said.i and not quoted(tokens[end - 1]) and tokens[end - 1].lower() == "confirm"
    if confirmed and not confirmable:
        raise fail("`confirm` is for adding a modification to a release inside its DCC lead time.", "admin")
    end -= confirmed
    by_exception = ""
    for n in range(said.i, end):
        word = tokens[n].lower().rstrip(":")
        if quoted(tokens[n]):
            continue
        if word in ("by-exception", "by_exception") or (
            word == "by" and n + 1 < end and tokens[n + 1].lower().rstrip(":") == "exception"
        ):
            start = n + (1 if word != "by" else 2)
            by_exception = rest(tokens[:end], start).lstrip(":").strip()
            if not by_exception:
                raise fail("Say why it is made by exception: `by-exception <reason>`.", "admin")
            end = n
            break
    effective = None
    if dated:
        for n in range(said.i, end):
            if tokens[n].lower() == "effective" and not quoted(tokens[n]):
                effective, used = need_date(tokens, n + 1, today, "admin", "the date after `effective`")
                if n + 1 + used != end:
                    raise fail("`effective <date>` comes after the change's own words.", "admin")
                end = n
                break
    return Options(end, effective, by_exception[:MAX_TEXT], confirmed)


def _words(said: Said, opts: Options) -> list[str]:
    return said.tokens[: opts.end]


def _text(token: str, what: str, usage: str) -> str:
    if not quoted(token):
        raise fail(f'Put {what} in "double quotes": `{usage}`.', "admin")
    text = str(token).strip()
    if not text or len(text) > MAX_TEXT:
        raise fail(f"{what.capitalize()} must be 1 to {MAX_TEXT} characters.", "admin")
    return text


def _number(token: str, what: str, usage: str) -> int:
    digits = token.lstrip("#")
    if not digits.isdecimal() or not 0 < int(digits) < 10_000:
        raise fail(f"`{token}` is not a {what} number: `{usage}`.", "admin")
    return int(digits)


def impact(said: Said, slug: str) -> Command:
    """`impact <ref> parties Suppliers,DCC` | `parties none` | `document "X" ["title"]` |
    `document "X" remove` | `document "X" replace "Y" ["title"]`."""
    usage = f'/release {slug} impact MP122 parties Suppliers,DCC | document "Section A" [remove|replace "Section H"]'
    opts = options(said)
    tokens = _words(said, opts)
    if said.i >= len(tokens) or tokens[said.i].lower() in _READING:
        return impacts(said, slug)
    ref, used = need_ref(tokens, said.i, "admin")
    i = said.i + used
    what = tokens[i].lower() if i < len(tokens) else ""
    if what in ("parties", "party", "participants"):
        names = tuple(p.strip() for p in rest(tokens, i + 1).split(",") if p.strip())
        if not names:
            raise fail(f"Which parties? `{usage}`.", "admin")
        if len(names) > 50 or any(len(p) > 100 for p in names):
            raise fail("At most 50 parties, each up to 100 characters.", "admin")
        if [p.lower() for p in names] in (["none"], ["remove"]):
            names = ()
        return ImpactChange(action="content.parties", slug=slug, ref=ref, parties=names, **opts.common)
    if what in ("document", "doc"):
        if i + 1 >= len(tokens):
            raise fail(f"Which document? `{usage}`.", "admin")
        document = _text(tokens[i + 1], "the document", usage)[:100]
        j = i + 2
        verb = tokens[j].lower() if j < len(tokens) and not quoted(tokens[j]) else "add"
        j += verb != "add" or (j < len(tokens) and not quoted(tokens[j]) and tokens[j].lower() == "add")
        new_document = ""
        if verb == "replace":
            if j >= len(tokens):
                raise fail(f"Replace it with which document? `{usage}`.", "admin")
            new_document = _text(tokens[j], "the new document", usage)[:100]
            j += 1
        elif verb not in ("add", "remove"):
            raise fail(f'After the document I understand `remove` or `replace "<document>"`: `{usage}`.', "admin")
        title = _text(tokens[j], "the document's title", usage)[:200] if j < len(tokens) else ""
        if j + (1 if title else 0) < len(tokens) or (verb == "remove" and title):
            raise fail(f"I did not use `{rest(tokens, j)}`: `{usage}`.", "admin")
        action = f"content.document.{verb}"
        return ImpactChange(
            action=action, slug=slug, ref=ref, document=document, new_document=new_document, title=title, **opts.common
        )
    raise fail(f"After `impact {ref}` I understand `parties` or `document`: `{usage}`.", "admin", word=what or None)


_AUDIENCES = {"party": "party", "parties": "party", "sec": "party", "dcc": "dcc"}


def summary(said: Said, slug: str) -> Command:
    """`summary add party|dcc "area" "text" [for <ref>]` | `summary <n> remove` | `summary <n> replace "text"`."""
    usage = f'/release {slug} summary add party "All SEC Parties" "what changes" [for MP122] | summary 2 remove'
    opts = options(said)
    tokens, i = _words(said, opts), said.i
    if i >= len(tokens):
        raise fail(f"Usage: `{usage}`.", "admin")
    if tokens[i].lower() == "add":
        if i + 3 >= len(tokens) or tokens[i + 1].lower() not in _AUDIENCES:
            raise fail(f"Usage: `{usage}`.", "admin")
        area = _text(tokens[i + 2], "the area", usage)[:200]
        text = _text(tokens[i + 3], "the summary", usage)
        ref = None
        j = i + 4
        if j < len(tokens) and tokens[j].lower() == "for":
            ref, used = need_ref(tokens, j + 1, "admin")
            j += 1 + used
        if j < len(tokens):
            raise fail(f"I did not use `{rest(tokens, j)}`: `{usage}`.", "admin")
        audience = _AUDIENCES[tokens[i + 1].lower()]
        return SummaryChange(
            action="content.summary.add", slug=slug, audience=audience, area=area, words=text, ref=ref, **opts.common
        )
    number = _number(tokens[i], "summary", usage)
    action = _verb(tokens, i + 1, "content.summary", usage)
    words = _replacement(tokens, i + 1, usage)
    return SummaryChange(action=action, slug=slug, number=number, words=words, **opts.common)


def _verb(tokens: list[str], i: int, family: str, usage: str) -> str:
    verb = tokens[i].lower() if i < len(tokens) else ""
    if verb not in ("remove", "replace"):
        raise fail(f"After the number I understand `remove` or `replace`: `{usage}`.", "admin")
    if verb == "remove" and i + 1 < len(tokens):
        raise fail(f"`remove` takes nothing more; I did not use `{rest(tokens, i + 1)}`.", "admin")
    return f"{family}.{verb}"


def _replacement(tokens: list[str], i: int, usage: str) -> str:
    """The quoted text after `replace` (empty for `remove`)."""
    if tokens[i].lower() != "replace":
        return ""
    if i + 1 >= len(tokens) or i + 2 < len(tokens):
        raise fail(f"`replace` takes the new text in quotes: `{usage}`.", "admin")
    return _text(tokens[i + 1], "the new text", usage)


def criterion(said: Said, slug: str) -> Command:
    """`criterion add [kind] "text"` | `criterion <n> remove` | `criterion <n> replace "text"`."""
    usage = f'/release {slug} criterion add "the DCC has ..." | criterion 3 replace "..." | criterion 3 remove'
    opts = options(said)
    tokens, i = _words(said, opts), said.i
    if i >= len(tokens) or tokens[i].lower() in _READING:
        return dated_view("criteria")(said, slug)
    if tokens[i].lower() == "add":
        kind = "operational"
        j = i + 1
        if j < len(tokens) and not quoted(tokens[j]):
            kind = tokens[j].lower()[:40]
            j += 1
        if j + 1 != len(tokens):
            raise fail(f"Usage: `{usage}`.", "admin")
        text = _text(tokens[j], "the criterion", usage)
        return CriterionChange(action="content.criterion.add", slug=slug, kind=kind, words=text, **opts.common)
    number = _number(tokens[i], "criterion", usage)
    action = _verb(tokens, i + 1, "content.criterion", usage)
    words = _replacement(tokens, i + 1, usage)
    return CriterionChange(action=action, slug=slug, number=number, words=words, **opts.common)


def _amount(token: str, usage: str) -> int | None:
    word = token.lower().lstrip("£").replace(",", "")
    if word in ("none", "-", "—", "nil", "unknown"):
        return None
    if word.endswith("k") and word[:-1].isdecimal():
        word = str(int(word[:-1]) * 1000)
    if not word.isdecimal() or int(word) > MAX_AMOUNT:
        raise fail(
            f"`{token}` is not an amount in pounds (like `340000`, `£1,200`, `12k` or `none`): `{usage}`.", "admin"
        )
    return int(word)


def cost(said: Said, slug: str) -> Command:
    """`cost add <payer> <category> <amount> [days N] [for <ref>] ["note"]` | `cost <n> remove` |
    `cost <n> replace <payer> <category> <amount> ...`; the category is one word or "quoted"."""
    usage = f'/release {slug} cost add DCC implementation 340000 [days 5] [for MP122] ["note"] | cost 2 remove'
    opts = options(said)
    tokens, i = _words(said, opts), said.i
    if i >= len(tokens) or tokens[i].lower() in _READING:
        return dated_view("costs")(said, slug)
    if tokens[i].lower() == "add":
        return replace(_cost_words(tokens, i + 1, usage), action="content.cost.add", slug=slug, **opts.common)
    number = _number(tokens[i], "cost", usage)
    if tokens[i + 1 : i + 2] == ["replace"]:
        words = _cost_words(tokens, i + 2, usage)
        return replace(words, action="content.cost.replace", slug=slug, number=number, **opts.common)
    action = _verb(tokens, i + 1, "content.cost", usage)
    return CostChange(action=action, slug=slug, number=number, **opts.common)


def _cost_words(tokens: list[str], i: int, usage: str) -> CostChange:
    """The cost line's words (the action and slug are the caller's to set)."""
    if i + 2 >= len(tokens):
        raise fail(f"Usage: `{usage}`.", "admin")
    payer, category = str(tokens[i])[:40], str(tokens[i + 1])[:60]
    amount = _amount(tokens[i + 2], usage)
    j = i + 3
    effort = None
    ref = None
    note = ""
    while j < len(tokens):
        word = tokens[j].lower()
        if word == "days" and not quoted(tokens[j]) and j + 1 < len(tokens):
            try:
                effort = float(tokens[j + 1])
            except ValueError:
                raise fail(f"`{tokens[j + 1]}` is not a number of days.", "admin") from None
            if not 0 <= effort <= 100_000:
                raise fail("Days of effort must be between 0 and 100000.", "admin")
            j += 2
        elif word == "for" and not quoted(tokens[j]):
            ref, used = need_ref(tokens, j + 1, "admin")
            j += 1 + used
        elif quoted(tokens[j]) and not note:
            note = _text(tokens[j], "the note", usage)
            j += 1
        else:
            raise fail(f"I did not use `{rest(tokens, j)}`: `{usage}`.", "admin")
    return CostChange(
        action="", slug="", payer=payer, category=category, amount_gbp=amount, effort_days=effort, ref=ref, note=note
    )


def rid_baseline(said: Said, slug: str) -> RidBaseline:
    """`rid baseline [version] ["what changed"] [effective <date>]` (`said` starts after `baseline`)."""
    usage = f'/release {slug} rid baseline [1.2] ["what changed"] [effective <date>]'
    opts = options(said, confirmable=True)
    if opts.by_exception or opts.confirmed:
        raise fail(f"A baseline takes a version, what changed and a date: `{usage}`.", "admin")
    tokens, i = said.tokens[: opts.end], said.i
    version = None
    if i < len(tokens) and not quoted(tokens[i]):
        if not VERSION.match(tokens[i]):
            raise fail(f"`{tokens[i]}` is not a RID version like `1.2`: `{usage}`.", "admin")
        version = tokens[i].lower().removeprefix("v")
        i += 1
    changes = ""
    if i < len(tokens):
        changes = _text(tokens[i], "what changed", usage)
        i += 1
    if i < len(tokens):
        raise fail(f"I did not use `{rest(tokens, i)}`: `{usage}`.", "admin")
    return RidBaseline(slug=slug, version=version, changes=changes, effective=opts.effective)
