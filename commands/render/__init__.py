"""Reply -> plain text, Slack Block Kit, or a Teams Adaptive Card, through Jinja2 templates.

Rendering is pure. Layout (splitting and paging) is decided here in Python; the templates only
say what each block looks like on each target.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

import jinja2

from commands.render import markup
from commands.render.layout import Limits, Page, fit_blocks, paginate, table_lines
from domain.reply import Actions, Block, Button, Divider, Facts, Heading, Items, Note, Paragraph, Reply, Span, Table

__all__ = [
    "SLACK_LIMITS",
    "TEAMS_LIMITS",
    "Target",
    "decode_button_value",
    "render",
    "render_slack",
    "render_slack_json",
    "render_teams",
    "render_text",
]

Target = Literal["text", "slack", "teams"]

# Block Kit: 50 blocks a message, 3,000 characters a section text, 10 fields a section.
SLACK_LIMITS = Limits(section_chars=3000, fields=10, page_blocks=46, page_chars=11000)
# Teams: a card of about 28 KB at most; keep pages well under it.
TEAMS_LIMITS = Limits(section_chars=6000, fields=20, page_blocks=40, page_chars=14000)

ACTION_PREFIX = "releasebot"


def decode_button_value(value: str) -> dict[str, Any]:
    """The `{"c": command, "p": page}` a page or command button carries."""
    data = json.loads(value)
    return {"command": str(data.get("c", "")), "page": int(data.get("p", 1))}


def _button_value(button: Button) -> str:
    if button.action in ("page", "command", "share"):
        page = 1
        command = button.value
        if button.action == "page":
            command, _, page_text = button.value.rpartition("#")
            page = int(page_text)
        return json.dumps({"c": command, "p": page}, separators=(",", ":"))
    return button.value


def _action_id(button: Button, index: int) -> str:
    return f"{ACTION_PREFIX}_{button.action}_{index}"


def _header(text: str, page: int, total: int) -> str:
    suffix = f" (page {page} of {total})" if total > 1 else ""
    limit = 150 - len(suffix)
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return text + suffix


def _items(block: Items, line: Any, bullet: str) -> str:
    lines = [bullet + line(item) for item in block.lines]
    return "\n".join(lines)


@lru_cache(maxsize=1)
def _env() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(Path(__file__).parent / "templates"),
        autoescape=False,
        trim_blocks=False,
        lstrip_blocks=False,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )
    env.policies["json.dumps_kwargs"] = {"ensure_ascii": False, "sort_keys": False}
    for name, kind in {
        "heading": Heading,
        "paragraph": Paragraph,
        "items": Items,
        "facts": Facts,
        "table": Table,
        "note": Note,
        "divider": Divider,
        "actions": Actions,
    }.items():
        env.tests[name] = lambda value, kind=kind: isinstance(value, kind)
    env.filters.update(
        plain=markup.plain,
        mrkdwn=markup.mrkdwn,
        markdown=markup.markdown,
        slack_escape=lambda s: markup.mrkdwn((Span(str(s)),)),
        header=_header,
        ljust=lambda s, n: str(s).ljust(n),
        table_lines=table_lines,
        table_mrkdwn=lambda t: (
            (f"*{markup.mrkdwn((Span(t.title),))}*\n" if t.title else "")
            + "```"
            + "\n".join(table_lines(t)).replace("```", "ˋˋˋ").translate({38: "&amp;", 60: "&lt;", 62: "&gt;"})
            + "```"
        ),
        items_mrkdwn=lambda b: (
            (f"*{markup.mrkdwn((Span(b.title),))}*\n" if b.title else "") + _items(b, markup.mrkdwn, "• ")
        ),
        items_markdown=lambda b: _items(b, markup.markdown, "- "),
        action_id=_action_id,
        button_value=_button_value,
        verb=lambda button: f"{ACTION_PREFIX}.{button.action}",
        execute_data=lambda button: (
            json.loads(_button_value(button))
            if button.action in ("page", "command", "share")
            else {"value": button.value}
        ),
    )
    return env


def render_text(reply: Reply) -> str:
    """All of it, for a terminal (no pages)."""
    return _env().get_template("text.j2").render(blocks=reply.blocks).rstrip() + "\n"


@lru_cache(maxsize=2048)
def _slack_block(block: Block, page: int, total: int) -> str:
    """One block as slack.j2 renders it alone (a JSON array of one), remembered: blocks are
    immutable and recur across answers, and each is measured for the layout and then shown."""
    return str(_env().get_template("slack.j2").render(blocks=[block], page=page, total=total))


def _slack_blocks_text(blocks: list[Block], page: int, total: int) -> str:
    """The blocks as a Block Kit JSON array: each block's remembered text, joined."""
    try:
        parts = [_slack_block(b, page, total).strip()[1:-1] for b in blocks]
    except TypeError:  # a block that cannot be hashed: the whole page through the template
        return str(_env().get_template("slack.j2").render(blocks=blocks, page=page, total=total))
    return "[" + ",".join(p for p in parts if p.strip()) + "]"


