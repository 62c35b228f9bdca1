"""The command families of the command language itself: releases, modifications, Working Days,
state changes and Panel polls, each word next to the handlers of what it parses to. Features
above (reminders) add their own (`notifiers.register`)."""

from __future__ import annotations

from commands import admin, content, crossrelease, edit, helptext, lookup, polls, record, releases, rid, workdays
from commands.crossparse import CROSS_VIEWS, cross_view
from commands.documents import arguments as document_words
from commands.documents import handlers as documents
from commands.grammar import admin as admin_words
from commands.grammar import content as content_words
from commands.grammar import lookup as mod_words
from commands.grammar import releases as release_words
from commands.grammar import workdays as workday_words
from commands.table import CommandTable

__all__ = ["register"]

_VIEWS: dict[str, tuple[str, ...]] = {"history": ()}  # timeline: commands.documents.arguments.timeline (`[png]`)
_DATED_VIEWS = {"costs": (), "criteria": ("acceptance",)}  # RID content: `[as of <date>]`


def register(table: CommandTable) -> None:
    _slash_commands(table)
    _releases(table)
    _lookups(table)
    _across(table)
    _workdays(table)
    _changes(table)
    record.register(table)
    polls.register(table)


def _slash_commands(table: CommandTable) -> None:
    table.slash("release", release_words.named_release, empty=release_words.release_list)
    table.slash("mod", mod_words.mod, empty=mod_words.help_mod)
    table.slash("workdays", workday_words.workdays, empty=workday_words.help_workdays)
    table.top_word("help", release_words.help_release, aliases=("?",))
    table.top_word("help", mod_words.help_mod, slash="mod", aliases=("?",))
    table.top_word("help", workday_words.help_workdays, slash="workdays", aliases=("?",))
    table.command("help", helptext.help_reply, read_only=True)


def _releases(table: CommandTable) -> None:
    table.top_word("list", release_words.release_list)
    table.command("release.list", releases.list_releases, read_only=True)
    table.command("release.card", releases.card, read_only=True)
    table.release_word("scope", release_words.scope)
    table.command("release.scope", releases.scope, read_only=True)
    table.release_word("impacts", release_words.impacts)
    table.command("release.impacts", rid.impacts, read_only=True)
    table.release_word("changes", release_words.changes)
    table.command("release.changes", rid.changes, read_only=True)
    for view, aliases in _VIEWS.items():
        table.release_word(view, release_words.view(view), aliases=aliases)
    for view, aliases in _DATED_VIEWS.items():
        table.release_word(view, release_words.dated_view(view), aliases=aliases)
    table.command("release.timeline", releases.timeline, read_only=True)
    for action, handler in {
        "release.costs": rid.costs,
        "release.criteria": rid.criteria,
        "release.history": rid.history,
    }.items():
        table.command(action, handler, read_only=True)
    _documents(table)
    table.release_word("edit", release_words.edit)
    table.command("release.edit", edit.edit)  # who asks decides the answer: never cached


def _documents(table: CommandTable) -> None:
    """The RID and the reports, rebuilt from the state with the same model as the files."""
    table.release_word("rid", document_words.rid)
    table.command("release.rid", documents.rid, read_only=True)
    table.command("release.rid_diff", documents.rid_diff, read_only=True)
    table.top_word("report", document_words.report)
    table.command("release.report", documents.report, read_only=True)
    table.release_word("timeline", document_words.timeline, aliases=("dates", "milestones"))
    table.top_word("timeline", document_words.timeline_all)
    table.command("document.picture", documents.picture, read_only=True)


def _lookups(table: CommandTable) -> None:
    table.top_word("find", release_words.finder("Appendix O"), aliases=("search",), starts_line=True)
    table.top_word("find", release_words.finder("SMKI"), slash="mod", aliases=("search",))
    table.command("find", lookup.find, read_only=True)
    table.command("mod.show", lookup.show_mod, read_only=True)
    table.top_word("glossary", release_words.glossary, starts_line=True)
    table.command("glossary", lookup.glossary, read_only=True)


def _across(table: CommandTable) -> None:
    """Views across every release: what is due, what is targeted and undecided, the decisions log."""
    handlers = {"due": crossrelease.due, "targeted": crossrelease.targeted, "decisions": crossrelease.decisions}
    for head in CROSS_VIEWS:
        table.top_word(head, cross_view(head))
        table.command(f"cross.{head}", handlers[head], read_only=True)


def _workdays(table: CommandTable) -> None:
    for slash in ("release", "workdays"):
        table.top_word("holiday", workday_words.holiday, slash=slash, aliases=("holidays",))
    table.command("workdays.add", workdays.add, read_only=True)
    table.command("workdays.between", workdays.between, read_only=True)
    table.command("workdays.check", workdays.check, read_only=True)
    table.command("holiday.list", workdays.holidays, read_only=True)


def _content(table: CommandTable) -> None:
    """RID content (impacts, summaries, costs, criteria) and RID versions: admins' changes."""
    table.release_word("impact", content_words.impact)
    for action in ("parties", "document.add", "document.remove", "document.replace"):
        table.command(f"content.{action}", content.change_impact)
    table.release_word("summary", content_words.summary)
    for verb in ("add", "remove", "replace"):
        table.command(f"content.summary.{verb}", content.change_summary)
    table.release_word("cost", content_words.cost)
    for verb in ("add", "remove", "replace"):
        table.command(f"content.cost.{verb}", content.change_cost)
    table.release_word("criterion", content_words.criterion)
    for verb in ("add", "remove", "replace"):
        table.command(f"content.criterion.{verb}", content.change_criterion)
    table.command("rid.baseline", content.baseline)


def _changes(table: CommandTable) -> None:
    for word, aliases in (("add", ()), ("approve", ()), ("remove", ("drop",))):
        table.release_word(word, admin_words.scope_change, aliases=aliases)
    table.release_word("move", admin_words.move)
    for action in ("scope.add", "scope.approve", "scope.remove", "scope.move"):
        table.command(action, admin.set_scope)
    table.release_word("milestone", admin_words.milestone)
    table.command("milestone.add", admin.add_milestone)
    table.command("milestone.move", admin.move_milestone)
    table.command("milestone.cancel", admin.cancel_milestone)
    table.command("holiday.add", admin.add_holiday)
    _content(table)
    table.top_word("undo", admin_words.undo, starts_line=True)
    table.command("undo", admin.undo)
    table.top_word("audit", admin_words.audit, starts_line=True)
    table.command("audit", admin.audit)
