"""The scope rules, pure: what each change appends to history, and when it is refused."""

from __future__ import annotations

import pytest

from domain import scope
from domain.refusals import AlreadyInScope, LiveElsewhere, MoveToWhere, NotInScope, SameRelease
from domain.scope import Place, ScopeFacts, Step

JUNE = Place(1, "june-2022", "June 2022 SEC Release")
NOV = Place(2, "november-2021", "November 2021 SEC Release")


def facts(state: str | None = None, elsewhere: Place | None = None, target: Place | None = None) -> ScopeFacts:
    return ScopeFacts("MP099", Place(JUNE.id, JUNE.slug, JUNE.name, state), elsewhere, target)


def test_target_and_approve_append_one_step() -> None:
    assert scope.target(facts()) == [Step(1, "targeted")]
    assert scope.approve(facts("targeted")) == [Step(1, "approved")]
    assert scope.approve(facts()) == [Step(1, "approved")]  # added as approved
    assert scope.target(facts("removed")) == [Step(1, "targeted")]  # back in after removal


def test_in_scope_twice_is_refused() -> None:
    with pytest.raises(AlreadyInScope) as caught:
        scope.target(facts("approved"))
    assert (caught.value.ref, caught.value.state, caught.value.release) == ("MP099", "approved", JUNE.name)
    with pytest.raises(AlreadyInScope):
        scope.approve(facts("approved"))


def test_one_release_at_a_time() -> None:
    live = Place(NOV.id, NOV.slug, NOV.name, "targeted")
    with pytest.raises(LiveElsewhere) as caught:
        scope.approve(facts(elsewhere=live))
    assert (caught.value.other_slug, caught.value.slug, caught.value.state) == (
        "november-2021",
        "june-2022",
        "targeted",
    )
    # Already live here: being live elsewhere too is not this change's concern.
    assert scope.approve(facts("targeted", elsewhere=live)) == [Step(1, "approved")]


def test_remove_needs_it_in_scope() -> None:
    assert scope.remove(facts("targeted")) == [Step(1, "removed")]
    for state in (None, "removed", "moved"):
        with pytest.raises(NotInScope):
            scope.remove(facts(state))


def test_move_takes_its_state_along() -> None:
    there = Place(NOV.id, NOV.slug, NOV.name, None)
    assert scope.move(facts("approved", target=there)) == [
        Step(1, "moved", moved_to_release_id=2),
        Step(2, "approved", note=f"moved from {JUNE.name}"),
    ]
    with pytest.raises(MoveToWhere):
        scope.move(facts("approved"))
    with pytest.raises(SameRelease):
        scope.move(facts("approved", target=JUNE))
    with pytest.raises(NotInScope):
        scope.move(facts(None, target=there))
    with pytest.raises(AlreadyInScope):
        scope.move(facts("approved", target=Place(NOV.id, NOV.slug, NOV.name, "targeted")))
