"""The refusals of keeping the record (`domain.record_refusals`) in words, registered with `say`."""

from __future__ import annotations

from commands.refusals import say
from domain import record_refusals as r

__all__ = ["say"]


@say.register
def _(x: r.ReleaseExists) -> str:
    return f"There is already a release `{x.slug}` ({x.name}); change it with `/release {x.slug} set ...`."


@say.register
def _(x: r.SlugTaken) -> str:
    return f"“{x.name}” is already the name of `{x.slug}`."


@say.register
def _(x: r.ModificationExists) -> str:
    return f"{x.ref} is already recorded ({x.title}); change it with `/mod {x.ref} set ...`."


@say.register
def _(x: r.DecisionInFuture) -> str:
    return f"A decision on {x.ref} dated {x.when} is after today ({x.today}); record it once it is made."


@say.register
def _(x: r.DecisionRecorded) -> str:
    return f"The {x.body} decision on {x.ref} ({x.outcome}, {x.when}) is already recorded; `/mod {x.ref}` shows it."


@say.register
def _(x: r.NothingToSet) -> str:
    return f"The {x.field} of {x.subject} is already {x.value}; nothing changed."


@say.register
def _(x: r.NoSuchMember) -> str:
    return f"There is no member `{x.who}`; `releasebot members list` shows them."


@say.register
def _(x: r.IdentityTaken) -> str:
    return f"{x.platform}:{x.user_id} already belongs to {x.member}."
