"""Reading a paper file (store/demo/FORMAT.md) with every mistake named by file, line and field.

PyYAML's node tree keeps where each value was written, so the file is checked on the nodes
first (shape, types, known words, refs that exist) and only then turned into plain data for the
loader. A file may hold several papers as a YAML stream (`---` between them): an export does.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import yaml

from domain.kinds import MilestoneKind, MilestoneState, ReleaseStatus, Role, ScopeState
from domain.words import normalise_ref

__all__ = ["MAX_BYTES", "Known", "Paper", "PaperError", "PaperErrors", "read_papers"]

MAX_BYTES = 2_000_000  # a whole export of years of papers is far smaller
MAX_ITEMS = 10_000
MAX_TEXT = 20_000
_SLUG = re.compile(r"^[a-z]+-[0-9]{4}$")
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


@dataclass(frozen=True)
class Paper:
    """One checked paper: its data for the loader (with `_file` set) and its key."""

    key: str
    issued: date | None
    data: dict[str, Any]


@dataclass
class Known:
    """What the store holds already, so a paper may refer to it without listing it."""

    releases: set[str] = field(default_factory=set)
    refs: set[str] = field(default_factory=set)
    milestones: set[str] = field(default_factory=set)


Check = Callable[["_Walk", yaml.Node, str], None]


class _Walk:
    def __init__(self, file: str, known: Known) -> None:
        self.file = file
        self.errors: list[PaperError] = []
        self.releases = set(known.releases)
        self.refs = set(known.refs)
        self.milestones = set(known.milestones)

    def error(self, node: yaml.Node, where: str, message: str) -> None:
        if len(self.errors) < 25:
            self.errors.append(PaperError(self.file, node.start_mark.line + 1, where, message))

    def scalar(self, node: yaml.Node) -> Any:
        return yaml.SafeLoader("").construct_object(node, deep=True)


def _tag(node: yaml.Node) -> str:
    return str(node.tag).rsplit(":", 1)[-1]


def _text(optional: bool = False, limit: int = MAX_TEXT) -> Check:
    def check(w: _Walk, node: yaml.Node, where: str) -> None:
        if optional and _tag(node) == "null":
            return
        if not isinstance(node, yaml.ScalarNode) or _tag(node) not in ("str", "int", "float"):
            w.error(node, where, "must be text")
        elif len(str(node.value)) > limit:
            w.error(node, where, f"is longer than {limit} characters")

    return check


def _words(values: Iterable[str], optional: bool = False) -> Check:
    allowed = sorted(values)

    def check(w: _Walk, node: yaml.Node, where: str) -> None:
        if optional and _tag(node) == "null":
            return
        if not isinstance(node, yaml.ScalarNode) or str(node.value) not in allowed:
            w.error(node, where, f"must be one of {', '.join(allowed)}")

    return check


def _typed(tags: tuple[str, ...], what: str) -> Check:
    def check(w: _Walk, node: yaml.Node, where: str) -> None:
        if not isinstance(node, yaml.ScalarNode) or _tag(node) not in tags:
            w.error(node, where, f"must be {what}")
        elif _tag(node) == "timestamp" and not re.fullmatch(r"\d{4}-\d\d-\d\d", str(node.value)):
            w.error(node, where, "must be a date (YYYY-MM-DD), not a time")
        elif _tag(node) == "timestamp":
            try:
                w.scalar(node)
            except ValueError:
                w.error(node, where, f"`{node.value}` is not a real date")

    return check


DATE = _typed(("timestamp",), "a date (YYYY-MM-DD)")
DATE_OR_NULL = _typed(("timestamp", "null"), "a date (YYYY-MM-DD) or null")
BOOL_OR_NULL = _typed(("bool", "null"), "true, false or null")
INT = _typed(("int",), "a whole number")
INT_OR_NULL = _typed(("int", "null"), "a whole number or null")
NUMBER_OR_NULL = _typed(("int", "float", "null"), "a number or null")


def _ref(declare: bool = False) -> Check:
    def check(w: _Walk, node: yaml.Node, where: str) -> None:
        ref = normalise_ref(str(node.value)) if isinstance(node, yaml.ScalarNode) else None
        if ref is None:
            w.error(node, where, f"`{getattr(node, 'value', '...')}` is not a modification ref (e.g. MP122)")
        elif declare:
            w.refs.add(ref)
        elif ref not in w.refs:
            w.error(node, where, f"modification {ref} is not listed under `modifications:` nor in the store")

    return check


def _slug(declare: bool = False) -> Check:
    def check(w: _Walk, node: yaml.Node, where: str) -> None:
        slug = str(node.value) if isinstance(node, yaml.ScalarNode) else ""
        if not _SLUG.match(slug):
            w.error(node, where, "must be a release slug like june-2025")
        elif declare:
            w.releases.add(slug)
        elif slug not in w.releases:
            w.error(node, where, f"release {slug} is not listed under `releases:` nor in the store")

    return check


def _subject(w: _Walk, node: yaml.Node, where: str) -> None:
    if _tag(node) == "null":
        return
    if isinstance(node, yaml.ScalarNode) and str(node.value) in w.releases:
        return
    _ref()(w, node, where)


def _time(w: _Walk, node: yaml.Node, where: str) -> None:
    if _tag(node) == "null" or (_tag(node) == "int" and 0 <= int(w.scalar(node)) < 24 * 60):
        return  # 09:00 unquoted is read as minutes (YAML 1.1)
    if not isinstance(node, yaml.ScalarNode) or not _TIME.match(str(node.value)):
        w.error(node, where, 'must be a time like "09:00"')


def _milestone_key(declare: bool) -> Check:
    def check(w: _Walk, node: yaml.Node, where: str) -> None:
        _text()(w, node, where)
        if not isinstance(node, yaml.ScalarNode):
            return
        if declare:
            w.milestones.add(str(node.value))
        elif str(node.value) not in w.milestones:
            w.error(node, where, f"milestone {node.value} is not listed before it nor in the store")

    return check


def _mapping(fields: dict[str, tuple[Check, bool]], first: tuple[str, ...] = ()) -> Check:
    """A mapping with these fields (check, required); `first` are checked before the others."""

    def check(w: _Walk, node: yaml.Node, where: str) -> None:
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


def _list(item: Check) -> Check:
    def check(w: _Walk, node: yaml.Node, where: str) -> None:
        if _tag(node) == "null":
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


def _impact_rows(w: _Walk, node: yaml.Node, where: str) -> None:
    if not isinstance(node, yaml.MappingNode):
        w.error(node, where, "must map each modification ref to its parties")
        return
    for key, value in node.value:
        _ref()(w, key, f"{where}.{key.value}")
        _list(_text())(w, value, f"{where}.{key.value}")


def _milestone(in_release: bool) -> Check:
    fields: dict[str, tuple[Check, bool]] = {
        "key": (_milestone_key(True), True),
        "ref": (_ref(), False),
        "kind": (_words(MilestoneKind), False),
        "title": (_text(limit=500), True),
        "date": (DATE, False),
        "time": (_time, False),
        "notes": (_text(True), False),
        "state": (_words(MilestoneState), False),
        "derived": (
            _mapping({"from": (_milestone_key(False), True), "working_days": (INT, True)}),
            False,
        ),
    }
    if not in_release:
        fields["release"] = (_slug(), False)
    return _mapping(fields, first=("derived",))


_DOCUMENT_IMPACT = _mapping(
    {"document": (_text(limit=200), True), "title": (_text(True), False), "refs": (_list(_ref()), True)}
)

_RELEASE = _mapping(
    {
        "slug": (_slug(), True),
        "name": (_text(limit=200), False),
        "go_live": (DATE, False),
        "status": (_words(ReleaseStatus), False),
        "dcc_system_impacting": (BOOL_OR_NULL, False),
        "notes": (_text(True), False),
        "test_strategy": (_text(True), False),
        "scope": (
            _list(
                _mapping(
                    {
                        "ref": (_ref(), True),
                        "state": (_words(ScopeState), True),
                        "to": (_slug(), False),
                        "note": (_text(True), False),
                        "reason": (_text(True), False),
                        "effective": (DATE, False),
                    }
                )
            ),
            False,
        ),
        "participant_impacts": (
            _mapping({"parties": (_list(_text(limit=200)), True), "rows": (_impact_rows, False)}),
            False,
        ),
        "impact_summaries": (
            _list(
                _mapping(
                    {"audience": (_words(("party", "dcc")), True), "area": (_text(), True), "text": (_text(), True)}
                )
            ),
            False,
        ),
        "document_impacts": (_list(_DOCUMENT_IMPACT), False),
        "costs": (
            _list(
                _mapping(
                    {
                        "payer": (_text(limit=100), True),
                        "category": (_text(limit=100), True),
                        "amount_gbp": (INT_OR_NULL, False),
                        "effort_days": (NUMBER_OR_NULL, False),
                        "ref": (_ref(), False),
                        "note": (_text(True), False),
                    }
                )
            ),
            False,
        ),
        "acceptance_criteria": (
            _list(_mapping({"number": (INT, True), "kind": (_text(limit=100), False), "text": (_text(), True)})),
            False,
        ),
        "rid_versions": (
            _list(
                _mapping({"version": (_text(limit=20), True), "issued": (DATE, True), "changes": (_text(True), False)})
            ),
            False,
        ),
        "milestones": (_list(_milestone(True)), False),
    }
)

_MODIFICATION = _mapping(
    {
        "ref": (_ref(declare=True), True),
        "title": (_text(limit=500), False),
        "kind": (_words(("CR", "DP", "MP", "SECMP")), False),
        "aliases": (_list(_ref(declare=True)), False),
        "url": (_text(True, 500), False),
        "summary": (_text(True), False),
        "path": (_text(True, 100), False),
        "phase": (_text(True, 100), False),
        "working_group": (_text(True, 100), False),
        "dcc_impact": (BOOL_OR_NULL, False),
        "status_note": (_text(True), False),
    }
)

_PAPER = _mapping(
    {
        "document": (
            _mapping(
                {
                    "key": (_text(limit=200), True),
                    "title": (_text(limit=500), True),
                    "issued": (DATE_OR_NULL, False),
                    "author": (_text(True, 500), False),
                    "seed": (_text(True, 500), False),
                }
            ),
            True,
        ),
        "holidays": (_list(_mapping({"date": (DATE, True), "name": (_text(limit=200), True)})), False),
        "modifications": (_list(_MODIFICATION), False),
        "releases": (_list(_RELEASE), False),
        "document_impacts": (_list(_DOCUMENT_IMPACT), False),
        "decisions": (
            _list(
                _mapping(
                    {
                        "date": (DATE_OR_NULL, False),
                        "body": (_text(True, 100), False),
                        "subject": (_subject, False),
                        "release": (_slug(), False),
                        "outcome": (_text(limit=100), True),
                        "text": (_text(True), False),
                    }
                )
            ),
            False,
        ),
        "milestones": (_list(_milestone(False)), False),
        "glossary": (
            _list(
                _mapping(
                    {
                        "term": (_text(limit=200), True),
                        "meaning": (_text(), True),
                        "kind": (_words(("acronym", "definition")), False),
                    }
                )
            ),
            False,
        ),
        "members": (
            _list(
                _mapping(
                    {
                        "name": (_text(limit=200), True),
                        "role": (_words(Role), False),
                        "identities": (
                            _list(
                                _mapping(
                                    {
                                        "platform": (_words(("console", "slack", "teams")), True),
                                        "user_id": (_text(limit=200), True),
                                    }
                                )
                            ),
                            False,
                        ),
                    }
                )
            ),
            False,
        ),
    },
    first=("document", "modifications", "releases"),
)


def _declare_releases(w: _Walk, root: yaml.Node) -> None:
    """A paper's releases may refer to each other (scope moved between them): declare them first."""
    if not isinstance(root, yaml.MappingNode):
        return
    for key, value in root.value:
        if key.value == "releases" and isinstance(value, yaml.SequenceNode):
            for item in value.value:
                if isinstance(item, yaml.MappingNode):
                    for k, v in item.value:
                        if k.value == "slug" and isinstance(v, yaml.ScalarNode) and _SLUG.match(str(v.value)):
                            w.releases.add(str(v.value))


