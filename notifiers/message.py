"""What a reminder or notice says: a `Reply` built from the state at the moment it is posted.

Pure: (snapshot, delivery, subscription, rules, now) -> Reply, or a reason not to post it (the
milestone was met, cancelled or removed since it was planned). Composed at send time, so the
Working Days left are counted from the day it actually goes out.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from domain.calendar import LONDON, local_date
from domain.format import day, milestone_when
from domain.kinds import DeliveryKind
from domain.planning import SubscriptionView
from domain.reply import Actions, Block, Button, Facts, Heading, Note, Paragraph, Reply, Spans, b, code, link, spans
from domain.rules import Rules
from domain.snapshot import Snapshot
from domain.views import MilestoneView
from domain.words import read_id
from notifiers import messages

__all__ = ["Outgoing", "button_value", "compose", "decode_button_value", "failure_report", "where"]


@dataclass(frozen=True, slots=True)
class Outgoing:
    """The parts of a delivery the message needs."""

    id: int
    kind: str
    milestone_id: int
    lead: int | None
    detail: str = ""


def where(sub: SubscriptionView) -> str:
    """How a subscription's destination is named to people: `#releases`, `a direct message`."""
    if sub.direct:
        return sub.channel_name or "a direct message"
    name = sub.channel_name or sub.channel_id
    return name if name.startswith("#") else f"#{name}"


def button_value(delivery_id: int, milestone_key: str) -> str:
    return json.dumps({"d": delivery_id, "m": milestone_key}, separators=(",", ":"))


def decode_button_value(value: str) -> tuple[int, str]:
    """(delivery id, milestone key); ValueError when the value is not one of ours."""
    try:
        data = json.loads(value)
        delivery, key = read_id(data["d"]), str(data["m"])
    except (TypeError, KeyError, json.JSONDecodeError) as exc:
        raise ValueError(value) from exc
    if delivery is None:
        raise ValueError(value)
    return delivery, key


def _instant(at: datetime, all_day: bool) -> str:
    local = at.astimezone(LONDON)
    return day(local.date()) if all_day else f"{day(local.date())} {local:%H:%M}"


def _context(snap: Snapshot, ms: MilestoneView, rules: Rules, now: datetime) -> list[tuple[str, Spans]]:
    ms_day, today = local_date(ms.due_at), local_date(now)
    left = snap.calendar.between(today, ms_day) if ms_day > today else 0
    facts: list[tuple[str, Spans]] = [
        ("Due", spans(b(milestone_when(ms)))),
        ("Working Days left", spans(str(left), " (today)" if ms_day == today else "")),
    ]
    rel = snap.release_by_id.get(ms.release_id) if ms.release_id is not None else None
    if rel is not None:
        facts.append(("Release", spans(rel.name, " ", code(rel.slug))))
    mod = snap.mod_by_id.get(ms.modification_id) if ms.modification_id is not None else None
    if mod is not None:
        facts.append(("Modification", spans(b(mod.ref), f" {mod.title}")))
    facts.append(("Kind", spans(rules.rule(ms.kind).label)))
    if ms.derived_from_id is not None and (base := snap.milestone_by_id.get(ms.derived_from_id)) is not None:
        facts.append(("Follows", spans(f"{ms.offset_wd} Working Days after “{base.title}” ({milestone_when(base)})")))
    return facts


def _document(snap: Snapshot, ms: MilestoneView, rules: Rules) -> Block | None:
    mod = snap.mod_by_id.get(ms.modification_id) if ms.modification_id is not None else None
    source = snap.sources.get(ms.source_id) if ms.source_id is not None else None
    parts: list[object] = []
    if mod is not None and mod.url:
        parts += ["Document: ", link(f"{mod.ref} on the SEC website", mod.url)]
    elif rules.rule(ms.kind).link:
        label = rules.rule(ms.kind).label
        parts += ["Document: ", link(f"{label[:1].upper()}{label[1:]} on the SEC website", rules.rule(ms.kind).link)]
    if source is not None:
        parts += [" · stated in ", source.title]
    return Paragraph(spans(*parts)) if parts else None  # type: ignore[arg-type]


def _scope(snap: Snapshot, sub: SubscriptionView) -> str:
    rel = snap.release_by_id.get(sub.release_id) if sub.release_id is not None else None
    return messages.reminder_scope(rel.name if rel else None, sorted(sub.kinds), sub.leads)


