"""What a decision on a modification does: its phase, its milestones and its place in scope.

Pure rules, applied by the store in one change: a Change Board approval of a Self-Governance
modification starts its 10 Working Day referral period, after which it is implemented (the
derivations in the rules file); an approval of a modification targeted for a release approves it
there; a rejection or a withdrawal takes it out of scope with that reason.
"""

from __future__ import annotations

from dataclasses import dataclass

from domain.kinds import MilestoneKind

__all__ = ["BODIES", "OUTCOMES", "DecisionEffect", "effect_of"]

BODIES = {
    "change board": "Change Board",
    "cb": "Change Board",
    "panel": "Panel",
    "authority": "Authority",
    "ofgem": "Authority",
    "csc": "CSC",
}
OUTCOMES = ("approved", "rejected", "withdrawn", "deferred")
_PHASES = {"approved": "Approved", "rejected": "Rejected", "withdrawn": "Withdrawn"}
_KINDS = {
    "Change Board": MilestoneKind.change_board.value,
    "Authority": MilestoneKind.authority_decision.value,
    "Panel": MilestoneKind.panel_decision.value,
    "CSC": MilestoneKind.other.value,
}


@dataclass(frozen=True, slots=True)
class DecisionEffect:
    phase: str | None  # the modification's new phase (None: unchanged)
    milestone_kind: str  # the decision on the timeline; the rules derive what follows from its kind
    scope: str | None  # "approve" where it is targeted, "remove" from where it is live, or None


def effect_of(body: str, outcome: str) -> DecisionEffect:
    """`body` is one of BODIES' values, `outcome` one of OUTCOMES."""
    scope = {"approved": "approve", "rejected": "remove", "withdrawn": "remove"}.get(outcome)
    kind = _KINDS[body] if outcome == "approved" or body != "Change Board" else MilestoneKind.other.value
    return DecisionEffect(_PHASES.get(outcome), kind, scope)
