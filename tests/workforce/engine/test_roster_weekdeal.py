"""Week-aware dealing (one MIP per week and group) and the strengthened LP bound."""

from __future__ import annotations

import time

import pytest
from ortools.sat.python import cp_model

from zhiren.workforce.engine.roster import SolverSettings, solve_roster
from zhiren.workforce.engine.roster.day_dealing import deal_days, round_targets
from zhiren.workforce.engine.roster.greedy import greedy_for_model
from zhiren.workforce.engine.roster.lp_bound import integer_week_bound, lp_guidance
from zhiren.workforce.engine.roster.model import RosterModel, contract_minimums, make_solver
from zhiren.workforce.engine.roster.problem import (
    Agent,
    LaborRules,
    RosterProblem,
    ShiftTemplate,
)
from zhiren.workforce.engine.roster.rules import check_roster
from zhiren.workforce.engine.roster.samples import generate_peak_problem, generate_problem
from zhiren.workforce.engine.roster.week_dealing import deal_weeks

from .test_roster_disaggregate import _result


def _week_dealt(problem):
    relax = RosterModel(problem, aggregate=True, skeleton=True)
    slack: dict = {}
    lower, targets = lp_guidance(problem, time.monotonic() + 60, slack)
    counts = round_targets(targets)
    shapes = [(o.template, o.start) for o in relax.options]
    initial = deal_weeks(
        problem,
        shapes,
        relax.allowed,
        relax.groups,
        contract_minimums(problem),
        counts,
        targets=targets,
        slack=slack,
    )
    return relax, targets, counts, initial


@pytest.mark.parametrize("seed", [0, 3])
def test_week_dealing_respects_every_hard_rule_and_deals_the_lp_counts(seed):
    problem = generate_problem(40, 14, seed=seed)
    relax, targets, _counts, initial = _week_dealt(problem)
    assert initial is not None
    # per group and day, the agents dealt stay within one of the LP's count
    # (it may round either way, never invent a day's work)
    dealt: dict = {}
    for ai, days in enumerate(initial):
        g = tuple(sorted(set(problem.agents[ai].skills)))
        for d in days:
            dealt[(g, d)] = dealt.get((g, d), 0) + 1
    wanted: dict = {}
    for (g, d, _k), v in targets.items():
        wanted[(g, d)] = wanted.get((g, d), 0.0) + v
    for key, n in dealt.items():
        assert abs(n - wanted.get(key, 0.0)) <= 4, (key, n, wanted.get(key))
    assert sum(dealt.values()) >= 0.97 * sum(wanted.values())
    choices = greedy_for_model(problem, relax, None, None, passes=1, initial=initial)
    result, _ = _result(problem, relax, choices)
    assert check_roster(problem, result) == []


def test_week_dealing_places_a_unit_that_day_by_day_dealing_cannot():
    # one shift a week each; b is on leave on day 1. Day 0 is dealt first day
    # by day and goes to a (more hours per remaining day), so nobody is left
    # for day 1; the week MIP gives day 0 to b and day 1 to a.
    t = ShiftTemplate("day", 9 * 60, 9 * 60, 8 * 60)
    problem = RosterProblem(
        days=2,
        demand={"voice": [1] * (2 * 96)},
        agents=[
            Agent("a", ("voice",), 0, 8 * 60),
            Agent("b", ("voice",), 0, 8 * 60, leave_days=frozenset({1})),
        ],
        templates=[t],
    )
    relax = RosterModel(problem, aggregate=True, skeleton=True)
    shapes = [(o.template, o.start) for o in relax.options]
    counts = {(("voice",), 0): {0: 1}, (("voice",), 1): {0: 1}}
    args = (problem, shapes, relax.allowed, relax.groups, contract_minimums(problem), counts)
    week = deal_weeks(*args)
    assert week == [{1: 0}, {0: 0}]
    # the week MIP alone, not the chains that repair the day-by-day dealing
    assert sum(len(x) for x in week) == 2


