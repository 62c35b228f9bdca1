"""What a button does when pressed, on any platform: the adapters pass (action, value, actor).

Renderers give each `Button` an action name and a value; Slack turns them into action_ids
`releasebot_<action>_<n>`, Teams into Action.Execute verbs `releasebot.<action>`. Both come back
here, so a button behaves the same in Slack, in Teams and in tests. Acting buttons (a vote, Done,
Snooze) are registered in the command table by the feature that owns them.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass

from commands import messages
from domain.reply import Paragraph, Reply, spans

__all__ = ["BUTTONS", "Pressed", "decode_command_value", "unknown_button"]


@dataclass(frozen=True)
class Pressed:
    """The command a navigation button stands for, and how to show its answer."""

    command: str
    page: int = 1
    public: bool = False
    replace: bool = False  # show the answer in place of the message that had the button


def decode_command_value(value: str) -> tuple[str, int]:
    data = json.loads(value)
    command = str(data.get("c", ""))
    page = int(data.get("p", 1))
    return command, max(1, page)


def _navigation(public: bool, replace: bool) -> Callable[[str], Pressed]:
    def press(value: str) -> Pressed:
        command, page = decode_command_value(value)
        return Pressed(command, page, public, replace)

    return press


# Buttons that re-run a command: run it as the person who pressed, and show the answer.
BUTTONS: dict[str, Callable[[str], Pressed]] = {
    "command": _navigation(public=False, replace=False),
    "page": _navigation(public=False, replace=True),
    "share": _navigation(public=True, replace=False),
}


def unknown_button(action: str) -> Reply:
    return Reply("Unknown button", (Paragraph(spans(messages.unknown_button())),), kind="error")
