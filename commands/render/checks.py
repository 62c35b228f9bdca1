"""Check rendered output against the platforms' own limits and models.

Slack: every block is parsed by slack_sdk's Block Kit models (which check text, field, button and
id lengths recursively) plus the limits the SDK leaves out (50 blocks, 2,000 characters a field).
Teams: every node is validated by the microsoft-teams-cards model for its `type`, unknown fields
are refused, and only element and action types that exist in Adaptive Cards 1.5 are allowed.
"""

from __future__ import annotations

import inspect
import typing
from functools import lru_cache
from typing import Any

__all__ = ["ADAPTIVE_CARD_1_5_TYPES", "check_adaptive_card", "check_slack_blocks", "check_slack_view"]

MAX_MESSAGE_BLOCKS = 50
MAX_FIELD_CHARS = 2000

ADAPTIVE_CARD_1_5_TYPES = frozenset(
    {
        "AdaptiveCard",
        "TextBlock",
        "Image",
        "Media",
        "MediaSource",
        "RichTextBlock",
        "TextRun",
        "ActionSet",
        "Container",
        "ColumnSet",
        "Column",
        "FactSet",
        "ImageSet",
        "Table",
        "TableRow",
        "TableCell",
        "Input.Text",
        "Input.Number",
        "Input.Date",
        "Input.Time",
        "Input.Toggle",
        "Input.ChoiceSet",
        "Action.OpenUrl",
        "Action.Submit",
        "Action.ShowCard",
        "Action.ToggleVisibility",
        "Action.Execute",
    }
)


def check_slack_blocks(blocks: Any) -> list[str]:
    """Problems with a message's blocks (empty list when Slack would accept them)."""
    from slack_sdk.errors import SlackObjectFormationError
    from slack_sdk.models.blocks import Block

    if not isinstance(blocks, list):
        return ["blocks must be a list"]
    problems = []
    if len(blocks) > MAX_MESSAGE_BLOCKS:
        problems.append(f"{len(blocks)} blocks > {MAX_MESSAGE_BLOCKS}")
    for n, raw in enumerate(blocks):
        try:
            parsed = Block.parse(raw)
            if parsed is None:
                problems.append(f"blocks[{n}]: unknown block type {raw.get('type')!r}")
                continue
            parsed.to_dict()  # validates nested elements too
        except (SlackObjectFormationError, TypeError, AttributeError, KeyError, ValueError) as exc:
            problems.append(f"blocks[{n}]: {exc}")
            continue
        for field in raw.get("fields") or []:
            if len(field.get("text", "")) > MAX_FIELD_CHARS:
                problems.append(f"blocks[{n}]: a field is over {MAX_FIELD_CHARS} characters")
        action_ids = [
            e.get("action_id") for e in raw.get("elements") or [] if isinstance(e, dict) and e.get("action_id")
        ]
        if len(action_ids) != len(set(action_ids)):
            problems.append(f"blocks[{n}]: duplicate action_id")
    all_ids = [
        e.get("action_id")
        for raw in blocks
        for e in (raw.get("elements") or [])
        if isinstance(e, dict) and e.get("action_id")
    ]
    if len(all_ids) != len(set(all_ids)):
        problems.append("duplicate action_id in the message")
    return problems


def check_slack_view(view: dict[str, Any]) -> list[str]:
    """Problems with a modal or App Home view."""
    from slack_sdk.errors import SlackObjectFormationError
    from slack_sdk.models.views import View

    try:
        View(**view).to_dict()
    except (SlackObjectFormationError, TypeError, AttributeError) as exc:
        return [f"view: {exc}"]
    return (
        check_slack_blocks(view.get("blocks", []))
        if view.get("type") != "home"
        else [p for p in check_slack_blocks(view.get("blocks", [])) if not p.endswith(f"> {MAX_MESSAGE_BLOCKS}")]
    )


@lru_cache(maxsize=1)
def _card_models() -> dict[str, Any]:
    from microsoft_teams.cards import core

    registry: dict[str, Any] = {}
    for _, cls in inspect.getmembers(core, inspect.isclass):
        field = getattr(cls, "model_fields", {}).get("type")
        if (
            field is not None
            and typing.get_origin(field.annotation) is typing.Literal
            and isinstance(field.default, str)
        ):
            registry.setdefault(field.default, cls)
    return registry


_FREE_FORM = ("data", "msteams")
_TYPED_LISTS = ("body", "items", "actions", "columns", "rows", "cells", "inlines")


def check_adaptive_card(card: Any) -> list[str]:
    """Problems with an Adaptive Card 1.5 (empty list when valid)."""
    from pydantic import ValidationError

    models = _card_models()
    problems: list[str] = []
    if not isinstance(card, dict) or card.get("type") != "AdaptiveCard":
        return ["not an AdaptiveCard"]
    if card.get("version") != "1.5":
        problems.append(f"version is {card.get('version')!r}, expected '1.5'")

    def walk(node: Any, path: str, typed: bool) -> None:
        if isinstance(node, list):
            for n, item in enumerate(node):
                walk(item, f"{path}[{n}]", typed)
            return
        if not isinstance(node, dict):
            return
        kind = node.get("type")
        if isinstance(kind, str):
            if kind not in ADAPTIVE_CARD_1_5_TYPES:
                problems.append(f"{path}: {kind!r} is not an Adaptive Cards 1.5 type")
            elif kind in models:
                try:
                    model = models[kind].model_validate(node)
                    extra = set(model.model_extra or {}) - {"$schema", "msteams"}
                    if extra:
                        problems.append(f"{path}: unknown field(s) {sorted(extra)} on {kind}")
                except ValidationError as exc:
                    problems.extend(f"{path}.{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
            if kind == "TextBlock" and not node.get("text"):
                problems.append(f"{path}: TextBlock without text")
        elif typed:
            problems.append(f"{path}: element without a type")
        for key, value in node.items():
            if key not in _FREE_FORM:
                walk(value, f"{path}.{key}", typed=key in _TYPED_LISTS and key != "columns")

    walk(card, "$", False)
    return problems