def test_week_dealing_keeps_the_transition_ban_and_rest_between_its_days():
    late = ShiftTemplate("late", 15 * 60, 15 * 60, 9 * 60, late=True)
    early = ShiftTemplate("early", 6 * 60, 6 * 60, 8 * 60)
    demand = [0] * (2 * 96)
    for t in range(15 * 4, 24 * 4):
        demand[t] = 1
    for t in range(96 + 6 * 4, 96 + 14 * 4):
        demand[t] = 1
    problem = RosterProblem(
        days=2,
        demand={"voice": demand},
        agents=[Agent("a", ("voice",), 0, 40 * 60), Agent("b", ("voice",), 0, 8 * 60)],
        templates=[late, early],
        rules=LaborRules(banned_transitions=(("late", "early"),)),
    )
    relax = RosterModel(problem, aggregate=True, skeleton=True)
    shapes = [(o.template, o.start) for o in relax.options]
    k_late = next(o.index for o in relax.options if o.template is late)
    k_early = next(o.index for o in relax.options if o.template is early)
    counts = {(("voice",), 0): {k_late: 1}, (("voice",), 1): {k_early: 1}}
    week = deal_weeks(
        problem, shapes, relax.allowed, relax.groups, contract_minimums(problem), counts
    )
    assert week is not None
    # both shifts dealt, to different agents: a cannot take both (ban)
    assert sorted((d, k) for days in week for d, k in days.items()) == [(0, k_late), (1, k_early)]
    assert not any(0 in days and 1 in days for days in week)


def test_lp_bound_with_short_runs_stays_below_the_exact_optimum():
    # at most 2 consecutive days: an agent can still work 5 days of 7
    # (XX.XX.X); a weekly cap of min(days, max consecutive) = 2 shifts would
    # lift the LP far above the true optimum
    days = 7
    problem = RosterProblem(
        days=days,
        demand={"voice": [1 if 9 * 4 <= t % 96 < 17 * 4 else 0 for t in range(days * 96)]},
        agents=[Agent("a", ("voice",), 0, 40 * 60)],
        templates=[ShiftTemplate("day", 9 * 60, 9 * 60, 8 * 60)],
        rules=LaborRules(max_consecutive_days=2),
    )
    lower, _targets = lp_guidance(problem, time.monotonic() + 60)
    model = RosterModel(problem)
    solver = make_solver(SolverSettings(workers=2), 60)
    assert solver.solve(model.cp) == cp_model.OPTIMAL
    assert 0 < lower <= solver.objective_value + 1e-6, (lower, solver.objective_value)


def test_per_agent_shift_cap_lifts_the_bound_and_stays_below_the_exact_optimum():
    # b has 3 leave days: it can work 4 shifts, not the 5 its 40 h allow; the
    # group's summed hours would let a "use" b's spare hours, a cannot (5 a
    # week), so the exact optimum leaves a day short and the LP sees it
    days = 7
    problem = RosterProblem(
        days=days,
        demand={"voice": [2 if 9 * 4 <= t % 96 < 17 * 4 else 0 for t in range(days * 96)]},
        agents=[
            Agent("a", ("voice",), 0, 40 * 60),
            Agent("b", ("voice",), 0, 40 * 60, leave_days=frozenset({0, 1, 2})),
        ],
        templates=[ShiftTemplate("day", 9 * 60, 9 * 60, 8 * 60)],
        rules=LaborRules(max_consecutive_days=6),
    )
    lower, _targets = lp_guidance(problem, time.monotonic() + 60)
    model = RosterModel(problem)
    solver = make_solver(SolverSettings(workers=2), 60)
    assert solver.solve(model.cp) == cp_model.OPTIMAL
    optimum = solver.objective_value
    assert lower <= optimum + 1e-6
    # 14 agent-days wanted, 9 workable: 5 days of 32 slots short at 100 each
    assert lower >= 5 * 32 * 100 - 1e-6