def _slack_blocks(blocks: list[Block], page: int, total: int) -> list[Any]:
    return list(json.loads(_slack_blocks_text(blocks, page, total)))


@lru_cache(maxsize=4096)
def _measure_slack_cached(block: Block) -> int:
    return len(json.dumps(_slack_block(block, 1, 1)))


def _measure_slack(block: Block) -> int:
    try:
        return _measure_slack_cached(block)
    except TypeError:
        return len(json.dumps(_env().get_template("slack.j2").render(blocks=[block], page=1, total=1)))


def _nav(reply: Reply, page: Page) -> list[Block]:
    if page.total == 1:
        return []
    buttons = []
    if page.number > 1:
        buttons.append(Button("◀ Previous", "page", f"{reply.command}#{page.number - 1}"))
    if page.number < page.total:
        buttons.append(Button("Next ▶", "page", f"{reply.command}#{page.number + 1}"))
    return [Note(markup_line(f"Page {page.number} of {page.total}")), Actions(tuple(buttons))]


def markup_line(text: str) -> tuple[Span, ...]:
    return (Span(text),)


def _pages(reply: Reply, limits: Limits, measure_line: Any, measure: Any) -> list[Page]:
    blocks = fit_blocks(reply.blocks, limits, measure_line)
    return paginate(blocks, limits, measure)


def _pick(pages: list[Page], page: int | None, reply: Reply) -> Page:
    number = min(max(page or reply.page, 1), len(pages))
    return pages[number - 1]


def render_slack(reply: Reply, page: int | None = None, share: bool = False) -> dict[str, Any]:
    """One page as a chat.postMessage / response_url body: fallback `text` plus `blocks`."""
    fallback, blocks, number, total = _slack_page(reply, page, share)
    return {"text": fallback, "blocks": _slack_blocks(blocks, number, total)}


def render_slack_json(reply: Reply, page: int | None = None, share: bool = False, **extra: str) -> str:
    """`render_slack` (with `extra` keys) serialised: the blocks' remembered JSON is spliced in, not
    parsed and written again (an ack is sent as this string)."""
    fallback, blocks, number, total = _slack_page(reply, page, share)
    tail = "".join(f",{json.dumps(k)}:{json.dumps(v, ensure_ascii=False)}" for k, v in extra.items())
    text = json.dumps(fallback, ensure_ascii=False)
    return f'{{"text":{text},"blocks":{_slack_blocks_text(blocks, number, total)}{tail}}}'


def _slack_page(reply: Reply, page: int | None, share: bool) -> tuple[str, list[Block], int, int]:
    """(fallback text, the chosen page's blocks with its buttons, page number, pages)."""
    pages = _pages(reply, SLACK_LIMITS, lambda line: len(markup.mrkdwn(line)), _measure_slack)
    chosen = _pick(pages, page, reply)
    blocks = list(chosen.blocks) + _nav(reply, chosen)
    if share:
        blocks.append(
            Actions(
                (
                    Button(
                        "Share in channel",
                        "share",
                        reply.command + (f" page {chosen.number}" if chosen.number > 1 else ""),
                    ),
                )
            )
        )
    # Two Actions blocks next to each other are merged so the message stays within 50 blocks.
    merged: list[Block] = []
    for block in blocks:
        if isinstance(block, Actions) and merged and isinstance(merged[-1], Actions):
            merged[-1] = Actions(merged[-1].buttons + block.buttons)
        else:
            merged.append(block)
    # The fallback is shown in notifications and parsed by Slack like any mrkdwn: escape it too.
    fallback = markup.mrkdwn((Span(reply.fallback or reply.title),))
    return fallback[:3000], merged, chosen.number, chosen.total


def _measure_teams(block: Block) -> int:
    return len(_env().get_template("teams.j2").render(body=[block], buttons=[], page=1, total=1))


def render_teams(reply: Reply, page: int | None = None) -> dict[str, Any]:
    """One page as an Adaptive Card (v1.5); buttons become Action.Execute."""
    pages = _pages(reply, TEAMS_LIMITS, lambda line: len(markup.markdown(line)), _measure_teams)
    chosen = _pick(pages, page, reply)
    blocks = list(chosen.blocks) + _nav(reply, chosen)
    body = [b for b in blocks if not isinstance(b, Actions)]
    buttons = [button for b in blocks if isinstance(b, Actions) for button in b.buttons]
    text = _env().get_template("teams.j2").render(body=body, buttons=buttons, page=chosen.number, total=chosen.total)
    card: dict[str, Any] = json.loads(text)
    return card


def render(reply: Reply, target: Target, page: int | None = None) -> str:
    """The reply as a string: text as is, Slack and Teams as JSON."""
    if target == "text":
        return render_text(reply)
    if target == "slack":
        return json.dumps(render_slack(reply, page), ensure_ascii=False, indent=2)
    return json.dumps(render_teams(reply, page), ensure_ascii=False, indent=2)
