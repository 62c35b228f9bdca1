"""The checks a paper file's YAML nodes go through, each naming the line and field it faults.

Small builders (`text`, `words`, `typed`, `ref`, `mapping`, `sequence`...) make a check for one
kind of value; `store.papers.schema` puts them together into the format of store/demo/FORMAT.md.
A `Walk` carries the file name, the mistakes found so far, and what has been declared (releases,
refs and milestone keys from the store and from earlier in the file) so later uses can be checked.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import yaml

from domain.words import normalise_ref

__all__ = [
    "BOOL_OR_NULL",
    "DATE",
    "DATE_OR_NULL",
    "INT",
    "INT_OR_NULL",
    "MAX_BYTES",
    "NUMBER_OR_NULL",
    "SLUG",
    "Check",
    "Known",
    "PaperError",
    "PaperErrors",
    "Walk",
    "clock_time",
    "fields_of",
    "impact_rows",
    "mapping",
    "milestone_key",
    "ref",
    "sequence",
    "slug",
    "subject",
    "tag",
    "text",
    "words",
]

MAX_BYTES = 2_000_000  # a whole export of years of papers is far smaller
MAX_ITEMS = 10_000
MAX_TEXT = 20_000
SLUG = re.compile(r"^[a-z]+-[0-9]{4}$")
_TIME = re.compile(r"^([01][0-9]|2[0-3]):[0-5][0-9]$")


@dataclass(frozen=True)
class PaperError:
    """One mistake: where it is and what is wrong."""

    file: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.field}: {self.message}"


class PaperErrors(ValueError):
    """The file cannot be imported; `errors` says every place (up to a limit) why."""

    def __init__(self, errors: list[PaperError]) -> None:
        super().__init__("\n".join(str(e) for e in errors))
        self.errors = errors


@dataclass
class Known:
    """What the store holds already, so a paper may refer to it without listing it."""

    releases: set[str] = field(default_factory=set)
    refs: set[str] = field(default_factory=set)
    milestones: set[str] = field(default_factory=set)


Check = Callable[["Walk", yaml.Node, str], None]


class Walk:
    def __init__(self, file: str, known: Known) -> None:
        self.file = file
        self.errors: list[PaperError] = []
        self.releases = set(known.releases)
        self.complete = set(known.releases)  # releases whose name and go-live are known: stored or given
        self.refs = set(known.refs)
        self.milestones = set(known.milestones)

    def error(self, node: yaml.Node, where: str, message: str) -> None:
        if len(self.errors) < 25:
            self.errors.append(PaperError(self.file, node.start_mark.line + 1, where, message))

    def scalar(self, node: yaml.Node) -> Any:
        return yaml.SafeLoader("").construct_object(node, deep=True)


def fields_of(node: yaml.Node) -> dict[str, yaml.Node]:
    """A mapping node's values by key (empty for anything else)."""
    return {str(k.value): v for k, v in node.value} if isinstance(node, yaml.MappingNode) else {}


def tag(node: yaml.Node) -> str:
    return str(node.tag).rsplit(":", 1)[-1]


def text(optional: bool = False, limit: int = MAX_TEXT) -> Check:
    def check(w: Walk, node: yaml.Node, where: str) -> None:
        if optional and tag(node) == "null":
            return
        if not isinstance(node, yaml.ScalarNode) or tag(node) not in ("str", "int", "float"):
            w.error(node, where, "must be text")
        elif len(str(node.value)) > limit:
            w.error(node, where, f"is longer than {limit} characters")

    return check


def words(values: Iterable[str], optional: bool = False) -> Check:
    allowed = sorted(values)

    def check(w: Walk, node: yaml.Node, where: str) -> None:
        if optional and tag(node) == "null":
            return
        if not isinstance(node, yaml.ScalarNode) or str(node.value) not in allowed:
            w.error(node, where, f"must be one of {', '.join(allowed)}")

    return check


def typed(tags: tuple[str, ...], what: str) -> Check:
    def check(w: Walk, node: yaml.Node, where: str) -> None:
        if not isinstance(node, yaml.ScalarNode) or tag(node) not in tags:
            w.error(node, where, f"must be {what}")
        elif tag(node) == "timestamp" and not re.fullmatch(r"\d{4}-\d\d-\d\d", str(node.value)):
            w.error(node, where, "must be a date (YYYY-MM-DD), not a time")
        elif tag(node) == "timestamp":
            try:
                w.scalar(node)
            except ValueError:
                w.error(node, where, f"`{node.value}` is not a real date")

    return check


DATE = typed(("timestamp",), "a date (YYYY-MM-DD)")


