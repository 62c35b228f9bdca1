"""Reminder rules as data (rules.yaml): lead times, posting hour, what to do, derived milestones.

The file is checked when loaded, so a typo stops start-up with the path of the bad entry instead
of silently sending no reminders. Everything here is pure once loaded.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import time
from pathlib import Path
from typing import Any

import yaml

from domain.kinds import MilestoneKind
from domain.yamlload import safe_load

__all__ = [
    "DEFAULT_NOTICE",
    "DEFAULT_RULES",
    "MAX_LEAD",
    "Derivation",
    "KindRule",
    "NoticeRule",
    "Rules",
    "RulesError",
    "load_rules",
    "parse_leads",
    "rules_from_data",
]

DEFAULT_RULES = Path(__file__).parent / "rules.yaml"
MAX_LEAD = 60  # Working Days: about three months, longer than any notice period in the RMP


class RulesError(ValueError):
    """rules.yaml (or a lead override) is wrong; the message says where."""


@dataclass(frozen=True, slots=True)
class KindRule:
    kind: str
    label: str
    leads: tuple[int, ...]  # descending, distinct
    hour: time
    action: str
    link: str
    # Lead 0 at the posting hour on the day even when the milestone has a time of its own (a
    # poll closing at 17:00 is reminded in the morning, not at the moment it closes).
    morning_of: bool = False


@dataclass(frozen=True, slots=True)
class Derivation:
    """`kind` falls `working_days` Working Days after a milestone of kind `source`."""

    source: str
    kind: str
    working_days: int
    title: str

    def title_for(self, source_title: str, root_title: str) -> str:
        return self.title.replace("{source}", source_title).replace("{root}", root_title)


@dataclass(frozen=True, slots=True)
class NoticeRule:
    """The notice periods of one kind of release (SECMP0061 D10.15, D10.17), in Working Days.

    After `freeze` Working Days before go-live the scope and the RID change only by exception;
    a DCC System impacting modification added inside `dcc_lead` is warned about; a Party may
    appeal a RID approval for `appeal` Working Days after it is published.
    """

    freeze: int
    dcc_lead: int
    appeal: int


DEFAULT_NOTICE = NoticeRule(freeze=20, dcc_lead=0, appeal=10)


@dataclass(frozen=True)
class Rules:
    kinds: Mapping[str, KindRule]
    default_leads: tuple[int, ...]
    default_hour: time
    derivations: tuple[Derivation, ...]
    notice: Mapping[str, NoticeRule] = field(default_factory=dict)  # "dcc" | "document-only"

    def notice_for(self, dcc_system_impacting: bool | None) -> NoticeRule:
        """A release that may touch the DCC Systems (or is not known not to) gets the DCC periods."""
        kind = "document-only" if dcc_system_impacting is False else "dcc"
        return self.notice.get(kind, DEFAULT_NOTICE)

    def rule(self, kind: str) -> KindRule:
        return self.kinds.get(kind) or self.kinds[MilestoneKind.other.value]

    def leads_for(self, kind: str, override: tuple[int, ...], named: bool) -> tuple[int, ...]:
        """The leads a subscription gets for a kind: its override, else the rule's; a kind the
        subscription names explicitly gets the default leads even when the rule has none."""
        if override:
            return override
        leads = self.rule(kind).leads
        return leads or (self.default_leads if named else ())

    def reminded_kinds(self) -> list[str]:
        """Kinds that get reminders without being named."""
        return [k for k, r in self.kinds.items() if r.leads]

    def derived_from(self, kind: str) -> list[Derivation]:
        return [d for d in self.derivations if d.source == kind]


def parse_leads(text: str) -> tuple[int, ...]:
    """`5,1,0` -> (5, 1, 0): distinct, largest first, each 0..MAX_LEAD."""
    parts = [p.strip() for p in text.replace(";", ",").split(",") if p.strip()]
    if not parts or not all(p.isdecimal() for p in parts):
        raise RulesError(f"leads are whole numbers of Working Days, like `5,1,0` (got `{text}`)")
    leads = sorted({int(p) for p in parts}, reverse=True)
    if leads[0] > MAX_LEAD:
        raise RulesError(f"a lead of {leads[0]} Working Days is more than {MAX_LEAD}")
    return tuple(leads)


def _hour(value: object, where: str) -> time:
    if isinstance(value, int) and not isinstance(value, bool):  # YAML 1.1 reads 09:00 unquoted as 540
        value = f"{value // 60:02d}:{value % 60:02d}"
    try:
        hh, mm = str(value).split(":")
        return time(int(hh), int(mm))
    except ValueError:
        raise RulesError(f'{where}: hour must look like "09:00" (got {value!r})') from None


def _leads(value: object, where: str) -> tuple[int, ...]:
    if not isinstance(value, list) or not all(isinstance(v, int) and not isinstance(v, bool) for v in value):
        raise RulesError(f"{where}: leads must be a list of whole numbers, like [5, 1, 0]")
    if not value:
        return ()
    try:
        return parse_leads(",".join(str(v) for v in value))
    except RulesError as exc:
        raise RulesError(f"{where}: {exc}") from None


def _text(item: Mapping[str, Any], name: str, where: str) -> str:
    value = item.get(name)
    if not isinstance(value, str) or not value.strip():
        raise RulesError(f"{where}.{name}: a non-empty text is required")
    return value.strip()


def _check_no_cycle(derivations: Iterable[Derivation]) -> None:
    edges: dict[str, list[str]] = {}
    for d in derivations:
        edges.setdefault(d.source, []).append(d.kind)

    def visit(kind: str, path: tuple[str, ...]) -> None:
        if kind in path:
            raise RulesError("derivations: a cycle " + " -> ".join((*path, kind)))
        for nxt in edges.get(kind, []):
            visit(nxt, (*path, kind))

    for start in edges:
        visit(start, ())


def rules_from_data(data: Mapping[str, Any], name: str = "rules") -> Rules:
    """Build and check `Rules` from the parsed YAML (a mapping)."""
    if not isinstance(data, Mapping):
        raise RulesError(f"{name}: expected a mapping at the top")
    default = data.get("default") or {}
    default_leads = _leads(default.get("leads", [5, 1, 0]), f"{name}: default.leads") or (5, 1, 0)
    default_hour = _hour(default.get("hour", "09:00"), f"{name}: default.hour")
    known = {k.value for k in MilestoneKind}
    raw_kinds = data.get("kinds") or {}
    if not isinstance(raw_kinds, Mapping):
        raise RulesError(f"{name}: kinds must be a mapping of kind -> rule")
    unknown = sorted(set(raw_kinds) - known)
    if unknown:
        raise RulesError(f"{name}: kinds.{unknown[0]} is not a milestone kind (kinds: {', '.join(sorted(known))})")
    missing = sorted(known - set(raw_kinds))
    if missing:
        raise RulesError(f"{name}: no rule for the milestone kind(s) {', '.join(missing)}")
    kinds: dict[str, KindRule] = {}
    for kind in (k.value for k in MilestoneKind):
        item = raw_kinds[kind] or {}
        where = f"{name}: kinds.{kind}"
        kinds[kind] = KindRule(
            kind=kind,
            label=_text(item, "label", where),
            leads=_leads(item.get("leads", list(default_leads)), f"{where}.leads"),
            hour=_hour(item.get("hour", default.get("hour", "09:00")), f"{where}.hour"),
            action=_text(item, "action", where),
            link=str(item.get("link") or ""),
            morning_of=bool(item.get("morning_of", False)),
        )
    derivations: list[Derivation] = []
    for n, item in enumerate(data.get("derivations") or []):
        where = f"{name}: derivations[{n}]"
        source, kind = item.get("from"), item.get("kind")
        for label, value in (("from", source), ("kind", kind)):
            if value not in known:
                raise RulesError(f"{where}.{label}: `{value}` is not a milestone kind")
        wd = item.get("working_days")
        if not isinstance(wd, int) or isinstance(wd, bool) or not 1 <= wd <= 250:
            raise RulesError(f"{where}.working_days: a whole number from 1 to 250 is required")
        derivations.append(Derivation(str(source), str(kind), wd, _text(item, "title", where)))
    _check_no_cycle(derivations)
    return Rules(kinds, default_leads, default_hour, tuple(derivations), _notice(data.get("notice") or {}, name))


def _working_days(value: object, where: str, lowest: int = 0) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not lowest <= value <= 500:
        raise RulesError(f"{where}: a whole number of Working Days from {lowest} to 500 is required")
    return value


def _notice(data: object, name: str) -> dict[str, NoticeRule]:
    if not isinstance(data, Mapping):
        raise RulesError(f"{name}: notice must be a mapping of release kind -> periods")
    unknown = sorted(set(data) - {"dcc", "document-only"})
    if unknown:
        raise RulesError(f"{name}: notice.{unknown[0]} is not a kind of release (dcc, document-only)")
    found: dict[str, NoticeRule] = {}
    for kind, item in data.items():
        where = f"{name}: notice.{kind}"
        if not isinstance(item, Mapping):
            raise RulesError(f"{where}: expected freeze, dcc_lead and appeal")
        found[str(kind)] = NoticeRule(
            freeze=_working_days(item.get("freeze", DEFAULT_NOTICE.freeze), f"{where}.freeze"),
            dcc_lead=_working_days(item.get("dcc_lead", DEFAULT_NOTICE.dcc_lead), f"{where}.dcc_lead"),
            appeal=_working_days(item.get("appeal", DEFAULT_NOTICE.appeal), f"{where}.appeal", lowest=1),
        )
    return found


def load_rules(path: Path = DEFAULT_RULES) -> Rules:
    """The rules in `path` (the project's rules.yaml by default), checked. Loaded once at start-up
    by the app factory and passed to whatever needs them."""
    try:
        with Path(path).open(encoding="utf-8") as fh:
            data = safe_load(fh) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise RulesError(f"{Path(path).name}: {exc}") from None
    return rules_from_data(data, Path(path).name)