def compose(
    snap: Snapshot, out: Outgoing, sub: SubscriptionView, rules: Rules, now: datetime, interactive: bool = True
) -> Reply | str:
    """The message for one delivery, or why it should not be posted (`removed`, `done`, ...)."""
    ms = snap.milestone_by_id.get(out.milestone_id)
    if ms is None:
        return "removed"
    if out.kind == DeliveryKind.cancelled.value:
        return _cancelled(snap, ms, out, sub)
    if ms.state != "planned":
        return "done" if ms.state == "met" else "cancelled"
    if local_date(ms.due_at) < local_date(now):
        return "passed"
    if out.kind == DeliveryKind.moved.value:
        return _moved(snap, ms, out, sub, rules, now)
    ms_day = local_date(ms.due_at)
    is_today = ms_day == local_date(now)
    left = snap.calendar.between(local_date(now), ms_day) if not is_today else 0
    when = messages.countdown(left, is_today)
    title = f"⏰ {ms.title}: {when}"
    blocks: list[Block] = [Heading(title), Facts(tuple(_context(snap, ms, rules, now)))]
    blocks.append(Paragraph(spans(b("What to do:"), " ", rules.rule(ms.kind).action)))
    if ms.notes:
        blocks.append(Paragraph(spans(ms.notes)))
    if (doc := _document(snap, ms, rules)) is not None:
        blocks.append(doc)
    blocks.append(Note(spans(messages.reminder_why(where(sub), _scope(snap, sub)))))
    if interactive:
        value = button_value(out.id, ms.key)
        blocks.append(
            Actions(
                (Button("Done", "reminder_done", value, "primary"), Button("Snooze 1 WD", "reminder_snooze", value))
            )
        )
    fallback = f"{ms.title}: {milestone_when(ms)} ({when})"
    return Reply(title, tuple(blocks), kind="answer", public=True, fallback=fallback)


def _moved(
    snap: Snapshot, ms: MilestoneView, out: Outgoing, sub: SubscriptionView, rules: Rules, now: datetime
) -> Reply:
    before = datetime.fromisoformat(json.loads(out.detail or "{}").get("from") or ms.due_at.isoformat())
    text = messages.moved_notice(ms.title, _instant(before, ms.all_day), milestone_when(ms))
    title = f"📅 Moved: {ms.title}"
    blocks: list[Block] = [Heading(title), Paragraph(spans(text)), Facts(tuple(_context(snap, ms, rules, now)))]
    blocks.append(Note(spans(messages.reminder_why(where(sub), _scope(snap, sub)))))
    return Reply(title, tuple(blocks), kind="answer", public=True, fallback=text)


def _cancelled(snap: Snapshot, ms: MilestoneView, out: Outgoing, sub: SubscriptionView) -> Reply:
    was = datetime.fromisoformat(json.loads(out.detail or "{}").get("was") or ms.due_at.isoformat())
    text = messages.cancelled_notice(ms.title, _instant(was, ms.all_day))
    title = f"❌ Cancelled: {ms.title}"
    rel = snap.release_by_id.get(ms.release_id) if ms.release_id is not None else None
    blocks: list[Block] = [Heading(title), Paragraph(spans(text))]
    if rel is not None:
        blocks.append(Paragraph(spans("Release: ", rel.name, " ", code(rel.slug))))
    blocks.append(Note(spans(messages.reminder_why(where(sub), _scope(snap, sub)))))
    return Reply(title, tuple(blocks), kind="answer", public=True, fallback=text)


def failure_report(where_to: str, title: str, error: str, attempts: int) -> Reply:
    """For the admin channel: a reminder that will not go out, and what to do about it."""
    code_word = error.split(":", 1)[0].strip()
    heading = "⚠️ Reminder not delivered"
    blocks: list[Block] = [
        Heading(heading),
        Paragraph(spans(messages.delivery_failed(where_to, title, error))),
        Paragraph(spans(messages.delivery_failed_advice(code_word, where_to))),
        Note(spans(f"Attempts: {attempts}")),
    ]
    return Reply(
        heading, tuple(blocks), kind="answer", public=True, fallback=messages.delivery_failed(where_to, title, error)
    )