def _day_or_month(w: Walk, node: yaml.Node, where: str) -> None:
    """A day, or a month the paper gave without one (`2020-12`): kept, shown and reminded as a month."""
    if isinstance(node, yaml.ScalarNode) and tag(node) == "str":
        found = re.fullmatch(r"(\d{4})-(\d\d)", str(node.value))
        if found is None or not 1 <= int(found.group(2)) <= 12:
            w.error(node, where, "must be a date (YYYY-MM-DD) or a month (YYYY-MM)")
        return
    DATE(w, node, where)


DAY_OR_MONTH = _day_or_month
DATE_OR_NULL = typed(("timestamp", "null"), "a date (YYYY-MM-DD) or null")
BOOL_OR_NULL = typed(("bool", "null"), "true, false or null")
INT = typed(("int",), "a whole number")
INT_OR_NULL = typed(("int", "null"), "a whole number or null")
NUMBER_OR_NULL = typed(("int", "float", "null"), "a number or null")


def ref(declare: bool = False) -> Check:
    def check(w: Walk, node: yaml.Node, where: str) -> None:
        ref = normalise_ref(str(node.value)) if isinstance(node, yaml.ScalarNode) else None
        if ref is None:
            w.error(node, where, f"`{getattr(node, 'value', '...')}` is not a modification ref (e.g. MP122)")
        elif declare:
            w.refs.add(ref)
        elif ref not in w.refs:
            w.error(node, where, f"modification {ref} is not listed under `modifications:` nor in the store")

    return check


def slug(declare: bool = False) -> Check:
    def check(w: Walk, node: yaml.Node, where: str) -> None:
        slug = str(node.value) if isinstance(node, yaml.ScalarNode) else ""
        if not SLUG.match(slug):
            w.error(node, where, "must be a release slug like june-2025")
        elif declare:
            w.releases.add(slug)
        elif slug not in w.releases:
            w.error(node, where, f"release {slug} is not listed under `releases:` nor in the store")

    return check


def subject(w: Walk, node: yaml.Node, where: str) -> None:
    if tag(node) == "null":
        return
    if isinstance(node, yaml.ScalarNode) and str(node.value) in w.releases:
        return
    ref()(w, node, where)


def clock_time(w: Walk, node: yaml.Node, where: str) -> None:
    if tag(node) == "null" or (tag(node) == "int" and 0 <= int(w.scalar(node)) < 24 * 60):
        return  # 09:00 unquoted is read as minutes (YAML 1.1)
    if not isinstance(node, yaml.ScalarNode) or not _TIME.match(str(node.value)):
        w.error(node, where, 'must be a time like "09:00"')


def milestone_key(declare: bool) -> Check:
    def check(w: Walk, node: yaml.Node, where: str) -> None:
        text()(w, node, where)
        if not isinstance(node, yaml.ScalarNode):
            return
        if declare:
            w.milestones.add(str(node.value))
        elif str(node.value) not in w.milestones:
            w.error(node, where, f"milestone {node.value} is not listed before it nor in the store")

    return check


def mapping(fields: dict[str, tuple[Check, bool]], first: tuple[str, ...] = ()) -> Check:
    """A mapping with these fields (check, required); `first` are checked before the others."""

    def check(w: Walk, node: yaml.Node, where: str) -> None:
        if not isinstance(node, yaml.MappingNode):
            w.error(node, where, "must be a mapping of fields")
            return
        seen: dict[str, yaml.Node] = {}
        for key, value in node.value:
            name = str(key.value)
            if name in seen:
                w.error(key, f"{where}.{name}", "is given twice")
            elif name not in fields:
                w.error(key, f"{where}.{name}", f"is not a field here (fields: {', '.join(sorted(fields))})")
            seen[name] = value
        for name in (*first, *(n for n in fields if n not in first)):
            rule, required = fields[name]
            if name in seen:
                rule(w, seen[name], f"{where}.{name}" if where else name)
            elif required:
                w.error(node, where or "document", f"needs `{name}`")

    return check


def sequence(item: Check) -> Check:
    def check(w: Walk, node: yaml.Node, where: str) -> None:
        if tag(node) == "null":
            return
        if not isinstance(node, yaml.SequenceNode):
            w.error(node, where, "must be a list")
            return
        if len(node.value) > MAX_ITEMS:
            w.error(node, where, f"has more than {MAX_ITEMS} items")
            return
        for n, child in enumerate(node.value):
            item(w, child, f"{where}[{n}]")

    return check


def impact_rows(w: Walk, node: yaml.Node, where: str) -> None:
    if not isinstance(node, yaml.MappingNode):
        w.error(node, where, "must map each modification ref to its parties")
        return
    for key, value in node.value:
        ref()(w, key, f"{where}.{key.value}")
        sequence(text())(w, value, f"{where}.{key.value}")
