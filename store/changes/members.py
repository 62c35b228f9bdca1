"""Members and their roles: who may change state (admins) and who may vote (the Panel)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import select

from domain.kinds import Role
from domain.limits import check_text
from domain.refusals import NotARole
from store import models as m
from store.changes.audit import Changed, record
from store.changes.inverses import Delete, Inverse, Restore
from store.uow import UnitOfWork

__all__ = ["AddMember"]


@dataclass(frozen=True)
class AddMember:
    """Register a platform user as a member with a role (or change the role of a known one)."""

    actor: str
    platform: str
    user_id: str
    role: str
    name: str | None = None

    async def apply(self, uow: UnitOfWork) -> Changed:
        session = uow.session
        if self.role not in {r.value for r in Role}:
            raise NotARole(self.role)
        check_text("name", self.name)
        found = (
            await session.exec(
                select(m.MemberIdentity).where(
                    m.MemberIdentity.platform == self.platform, m.MemberIdentity.user_id == self.user_id
                )
            )
        ).first()
        who = f"{self.platform}:{self.user_id}"
        undo: list[Inverse]
        if found is not None:
            member = await session.get(m.Member, found.member_id)
            assert member is not None
            undo = [Restore.of(member, "role", "name")]
            member.role = self.role
            member.name = self.name or member.name
            session.add(member)
            summary = f"Set {member.name} ({who}) to {self.role}"
        else:
            member = m.Member(name=self.name or self.user_id, role=self.role)
            session.add(member)
            await session.flush()
            assert member.id is not None
            ident = m.MemberIdentity(member_id=member.id, platform=self.platform, user_id=self.user_id)
            session.add(ident)
            await session.flush()
            undo = [Delete.of(ident), Delete.of(member)]
            summary = f"Added {member.name} ({who}) as {self.role}"
        return await record(uow, self.actor, "member.set", summary, undo)
