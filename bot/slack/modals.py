"""Admin modals, pre-filled from the state, and their submissions turned back into commands.

A modal only composes the command an admin could have typed (`/release june-2022 move MP099 to
...`); the command core checks, applies and audits it, so chat and modal behave the same.
"""

from __future__ import annotations

import json
from typing import Any

from domain.format import milestone_when
from domain.kinds import MilestoneKind
from domain.snapshot import Snapshot

__all__ = [
    "MILESTONE_CALLBACK",
    "NEW",
    "SCOPE_CALLBACK",
    "VOTE_CALLBACK",
    "milestone_command",
    "milestone_modal",
    "scope_command",
    "scope_modal",
    "vote_modal",
    "vote_value",
]

SCOPE_CALLBACK = "releasebot_scope_modal"
MILESTONE_CALLBACK = "releasebot_milestone_modal"
VOTE_CALLBACK = "releasebot_vote_modal"
NEW = "__new__"
_ACTIONS = (
    ("approve", "Approve for this release"),
    ("remove", "Remove from scope"),
    ("move", "Move to another release"),
    ("add", "Target (add) for this release"),
)


def _text(text: str, limit: int = 75) -> dict[str, Any]:
    return {"type": "plain_text", "text": text if len(text) <= limit else text[: limit - 1] + "…"}


def _option(label: str, value: str) -> dict[str, Any]:
    return {"text": _text(label), "value": value}


def _input(
    block_id: str, label: str, element: dict[str, Any], optional: bool = False, hint: str = ""
) -> dict[str, Any]:
    block = {
        "type": "input",
        "block_id": block_id,
        "label": _text(label, 2000),
        "element": {"action_id": "value", **element},
        "optional": optional,
    }
    if hint:
        block["hint"] = _text(hint, 2000)
    return block


def _select(options: list[dict[str, Any]], placeholder: str, initial: dict[str, Any] | None = None) -> dict[str, Any]:
    element: dict[str, Any] = {
        "type": "static_select",
        "placeholder": _text(placeholder, 150),
        "options": options[:100],
    }
    if initial is not None:
        element["initial_option"] = initial
    return element


def _view(
    callback: str, title: str, submit: str, blocks: list[dict[str, Any]], metadata: dict[str, str]
) -> dict[str, Any]:
    return {
        "type": "modal",
        "callback_id": callback,
        "title": _text(title, 24),
        "submit": _text(submit, 24),
        "close": _text("Cancel", 24),
        "private_metadata": json.dumps(metadata),
        "blocks": blocks,
    }


def scope_modal(snap: Snapshot, slug: str, channel_id: str, ref: str | None = None) -> dict[str, Any]:
    rel = snap.release_by_slug[slug]
    scope = sorted(snap.scope(rel.id).items(), key=lambda item: snap.mod_by_id[item[0]].ref)
    mods = [
        _option(f"{snap.mod_by_id[mid].ref} · {change.state} · {snap.mod_by_id[mid].title}", snap.mod_by_id[mid].ref)
        for mid, change in scope
    ]
    actions = [_option(label, value) for value, label in _ACTIONS]
    others = [
        _option(r.name, r.slug) for r in sorted(snap.releases, key=lambda r: r.go_live, reverse=True) if r.id != rel.id
    ]
    blocks: list[dict[str, Any]] = [
        {
            "type": "section",
            "text": {
                "type": "mrkdwn",
                "text": f"*{rel.name}*: change one modification's place in the scope. Every change is audited and can be undone with `/release undo`.",
            },
        },
        _input("action", "Change", _select(actions, "What to do", actions[0])),
    ]
    if mods:
        initial = next((o for o in mods if o["value"] == ref), None)
        blocks.append(
            _input("mod", "Modification in scope", _select(mods, "Pick a modification", initial), optional=True)
        )
    blocks.append(
        _input(
            "other",
            "Or another reference",
            {"type": "plain_text_input", "placeholder": _text("e.g. MP200", 150)},
            optional=True,
            hint="For adding a modification that is not in this release yet.",
        )
    )
    blocks.append(_input("title", "Title (new modifications only)", {"type": "plain_text_input"}, optional=True))
    if others:
        blocks.append(_input("target", "Move to", _select(others, "Pick a release"), optional=True))
    blocks.append(
        _input(
            "reason",
            "Reason",
            {"type": "plain_text_input", "multiline": True},
            optional=True,
            hint="Required to remove.",
        )
    )
    return _view(SCOPE_CALLBACK, "Change scope", "Apply", blocks, {"slug": slug, "channel": channel_id})


