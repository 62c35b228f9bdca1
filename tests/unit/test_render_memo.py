"""Slack rendering remembers each block's Block Kit and each line's mrkdwn (issue 13, item 3):
the page it assembles is the one the template renders in one piece, for every kind of block,
and user text is escaped exactly as before."""

from __future__ import annotations

import json

from commands.render import _env, _slack_blocks, render_slack
from commands.render.markup import mrkdwn
from domain.reply import (
    Actions,
    Block,
    Button,
    Divider,
    Facts,
    Heading,
    Items,
    Note,
    Paragraph,
    Reply,
    Table,
    b,
    code,
    i,
    link,
    spans,
)

BLOCKS: list[Block] = [
    Heading("June 2021 SEC Release <scope> & more"),
    Paragraph(spans(b("6 targeted"), ", ", i("2 removed"), " <@U0ADMIN01> & ", code("MP`122"))),
    Items((spans(b("DP144"), " Charging & <fees>"), spans(link("MP 1|2", "https://example.org/a|b>"))), "Targeted"),
    Facts((("Go-live", spans("Thu 24 Jun 2021")), ("Status <x>", spans(b("baselined"))))),
    Table(("ref", "title"), (("MP122A", "Operational & Metrics"), ("DP145", "```fenced```")), "Costs"),
    Note(spans("since Fri 4 Dec 2020")),
    Divider(),
    Actions((Button("Next ▶", "page", "release june-2021 scope#2"), Button("Approve", "approve", "7", "primary"))),
]


def _template(blocks: list[Block], page: int, total: int) -> list[object]:
    return list(json.loads(_env().get_template("slack.j2").render(blocks=blocks, page=page, total=total)))


def test_the_assembled_page_is_the_templates_page() -> None:
    for page, total in ((1, 1), (2, 3)):
        assert _slack_blocks(BLOCKS, page, total) == _template(BLOCKS, page, total)
        assert _slack_blocks(BLOCKS, page, total) == _template(BLOCKS, page, total)  # from memory, the same
    assert _slack_blocks([], 1, 1) == _template([], 1, 1) == []


def test_remembered_lines_are_escaped_like_fresh_ones() -> None:
    line = spans("a & b <c>", b("*x*"), i("_y_"), code("`z`"), link("L|M", "https://h/x|y"))
    first, again = mrkdwn(line), mrkdwn(line)
    assert first == again == mrkdwn(list(line))  # type: ignore[arg-type]  # a list (unhashable) too
    assert "&amp;" in first and "&lt;c&gt;" in first and "<@" not in first


def test_a_reply_renders_the_same_twice() -> None:
    reply = Reply("Scope", tuple(BLOCKS), command="/release june-2021 scope")
    assert render_slack(reply) == render_slack(reply)
    assert render_slack(reply)["blocks"][0]["type"] == "header"


def test_the_spliced_ack_is_the_serialised_response() -> None:
    from bot.slack.payload import response, response_json

    for reply in (
        Reply("Scope <&>", tuple(BLOCKS), command="/release june-2021 scope", fallback="Removed: <!channel> & 'x'"),
        Reply("Help", (Paragraph(spans("usage")),), kind="help"),
    ):
        for page in (None, 1, 2):
            assert json.loads(response_json(reply, page)) == response(reply, page)