def read_papers(text: str, file: str, known: Known | None = None) -> list[Paper]:
    """Every paper in `text`, checked; raises `PaperErrors` naming each mistake's line and field."""
    if len(text.encode("utf-8")) > MAX_BYTES:
        raise PaperErrors([PaperError(file, 1, "file", f"is larger than {MAX_BYTES // 1000} kB")])
    w = _Walk(file, known or Known())
    try:
        roots = list(yaml.compose_all(text, Loader=yaml.SafeLoader))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 1
        raise PaperErrors(
            [PaperError(file, line, "file", f"is not valid YAML ({getattr(exc, 'problem', exc)})")]
        ) from None
    papers: list[Paper] = []
    keys: dict[str, int] = {}
    for root in roots:
        if root is None:
            continue
        _declare_releases(w, root)
        before = len(w.errors)
        _PAPER(w, root, "")
        if len(w.errors) > before:
            continue
        data = yaml.SafeLoader("").construct_document(root)  # checked: every date is a real one
        key = str(data["document"]["key"])
        if key in keys:
            w.error(root, "document.key", f"`{key}` is also the key of the paper at line {keys[key]}")
        keys[key] = root.start_mark.line + 1
        data["_file"] = file
        papers.append(Paper(key, data["document"].get("issued"), data))
    if not papers and not w.errors:
        w.errors.append(PaperError(file, 1, "document", "the file holds no paper (it needs a `document:` section)"))
    if w.errors:
        raise PaperErrors(w.errors)
    return sorted(papers, key=lambda p: p.issued or date.min)  # stable: the loader's order
