"""Quarters and the plan's execution rate."""

from datetime import date

import pytest

from zhiren.training.plans import execution_rate, quarter_end, quarter_of, quarter_start


def test_quarters():
    assert quarter_start(2026, 2) == date(2026, 4, 1)
    assert quarter_end(2026, 1) == date(2026, 3, 31)
    assert quarter_end(2026, 4) == date(2026, 12, 31)
    assert quarter_of(date(2026, 9, 30)) == (2026, 3)
    with pytest.raises(ValueError):
        quarter_start(2026, 5)


def test_execution_rate_counts_only_ended_quarters():
    goals = [
        (2025, 3, "done"),
        (2025, 4, "done"),
        (2025, 4, "dropped"),
        (2025, 4, "in_progress"),
        (2026, 1, "done"),
        (2026, 2, "planned"),
    ]
    rate = execution_rate(goals, date(2026, 3, 11))
    assert (rate.due, rate.done, rate.open_now) == (4, 2, 1)
    assert rate.rate == 0.5
    # the last day of a quarter: not yet due
    assert execution_rate([(2026, 1, "planned")], date(2026, 3, 31)).rate is None
    assert execution_rate([(2026, 1, "planned")], date(2026, 4, 1)).rate == 0.0
