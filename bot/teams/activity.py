"""What releasebot needs from a Teams activity: the command text, who, where, and the reference.

Pure functions over the SDK's activity models, so the adapter stays about flow.
"""

from __future__ import annotations

import html
import re

from bot.actors import Actors
from bot.teams import identity
from bot.teams.sdk import (
    ActivityBase,
    ConversationReference,
    MessageActivity,
    strip_mentions_text,
)
from commands.context import Actor, Channel
from store.teams import ConversationInfo

__all__ = ["actor", "base_conversation_id", "channel", "command_text", "conversation_info", "sender_id"]

_TAG = re.compile(r"<[^>]*>")
_SPACE = re.compile(r"\s+")


def base_conversation_id(conversation_id: str) -> str:
    """A channel thread's id is `<channel id>;messageid=<root>`: the channel is the part before."""
    return conversation_id.split(";messageid=", 1)[0]


def command_text(activity: MessageActivity) -> str:
    """The message as a command: @mentions (the bot's and anyone's) and markup removed.

    Teams writes a mention as `<at>Name</at>` with an entity saying whom it names; the SDK removes
    those, then any tag left (Teams sends some formatting as HTML) goes, and entities are decoded.
    """
    stripped = strip_mentions_text(activity) or ""
    text = html.unescape(_TAG.sub(" ", stripped)).replace("\xa0", " ")
    return _SPACE.sub(" ", text).strip()


def sender_id(activity: ActivityBase) -> str:
    sender = activity.from_
    return identity.user_id(sender.aad_object_id, sender.id)


def actor(actors: Actors, activity: ActivityBase) -> Actor:
    """Who sent the activity, as a member (by their Entra object id) or a stranger."""
    return actors.resolve("teams", sender_id(activity), activity.from_.name or "")


def _names(activity: ActivityBase) -> tuple[str, str, str]:
    """(tenant id, team id, conversation name) as far as the activity tells."""
    data = activity.channel_data
    team = data.team if data is not None else None
    channel_info = data.channel if data is not None else None
    tenant = (
        activity.conversation.tenant_id
        or (data.tenant.id if data is not None and data.tenant is not None else "")
        or ""
    )
    name = (channel_info.name if channel_info is not None else None) or activity.conversation.name or ""
    return tenant, (team.id if team is not None else "") or "", name


def channel(activity: ActivityBase) -> Channel:
    kind = activity.conversation.conversation_type or ""
    _, _, name = _names(activity)
    return Channel("teams", base_conversation_id(activity.conversation.id), name, direct=kind == "personal")


def conversation_info(activity: ActivityBase, reference: ConversationReference) -> ConversationInfo:
    """The conversation to store: its top level (not a thread), without the sender or message."""
    conversation_id = base_conversation_id(activity.conversation.id)
    kept = reference.model_copy(
        update={
            "conversation": reference.conversation.model_copy(update={"id": conversation_id}),
            "user": None,
            "activity_id": None,
        }
    )
    tenant, team, name = _names(activity)
    kind = activity.conversation.conversation_type or ""
    return ConversationInfo(
        conversation_id=conversation_id,
        kind=kind,
        service_url=reference.service_url,
        reference=kept.model_dump(mode="json", exclude_none=True, by_alias=True),
        tenant_id=tenant,
        team_id=team,
        name=name,
        user_id=sender_id(activity) if kind == "personal" else "",
    )
