"""Who is asking: a platform user turned into an `Actor` with the member's name and role.

Resolved from the read model on every request (no database round trip), so a role given a
moment ago on another replica counts as soon as that replica's change reaches this one.
"""

from __future__ import annotations

from commands.context import Actor
from store.readmodel import ReadModel

__all__ = ["Actors"]


class Actors:
    def __init__(self, read_model: ReadModel) -> None:
        self.read_model = read_model

    def resolve(self, platform: str, user_id: str, name: str = "") -> Actor:
        """The member behind a platform user id, or a stranger with no role (read-only)."""
        found = self.read_model.snapshot.member(platform, user_id)
        if found is None:
            return Actor(platform, user_id, name or user_id)
        identity_platform, member = found
        return Actor(identity_platform, user_id, member.name, member.role, member.id)
