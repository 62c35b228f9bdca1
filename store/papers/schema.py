"""Reading a paper file (store/demo/FORMAT.md) with every mistake named by file, line and field.

PyYAML's node tree keeps where each value was written, so the file is checked on the nodes
first (shape, types, known words, refs that exist; `store.papers.checks`) and only then turned
into plain data for the loader. A file may hold several papers as a YAML stream (`---` between
them): an export does.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import yaml

from domain.kinds import MilestoneKind, MilestoneState, ReleaseStatus, Role, ScopeState
from store.papers.checks import (
    BOOL_OR_NULL,
    DATE,
    DATE_OR_NULL,
    DAY_OR_MONTH,
    INT,
    INT_OR_NULL,
    MAX_BYTES,
    NUMBER_OR_NULL,
    SLUG,
    Check,
    Known,
    PaperError,
    PaperErrors,
    Walk,
    clock_time,
    fields_of,
    impact_rows,
    mapping,
    milestone_key,
    ref,
    sequence,
    slug,
    subject,
    text,
    words,
)

__all__ = ["MAX_BYTES", "Known", "Paper", "PaperError", "PaperErrors", "read_papers"]


@dataclass(frozen=True)
class Paper:
    """One checked paper: its data for the loader (with `_file` set) and its key."""

    key: str
    issued: date | None
    data: dict[str, Any]


def _milestone(in_release: bool) -> Check:
    fields: dict[str, tuple[Check, bool]] = {
        "key": (milestone_key(True), True),
        "ref": (ref(), False),
        "kind": (words(MilestoneKind), False),
        "title": (text(limit=500), True),
        "date": (DAY_OR_MONTH, False),
        "time": (clock_time, False),
        "notes": (text(True), False),
        "state": (words(MilestoneState), False),
        "derived": (
            mapping({"from": (milestone_key(False), True), "working_days": (INT, True)}),
            False,
        ),
    }
    if not in_release:
        fields["release"] = (slug(), False)
    return mapping(fields, first=("derived",))


_DOCUMENT_IMPACT = mapping(
    {"document": (text(limit=200), True), "title": (text(True), False), "refs": (sequence(ref()), True)}
)

_SCOPE_FIELDS = mapping(
    {
        "ref": (ref(), True),
        "state": (words(ScopeState), True),
        "to": (slug(), False),
        "note": (text(True), False),
        "reason": (text(True), False),
        "by_exception": (text(True), False),
        "effective": (DAY_OR_MONTH, False),
    }
)


def _scope_entry(w: Walk, node: yaml.Node, where: str) -> None:
    _SCOPE_FIELDS(w, node, where)
    given = fields_of(node)
    state = given.get("state")
    if isinstance(state, yaml.ScalarNode) and state.value == "moved" and "to" not in given:
        w.error(node, where, "a `moved` entry needs `to` (the release it moved to)")


_RELEASE_FIELDS = mapping(
    {
        "slug": (slug(), True),
        "name": (text(limit=200), False),
        "go_live": (DATE, False),
        "status": (words(ReleaseStatus), False),
        "dcc_system_impacting": (BOOL_OR_NULL, False),
        "notes": (text(True), False),
        "test_strategy": (text(True), False),
        "scope": (sequence(_scope_entry), False),
        "participant_impacts": (
            mapping({"parties": (sequence(text(limit=200)), True), "rows": (impact_rows, False)}),
            False,
        ),
        "impact_summaries": (
            sequence(
                mapping(
                    {
                        "audience": (words(("party", "dcc")), True),
                        "area": (text(), True),
                        "text": (text(), True),
                        "ref": (ref(), False),
                    }
                )
            ),
            False,
        ),
        "document_impacts": (sequence(_DOCUMENT_IMPACT), False),
        "costs": (
            sequence(
                mapping(
                    {
                        "payer": (text(limit=100), True),
                        "category": (text(limit=100), True),
                        "amount_gbp": (INT_OR_NULL, False),
                        "effort_days": (NUMBER_OR_NULL, False),
                        "ref": (ref(), False),
                        "note": (text(True), False),
                    }
                )
            ),
            False,
        ),
        "acceptance_criteria": (
            sequence(mapping({"number": (INT, True), "kind": (text(limit=100), False), "text": (text(), True)})),
            False,
        ),
        "rid_versions": (
            sequence(
                mapping({"version": (text(limit=20), True), "issued": (DATE, True), "changes": (text(True), False)})
            ),
            False,
        ),
        "milestones": (sequence(_milestone(True)), False),
    }
)


def _release(w: Walk, node: yaml.Node, where: str) -> None:
    """A release's fields; a release new to the store needs its name and go-live (once)."""
    _RELEASE_FIELDS(w, node, where)
    given = fields_of(node)
    named = given.get("slug")
    slug_text = str(named.value) if isinstance(named, yaml.ScalarNode) else ""
    if not given or not slug_text or slug_text in w.complete:
        return
    missing = [f"`{name}`" for name in ("name", "go_live") if name not in given]
    if missing:
        w.error(node, where, f"release {slug_text} is not in the store: it needs {' and '.join(missing)}")
    w.complete.add(slug_text)


