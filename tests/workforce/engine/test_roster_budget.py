"""The time budget of a roster solve (`roster.budget.Budget`)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from zhiren.workforce.engine.roster import SolverSettings
from zhiren.workforce.engine.roster.budget import Budget
from zhiren.workforce.engine.roster.samples import generate_problem


def _budget(agents: int = 500, days: int = 28, limit: float = 60.0) -> Budget:
    budget = Budget.start(SolverSettings(time_limit_s=limit), generate_problem(4, days, seed=0))
    return replace(budget, started=0.0, agents=agents)


def test_the_lp_gets_half_and_the_reserve_grows_with_agent_days():
    budget = _budget()
    assert budget.deadline == 60.0
    assert budget.lp_deadline == 30.0
    # 0.5 s + 0.25 ms per agent-day: 500 x 28 keeps 4 s for read-back and checks
    assert budget.reserve_s == pytest.approx(4.0)
    assert budget.search_deadline == pytest.approx(56.0)
    assert _budget(agents=50, days=7).reserve_s == pytest.approx(0.5875)


def test_the_full_model_only_when_its_booleans_fit_its_share():
    budget = _budget()
    assert budget.full_model_s == pytest.approx(0.2 * 56.0)
    assert budget.fits_full_model(11_000)
    assert not budget.fits_full_model(12_000)


def test_the_local_search_leaves_the_highs_day_phase_its_time_but_keeps_a_minimum():
    budget = _budget()
    after_lp = 10.0
    alone = budget.local_search_deadline(after_lp, full_model=False, day_phase_shifts=None)
    assert alone == pytest.approx(10.0 + 0.4 * 46.0)
    # 4 ms per LP shift kept for the day phase
    few = budget.local_search_deadline(after_lp, full_model=False, day_phase_shifts=1000)
    assert few == pytest.approx(alone)
    many = budget.local_search_deadline(after_lp, full_model=False, day_phase_shifts=9000)
    assert many == pytest.approx(56.0 - 36.0)
    # ... but never less than 5 % of the time after the LP
    huge = budget.local_search_deadline(after_lp, full_model=False, day_phase_shifts=100_000)
    assert huge == pytest.approx(10.0 + 0.05 * 50.0)
    with_model = budget.local_search_deadline(after_lp, full_model=True, day_phase_shifts=None)
    assert with_model == pytest.approx(10.0 + 0.4 * (46.0 - 11.2))


def test_the_week_dealing_may_run_past_the_local_search_and_starts_only_with_time_left():
    budget = _budget()
    assert budget.week_dealing_deadline(10.0, 12.0) == pytest.approx(10.0 + 0.3 * 46.0)
    assert budget.week_dealing_deadline(10.0, 40.0) == 40.0
    # more than half the LPs' time and 0.2 ms per agent-day (2.8 s here) left
    assert budget.week_dealing_worth_starting(10.0, 15.1, lp_seconds=10.0)
    assert not budget.week_dealing_worth_starting(10.0, 14.9, lp_seconds=10.0)
    assert not budget.week_dealing_worth_starting(10.0, 12.7, lp_seconds=1.0)
    assert budget.local_search_after_dealing(30.0, 20.0) == pytest.approx(30.0 + 0.15 * 26.0)
    assert budget.day_phase_deadline(full_model_follows=False) == pytest.approx(56.0)
    assert budget.day_phase_deadline(full_model_follows=True) == pytest.approx(56.0 - 11.2)
