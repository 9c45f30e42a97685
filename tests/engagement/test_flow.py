"""The suggestion state machine and its public clock."""

from datetime import datetime, timedelta

import pytest

from zhiren.engagement.flow import (
    Decision,
    FlowError,
    adoption_rate,
    check_move,
    median_days_to_decision,
    waiting_days,
)


def test_the_allowed_path():
    check_move("received", "reviewing")
    check_move("reviewing", "adopted")
    check_move("reviewing", "declined", reason="成本过高，下季度再议")
    check_move("adopted", "implemented")


@pytest.mark.parametrize(
    ("current", "target"),
    [
        ("received", "adopted"),
        ("received", "implemented"),
        ("declined", "reviewing"),
        ("implemented", "adopted"),
        ("reviewing", "implemented"),
        ("adopted", "declined"),
    ],
)
def test_skipped_or_backward_moves_are_refused(current, target):
    with pytest.raises(FlowError) as exc:
        check_move(current, target, reason="x")
    assert exc.value.code == "not_allowed"


def test_declining_needs_a_reason():
    with pytest.raises(FlowError) as exc:
        check_move("reviewing", "declined", reason="  ")
    assert exc.value.code == "reason_required"
    with pytest.raises(FlowError):
        check_move("reviewing", "adopted", reward=-5)


def test_adoption_rate_and_median_time_to_decision():
    t0 = datetime(2026, 3, 1, 9)
    decisions = [
        Decision(t0, t0 + timedelta(days=2), True),
        Decision(t0, t0 + timedelta(days=4), False),
        Decision(t0, t0 + timedelta(days=10), True),
        Decision(t0, None, False),
    ]
    assert adoption_rate(decisions) == pytest.approx(2 / 3)
    assert median_days_to_decision(decisions) == pytest.approx(4)
    assert waiting_days(decisions, t0 + timedelta(days=5)) == [5]
    assert adoption_rate([Decision(t0, None, False)]) is None