def milestone_modal(snap: Snapshot, slug: str, channel_id: str) -> dict[str, Any]:
    rel = snap.release_by_slug[slug]
    existing = [
        _option(f"{milestone_when(ms)} · {ms.title}", ms.key)
        for ms in snap.milestones_by_release.get(rel.id, [])
        if ms.origin == "stated" and len(ms.key) <= 150
    ]
    choices = [_option("➕ New milestone", NEW), *existing]
    kinds = [_option(k.value.replace("_", " "), k.value) for k in MilestoneKind]
    blocks: list[dict[str, Any]] = [
        {
            "type": "section",
            "text": {
                "type": "mrkdwn",
                "text": f"*{rel.name}*: add a milestone or move one. Milestones derived from another (e.g. an appeal window) follow their source.",
            },
        },
        _input("milestone", "Milestone", _select(choices, "New or existing", choices[0])),
        _input("kind", "Kind (new milestones)", _select(kinds, "Pick a kind"), optional=True),
        _input("title", "Title (new milestones)", {"type": "plain_text_input"}, optional=True),
        _input("date", "Date", {"type": "datepicker"}),
        _input(
            "time",
            "Time (Europe/London)",
            {"type": "timepicker"},
            optional=True,
            hint="Leave empty for an all-day milestone.",
        ),
        _input("reason", "Reason", {"type": "plain_text_input"}, optional=True),
    ]
    return _view(MILESTONE_CALLBACK, "Milestone", "Save", blocks, {"slug": slug, "channel": channel_id})


def _value(values: dict[str, Any], block: str) -> str:
    field = (values.get(block) or {}).get("value") or {}
    if field.get("selected_option"):
        return str(field["selected_option"]["value"])
    for key in ("value", "selected_date", "selected_time"):
        if field.get(key):
            return str(field[key]).strip()
    return ""


def _clean(text: str) -> str:
    return " ".join(text.replace('"', "'").split())


def scope_command(values: dict[str, Any], slug: str) -> tuple[str | None, dict[str, str]]:
    """(text after /release, errors by block id) from a submitted scope modal."""
    action = _value(values, "action")
    ref = _value(values, "other") or _value(values, "mod")
    target = _value(values, "target")
    reason = _clean(_value(values, "reason"))
    title = _clean(_value(values, "title"))
    errors: dict[str, str] = {}
    if not ref:
        errors["other" if "mod" not in values else "mod"] = "Pick a modification or type a reference."
    if action == "move" and not target:
        errors["target"] = "Pick the release to move it to."
    if action == "remove" and not reason:
        errors["reason"] = "Say why it is removed."
    if errors:
        return None, errors
    parts = [slug, action, ref]
    if action == "add" and title:
        parts.append(f'"{title}"')
    if action == "move":
        parts += ["to", target]
    if reason:
        parts += ["reason", reason]
    return " ".join(parts), {}


def milestone_command(values: dict[str, Any], slug: str) -> tuple[str | None, dict[str, str]]:
    which = _value(values, "milestone")
    day = _value(values, "date")
    at = _value(values, "time")
    reason = _clean(_value(values, "reason"))
    errors: dict[str, str] = {}
    if not day:
        errors["date"] = "Pick a date."
    if which == NEW and not _value(values, "kind"):
        errors["kind"] = "Pick the kind of the new milestone."
    if errors:
        return None, errors
    when = " ".join(x for x in (day, at) if x)
    if which == NEW:
        title = _clean(_value(values, "title"))
        quoted = f'"{title}"' if title else ""  # so a title like "9am dry run" stays a title
        return " ".join(x for x in (slug, "milestone add", _value(values, "kind"), when, quoted) if x), {}
    return " ".join(x for x in (slug, "milestone", which, when, "reason" if reason else "", reason) if x), {}


def vote_modal(poll_id: int, question: str, channel_id: str) -> dict[str, Any]:
    choices = [_option("Go", "go"), _option("No-go", "no_go"), _option("Abstain", "abstain")]
    blocks: list[dict[str, Any]] = [
        {
            "type": "section",
            "text": {
                "type": "mrkdwn",
                "text": question.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")[:2900],
            },
        },
        _input("choice", "Your vote", _select(choices, "Go, No-go or Abstain")),
        _input(
            "comment",
            "Comment",
            {"type": "plain_text_input", "multiline": True, "max_length": 500},
            hint="Shown with your vote (after close for a secret poll).",
        ),
    ]
    return _view(VOTE_CALLBACK, "Vote with a comment", "Vote", blocks, {"poll": str(poll_id), "channel": channel_id})


def vote_value(values: dict[str, Any], poll_id: str) -> tuple[str | None, dict[str, str]]:
    """The vote button value `<poll>:<choice>:<comment>` from a submitted vote modal."""
    choice = _value(values, "choice")
    comment = " ".join(_value(values, "comment").split())
    if not choice:
        return None, {"choice": "Pick Go, No-go or Abstain."}
    return f"{poll_id}:{choice}:{comment}", {}
