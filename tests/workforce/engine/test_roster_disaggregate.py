"""Disaggregation of LP shift counts and the day-by-day break placement."""

from __future__ import annotations

import time

import pytest

from zhiren.workforce.engine import roster as engine
from zhiren.workforce.engine.roster import SolverSettings
from zhiren.workforce.engine.roster_disaggregate import disaggregate, round_targets
from zhiren.workforce.engine.roster_problem import RosterResult
from zhiren.workforce.engine.roster_rules import check_roster
from zhiren.workforce.engine.roster_samples import generate_problem


def _result(problem, relax, choices) -> tuple[RosterResult, float]:
    assignments, coverage = engine._assignments(problem, relax.options, relax.groups, choices)
    under = {
        q: [max(0, r - c) for r, c in zip(v, coverage[q], strict=True)]
        for q, v in problem.demand.items()
    }
    over = {
        q: [max(0, c - r) for r, c in zip(v, coverage[q], strict=True)]
        for q, v in problem.demand.items()
    }
    result = RosterResult(
        "FEASIBLE", assignments, coverage, under, over, None, None, None, 0, {}, []
    )
    terms = engine._evaluate(problem, relax, assignments, under, over)
    return result, float(sum(terms.values()))


def _disaggregated(problem):
    relax = engine._Model(problem, aggregate=True)
    lower, targets = engine._lp_guidance(problem, time.monotonic() + 60)
    counts = round_targets(targets)
    shapes = [(o.template, o.start) for o in relax.options]
    initial = disaggregate(
        problem, shapes, relax.allowed, relax.groups, engine._minimums(problem), counts
    )
    return relax, lower, counts, initial


def test_round_targets_keeps_each_days_total():
    g = ("voice",)
    counts = round_targets({(g, 0, 1): 1.4, (g, 0, 2): 1.4, (g, 0, 3): 0.2, (g, 1, 1): 2.0})
    assert sum(counts[(g, 0)].values()) == 3
    assert counts[(g, 0)][1] >= 1 and counts[(g, 0)][2] >= 1
    assert counts[(g, 1)] == {1: 2}


@pytest.mark.parametrize("seed", [0, 3])
def test_disaggregation_respects_every_hard_rule(seed):
    problem = generate_problem(40, 14, seed=seed)
    relax, _lower, counts, initial = _disaggregated(problem)
    # (almost) every wanted shift is dealt, never more than wanted
    dealt: dict = {}
    for ai, days in enumerate(initial):
        g = tuple(sorted(set(problem.agents[ai].skills)))
        for d, k in days.items():
            dealt[(g, d, k)] = dealt.get((g, d, k), 0) + 1
    wanted = sum(sum(c.values()) for c in counts.values())
    for (g, d, k), n in dealt.items():
        assert n <= counts[(g, d)][k]
    assert sum(dealt.values()) >= 0.97 * wanted
    choices = engine._greedy(problem, relax, None, None, passes=1, initial=initial)
    result, _ = _result(problem, relax, choices)
    assert check_roster(problem, result) == []


def test_break_placement_keeps_shifts_and_rules_and_does_not_worsen():
    problem = generate_problem(40, 14, seed=1)
    relax, lower, _counts, initial = _disaggregated(problem)
    choices = engine._greedy(problem, relax, None, None, passes=0, initial=initial)
    before, obj_before = _result(problem, relax, choices)
    shifts = [{d: k for d, (k, _) in days.items()} for days in choices]
    info = engine._place_breaks(
        problem, relax, choices, SolverSettings(workers=2), time.monotonic() + 20
    )
    after, obj_after = _result(problem, relax, choices)
    assert info["days"] == problem.days
    assert [{d: k for d, (k, _) in days.items()} for days in choices] == shifts
    assert check_roster(problem, after) == []
    assert obj_after <= obj_before
    assert lower <= obj_after
