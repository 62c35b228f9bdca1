"""Which id a Teams user has in releasebot: their Entra object id (`aadObjectId`), lower-case.

Teams gives a bot two ids for a person. `from.id` (`29:1AbC…`) is pairwise: it is different for
every bot registration, so it changes if the bot is re-registered, and nobody can look it up
before the person has written to the bot. `from.aadObjectId` is the person's Entra ID (Azure AD)
object id, a GUID that stays the same across bots, teams and chats, and that an admin can find in
the Entra admin centre (Users → the person → Object ID) or with `az ad user show --id <upn>
--query id`. So roles are given to the object id: `releasebot members add <object id> --platform
teams`. An activity without one (some guests and anonymous meeting users) falls back to
`from.id`, which `members add` accepts too.
"""

from __future__ import annotations

import re

from bot import messages

__all__ = ["normalize_user_id", "user_id"]

_GUID = re.compile(r"^[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}$")
_PAIRWISE = re.compile(r"^(29|8):[A-Za-z0-9_\-.:]{3,}$")


def user_id(aad_object_id: str | None, from_id: str) -> str:
    """The member id of the sender of an activity."""
    if aad_object_id and _GUID.match(aad_object_id.strip().lower()):
        return aad_object_id.strip().lower()
    return from_id


def normalize_user_id(raw: str) -> str:
    """A Teams user id as `members add` is given it; ValueError with a short reason otherwise."""
    text = raw.strip()
    if _GUID.match(text.lower()):
        return text.lower()
    if _PAIRWISE.match(text):
        return text
    raise ValueError(messages.teams_user_id_invalid(raw))