def test_integer_week_bound_lies_between_the_lp_bound_and_the_exact_optimum():
    # a 4 h contract minimum, no demand and only 8 h shifts: the LP meets the
    # minimum with half an agent on one shift, a roster needs a whole one
    days = 7
    problem = RosterProblem(
        days=days,
        demand={"voice": [0] * (days * 96)},
        agents=[Agent("a", ("voice",), 4 * 60, 40 * 60)],
        templates=[ShiftTemplate("day", 9 * 60, 9 * 60, 8 * 60)],
        rules=LaborRules(),
    )
    lower, _targets = lp_guidance(problem, time.monotonic() + 60)
    stronger = integer_week_bound(problem, 30)
    model = RosterModel(problem)
    solver = make_solver(SolverSettings(workers=2), 60)
    assert solver.solve(model.cp) == cp_model.OPTIMAL
    optimum = solver.objective_value
    assert stronger is not None
    assert lower + 1e-6 < stronger <= optimum + 1e-6, (lower, stronger, optimum)
    # one whole 8 h shift of surplus (32 slots at 10 each), the LP half of it
    assert stronger == optimum == 32 * 10
    assert lower == pytest.approx(16 * 10)


@pytest.mark.parametrize("seed", [1, 4])
def test_integer_week_bound_stays_below_the_exact_optimum_over_two_weeks(seed):
    # the peak shape (4 h and 8-9 h shifts, contract minimums, nights, bans)
    # on 3 agents and 9 days, hourly starts: small enough for an exact optimum
    problem = generate_peak_problem(3, 9, seed=seed, start_step=60)
    lower, _targets = lp_guidance(problem, time.monotonic() + 60)
    stronger = integer_week_bound(problem, 30)
    model = RosterModel(problem)
    solver = make_solver(SolverSettings(workers=2), 60)
    assert solver.solve(model.cp) == cp_model.OPTIMAL
    assert stronger is not None
    # (measured: LP 4 200 / 2 172, integer 4 660 / 2 340, optimum 4 750 / 2 368)
    assert lower + 1 < stronger <= solver.objective_value + 1e-6


def test_solve_uses_the_week_dealing_by_default_and_the_day_dealing_on_request():
    problem = generate_problem(20, 7, seed=6)
    for dealing in ("week", "day"):
        result = solve_roster(
            problem, SolverSettings(time_limit_s=8, workers=2, dealing=dealing)
        )
        phase = next(
            ph for ph in result.solver_parameters["phases"] if ph["phase"] == "disaggregation"
        )
        assert phase["dealing"] == dealing
        assert check_roster(problem, result) == []
        assert result.bound <= result.objective


def test_week_dealing_beats_or_matches_day_dealing_on_left_over_units():
    problem = generate_problem(60, 14, seed=1)
    relax, targets, counts, week = _week_dealt(problem)
    shapes = [(o.template, o.start) for o in relax.options]
    day = deal_days(
        problem, shapes, relax.allowed, relax.groups, contract_minimums(problem), counts
    )
    assert week is not None
    assert sum(len(x) for x in week) >= sum(len(x) for x in day) - 2


def test_week_dealing_out_of_time_keeps_finished_weeks_and_the_day_dealing_ends_the_horizon():
    problem = generate_problem(30, 14, seed=2)
    relax = RosterModel(problem, aggregate=True, skeleton=True)
    slack: dict = {}
    _lower, targets = lp_guidance(problem, time.monotonic() + 60, slack)
    counts = round_targets(targets)
    shapes = [(o.template, o.start) for o in relax.options]
    args = (problem, shapes, relax.allowed, relax.groups, contract_minimums(problem), counts)
    # a deadline already past: nothing dealt, the first day not dealt is 0
    done: list[int] = []
    assert deal_weeks(*args, time.monotonic() - 1, done=done) == [{} for _ in problem.agents]
    assert done == [0]
    assert deal_weeks(*args, time.monotonic() - 1) is None
    # the first week from the week dealing, the second from the day dealing
    full: list[int] = []
    week = deal_weeks(*args, targets=targets, slack=slack, done=full)
    assert full == [problem.days]
    first = [{d: k for d, k in days.items() if d < 7} for days in week]
    mixed = deal_days(*args, start=first, first_day=7)
    for before, after in zip(first, mixed, strict=True):
        assert {d: k for d, k in after.items() if d < 7} == before
    assert any(d >= 7 for days in mixed for d in days)
    choices = greedy_for_model(problem, relax, None, None, passes=1, initial=mixed)
    result, _ = _result(problem, relax, choices)
    assert check_roster(problem, result) == []
