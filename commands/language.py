"""The command language as data: one frozen type per family of commands, and `ParseError`.

The parser (`commands.parse`) turns text into one of these; the handler registered for its
`action` receives exactly that type, so a handler reads named, typed fields instead of picking
through one type with every field optional. Features above `commands/` subclass `Command` for
their own families (reminder subscriptions: `notifiers.language`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time
from typing import ClassVar

from domain.files import FileFormat
from domain.record import When

__all__ = [
    "Audit",
    "Command",
    "CrossView",
    "Edit",
    "Find",
    "Glossary",
    "HelpCommand",
    "HolidayAdd",
    "HolidayList",
    "MilestoneAdd",
    "MilestoneCancel",
    "MilestoneMove",
    "ModShow",
    "ParseError",
    "PictureRequest",
    "ReleaseCommand",
    "ReleaseList",
    "ReleaseShow",
    "ReportRequest",
    "RidRequest",
    "ScopeChange",
    "Undo",
    "Vote",
    "VoteCast",
    "VoteOpen",
    "WorkdaysAdd",
    "WorkdaysBetween",
    "WorkdaysCheck",
]


@dataclass(frozen=True, kw_only=True)
class Command:
    """What every request carries: `action` names the handler; the text and modifiers shape the reply."""

    action: str
    text: str = ""
    public: bool = False
    page: int = 1
    # The last words are free text (a reason, a title, a comment): a trailing `public` or `page N`
    # belongs to that text, not to the reply.
    free_text: ClassVar[bool] = False


@dataclass(frozen=True)
class ParseError:
    """What was wrong, in words for the user, with the usage of the command they were typing."""

    message: str
    topic: str = "release"
    word: str | None = None
    expected: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True)
class HelpCommand(Command):
    """`help [topic]`: `words` are the words after help, e.g. `release admin`."""

    action: str = "help"
    words: str = ""


@dataclass(frozen=True, kw_only=True)
class CrossView(Command):
    """`/release due|targeted|decisions ...`: a view across every release, with its window."""

    n: int | None = None  # due: this many Working Days from today
    option: str | None = None  # due: this-week|next-week|this-month|next-month; targeted: all
    day: date | None = None  # decisions: since this day


@dataclass(frozen=True, kw_only=True)
class ReleaseList(Command):
    """`/release [list [all]]`."""

    action: str = "release.list"
    every: bool = False


@dataclass(frozen=True, kw_only=True)
class ReleaseCommand(Command):
    """A command about one named release (the slug as read, not yet checked against the store)."""

    slug: str


@dataclass(frozen=True, kw_only=True)
class RidRequest(ReleaseCommand):
    """`/release <slug> rid [version V | as of <date> | diff A B]`: the RID from the state."""

    action: str = "release.rid"  # release.rid_diff for a diff
    version: str | None = None
    day: date | None = None
    versions: tuple[str, str] | None = None  # a diff: (older, newer)
    fmt: FileFormat | None = None  # docx|pdf|md: hand the RID over as a file


@dataclass(frozen=True, kw_only=True)
class ReportRequest(Command):
    """`/release report status [month]` | `/release report panel since <date>`."""

    action: str = "release.report"
    kind: str  # status|panel
    day: date  # status: the month's first day; panel: count changes from this day
    fmt: FileFormat | None = None  # docx|pdf|md: hand the report over as a file


@dataclass(frozen=True, kw_only=True)
class PictureRequest(Command):
    """`/release [<slug>] timeline [png]`, `/release report progress [month] [png]`: a picture, or its data in chat."""

    action: str = "document.picture"
    kind: str  # timeline|progress
    slug: str = ""  # timeline: one release ("" for every upcoming release)
    day: date | None = None  # progress: the month's first day
    fmt: FileFormat | None = None  # png: hand the picture over as a file


@dataclass(frozen=True, kw_only=True)
class ReleaseShow(ReleaseCommand):
    """`/release <slug> [scope|timeline|impacts|costs|criteria|history|changes|rid]`: one view."""

    day: date | None = None  # scope as of, changes since
    option: str | None = None  # impacts: parties | documents

    @property
    def view(self) -> str:
        """`card`, `scope`, `timeline`, ...: the action names the view."""
        return self.action.removeprefix("release.")


@dataclass(frozen=True, kw_only=True)
class Edit(ReleaseCommand):
    """`/release <slug> edit [scope|milestone] [ref]`: open a form (in Slack) to change the release."""

    action: str = "release.edit"
    form: str = "scope"  # scope | milestone
    ref: str | None = None  # the modification to pre-select in the scope form


@dataclass(frozen=True, kw_only=True)
class ModShow(Command):
    """`/mod <ref>`."""

    action: str = "mod.show"
    ref: str


@dataclass(frozen=True, kw_only=True)
class Find(Command):
    """`/release find <words>`, `/mod find <words>`."""

    action: str = "find"
    words: str


@dataclass(frozen=True, kw_only=True)
class Glossary(Command):
    """`/release glossary [term]`; no term lists the whole glossary."""

    action: str = "glossary"
    term: str = ""


@dataclass(frozen=True, kw_only=True)
class WorkdaysAdd(Command):
    """`/workdays <date> +N` / `-N`."""

    action: str = "workdays.add"
    day: date
    n: int


@dataclass(frozen=True, kw_only=True)
class WorkdaysBetween(Command):
    """`/workdays <date> to <date>`."""

    action: str = "workdays.between"
    day: date
    until: date


@dataclass(frozen=True, kw_only=True)
class WorkdaysCheck(Command):
    """`/workdays <date>`: is it a Working Day?"""

    action: str = "workdays.check"
    day: date


@dataclass(frozen=True, kw_only=True)
class HolidayList(Command):
    """`/workdays holidays [year]`."""

    action: str = "holiday.list"
    year: int


@dataclass(frozen=True, kw_only=True)
class HolidayAdd(Command):
    """`/release holiday add <date> <name>` (admins)."""

    action: str = "holiday.add"
    day: date
    name: str
    effective: When | None = None  # `effective <date>`: when it happened (the audit log says so)
    free_text: ClassVar[bool] = True


@dataclass(frozen=True, kw_only=True)
class ScopeChange(ReleaseCommand):
    """`add`, `approve`, `remove`, `move` a modification (admins): `action` is `scope.<change>`."""

    ref: str
    reason: str = ""
    to_slug: str | None = None  # move: the release it goes to
    title: str = ""  # add: the title of a modification new to the store
    effective: When | None = None  # `effective <date>`: when it happened (today if not given)
    by_exception: str = ""  # after the release's freeze: why (`by-exception <reason>`)
    confirmed: bool = False  # `confirm`: add a DCC System impacting one inside the DCC lead time
    free_text: ClassVar[bool] = True

    @property
    def change(self) -> str:
        """`add`, `approve`, `remove` or `move`."""
        return self.action.removeprefix("scope.")


@dataclass(frozen=True, kw_only=True)
class MilestoneAdd(ReleaseCommand):
    """`/release <slug> milestone add <kind> <date> [time] [title]` (admins)."""

    action: str = "milestone.add"
    kind: str  # as typed, `-` read as `_`; the handler checks it
    day: date
    at: time | None = None
    title: str = ""
    effective: When | None = None  # `effective <date>`: when it happened (the audit log says so)
    free_text: ClassVar[bool] = True


@dataclass(frozen=True, kw_only=True)
class MilestoneMove(ReleaseCommand):
    """`/release <slug> milestone <kind|key> <date> [time] [reason]` (admins)."""

    action: str = "milestone.move"
    which: str  # a kind or a milestone key
    day: date
    at: time | None = None
    reason: str = ""
    effective: When | None = None  # `effective <date>`: when it happened (the audit log says so)
    free_text: ClassVar[bool] = True


@dataclass(frozen=True, kw_only=True)
class MilestoneCancel(ReleaseCommand):
    """`/release <slug> milestone <kind|key> cancel [reason]` (admins)."""

    action: str = "milestone.cancel"
    which: str
    reason: str = ""
    effective: When | None = None  # `effective <date>`: when it happened (the audit log says so)
    free_text: ClassVar[bool] = True


@dataclass(frozen=True, kw_only=True)
class Undo(Command):
    """`/release undo [#N]`: `change` is the number of the change that must still be the newest."""

    action: str = "undo"
    change: int | None = None


@dataclass(frozen=True, kw_only=True)
class Audit(Command):
    """`/release audit [N]`: the latest N changes (at most 100)."""

    action: str = "audit"
    count: int = 10


@dataclass(frozen=True, kw_only=True)
class Vote(ReleaseCommand):
    """The release's latest poll: `vote` (show), `vote status`, `vote close`; `action` is `vote.<what>`."""


@dataclass(frozen=True, kw_only=True)
class VoteCast(Vote):
    """`/release <slug> vote go|no-go|abstain [comment]`."""

    action: str = "vote.cast"
    choice: str  # go | no_go | abstain
    comment: str = ""
    free_text: ClassVar[bool] = True


@dataclass(frozen=True, kw_only=True)
class VoteOpen(ReleaseCommand):
    """`/release <slug> vote open [closes <date> [time]] [quorum N] [secret] ["question"]` (admins)."""

    action: str = "vote.open"
    day: date | None = None  # closing day; none: the release's next go/no-go milestone
    at: time | None = None
    quorum: int | None = None
    secret: bool = False
    question: str = ""
    free_text: ClassVar[bool] = True