_MODIFICATION = mapping(
    {
        "ref": (ref(declare=True), True),
        "title": (text(True, 500), False),  # null: the paper gives no title (the ref stands in)
        "kind": (words(("CR", "DP", "MP", "SECMP")), False),
        "aliases": (sequence(ref(declare=True)), False),
        "url": (text(True, 500), False),
        "summary": (text(True), False),
        "path": (text(True, 100), False),
        "phase": (text(True, 100), False),
        "working_group": (text(True, 100), False),
        "dcc_impact": (BOOL_OR_NULL, False),
        "status_note": (text(True), False),
    }
)

_PAPER = mapping(
    {
        "document": (
            mapping(
                {
                    "key": (text(limit=200), True),
                    "title": (text(limit=500), True),
                    "issued": (DATE_OR_NULL, False),
                    "author": (text(True, 500), False),
                    "seed": (text(True, 500), False),
                }
            ),
            True,
        ),
        "holidays": (sequence(mapping({"date": (DATE, True), "name": (text(limit=200), True)})), False),
        "modifications": (sequence(_MODIFICATION), False),
        "releases": (sequence(_release), False),
        "document_impacts": (sequence(_DOCUMENT_IMPACT), False),
        "decisions": (
            sequence(
                mapping(
                    {
                        "date": (DATE_OR_NULL, False),
                        "body": (text(True, 100), False),
                        "subject": (subject, False),
                        "release": (slug(), False),
                        "outcome": (text(limit=100), True),
                        "text": (text(True), False),
                    }
                )
            ),
            False,
        ),
        "milestones": (sequence(_milestone(False)), False),
        "glossary": (
            sequence(
                mapping(
                    {
                        "term": (text(limit=200), True),
                        "meaning": (text(), True),
                        "kind": (words(("acronym", "definition")), False),
                    }
                )
            ),
            False,
        ),
        "members": (
            sequence(
                mapping(
                    {
                        "name": (text(limit=200), True),
                        "role": (words(Role), False),
                        "identities": (
                            sequence(
                                mapping(
                                    {
                                        "platform": (words(("console", "slack", "teams")), True),
                                        "user_id": (text(limit=200), True),
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


def _declare_releases(w: Walk, root: yaml.Node) -> None:
    """A paper's releases may refer to each other (scope moved between them): declare them first."""
    if not isinstance(root, yaml.MappingNode):
        return
    for key, value in root.value:
        if key.value == "releases" and isinstance(value, yaml.SequenceNode):
            for item in value.value:
                if isinstance(item, yaml.MappingNode):
                    for k, v in item.value:
                        if k.value == "slug" and isinstance(v, yaml.ScalarNode) and SLUG.match(str(v.value)):
                            w.releases.add(str(v.value))


def read_papers(text: str, file: str, known: Known | None = None) -> list[Paper]:
    """Every paper in `text`, checked; raises `PaperErrors` naming each mistake's line and field."""
    if len(text.encode("utf-8")) > MAX_BYTES:
        raise PaperErrors([PaperError(file, 1, "file", f"is larger than {MAX_BYTES // 1000} kB")])
    w = Walk(file, known or Known())
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
        raise PaperErrors(sorted(w.errors, key=lambda e: e.line))
    return sorted(papers, key=lambda p: p.issued or date.min)  # stable: the loader's order
