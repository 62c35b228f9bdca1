"""Members and their roles: who may change state (admins) and who may vote (the Panel).

One person is one member with several platform accounts (Slack, Teams, the console): adding an
account under the name of a member who exists links it to them rather than making a twin, so a
Panel member who votes from Slack and from Teams is counted once.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import col, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from domain.kinds import Role
from domain.limits import check_text
from domain.record_refusals import IdentityTaken, NoSuchMember, NothingToSet
from domain.refusals import NotARole
from store import models as m
from store.changes.audit import Changed, record
from store.changes.inverses import Delete, Inverse, Restore
from store.uow import UnitOfWork

__all__ = ["AddMember", "LinkIdentity", "find_member"]


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
        elif self.name and (twin := await _by_name(session, self.name)) is not None:
            assert twin.id is not None
            undo = [Restore.of(twin, "role")]
            twin.role = self.role
            session.add(twin)
            ident = m.MemberIdentity(member_id=twin.id, platform=self.platform, user_id=self.user_id)
            session.add(ident)
            await session.flush()
            undo.insert(0, Delete.of(ident))
            summary = f"Linked {who} to {twin.name} ({self.role}): one member, not a twin"
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


async def _identity(session: AsyncSession, platform: str, user_id: str) -> m.MemberIdentity | None:
    query = select(m.MemberIdentity).where(m.MemberIdentity.platform == platform, m.MemberIdentity.user_id == user_id)
    return (await session.exec(query)).first()


async def _by_name(session: AsyncSession, name: str) -> m.Member | None:
    """The one member with this name (any case); None when there is none or more than one."""
    rows = (await session.exec(select(m.Member).where(func.lower(col(m.Member.name)) == name.strip().lower()))).all()
    return rows[0] if len(rows) == 1 else None


async def find_member(session: AsyncSession, who: str) -> m.Member:
    """A member by `platform:user_id`, by `#id`, or by name."""
    platform, sep, user_id = who.partition(":")
    if sep and (ident := await _identity(session, platform.lower(), user_id)) is not None:
        found = await session.get(m.Member, ident.member_id)
        if found is not None:
            return found
    if who.lstrip("#").isdecimal() and (by_id := await session.get(m.Member, int(who.lstrip("#")))) is not None:
        return by_id
    if (named := await _by_name(session, who)) is not None:
        return named
    raise NoSuchMember(who)


@dataclass(frozen=True)
class LinkIdentity:
    """`releasebot members link <member> --platform slack|teams|console <id>`: another account of theirs."""

    actor: str
    member: str  # a name, `#id` or `platform:user_id` of an account they have
    platform: str
    user_id: str

    async def apply(self, uow: UnitOfWork) -> Changed:
        session = uow.session
        member = await find_member(session, self.member)
        assert member.id is not None
        who = f"{self.platform}:{self.user_id}"
        found = await _identity(session, self.platform, self.user_id)
        if found is not None:
            if found.member_id == member.id:
                raise NothingToSet(member.name, "account", who)
            owner = await session.get(m.Member, found.member_id)
            raise IdentityTaken(self.platform, self.user_id, owner.name if owner else f"member #{found.member_id}")
        ident = m.MemberIdentity(member_id=member.id, platform=self.platform, user_id=self.user_id)
        session.add(ident)
        await session.flush()
        return await record(uow, self.actor, "member.link", f"Linked {who} to {member.name}", [Delete.of(ident)])
