"""Disaggregation of LP shift counts and the day-by-day break placement."""

from __future__ import annotations

import time

import pytest
from ortools.sat.python import cp_model

from zhiren.workforce.engine.roster import SolverSettings, solve_roster
from zhiren.workforce.engine.roster.day_dealing import deal_days, round_targets
from zhiren.workforce.engine.roster.day_phase import reoptimise_days, swap_options
from zhiren.workforce.engine.roster.greedy import greedy_for_model
from zhiren.workforce.engine.roster.lp_bound import lp_guidance
from zhiren.workforce.engine.roster.model import RosterModel, contract_minimums, make_solver
from zhiren.workforce.engine.roster.problem import RosterResult
from zhiren.workforce.engine.roster.readback import objective_terms, roster_assignments
from zhiren.workforce.engine.roster.rules import check_roster
from zhiren.workforce.engine.roster.samples import generate_problem


def _result(problem, relax, choices) -> tuple[RosterResult, float]:
    assignments, coverage = roster_assignments(problem, relax.options, relax.groups, choices)
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
    terms = objective_terms(problem, relax, assignments, under, over)
    return result, float(sum(terms.values()))


def _disaggregated(problem):
    relax = RosterModel(problem, aggregate=True)
    lower, targets = lp_guidance(problem, time.monotonic() + 60)
    counts = round_targets(targets)
    shapes = [(o.template, o.start) for o in relax.options]
    initial = deal_days(
        problem, shapes, relax.allowed, relax.groups, contract_minimums(problem), counts
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
    choices = greedy_for_model(problem, relax, None, None, passes=1, initial=initial)
    result, _ = _result(problem, relax, choices)
    assert check_roster(problem, result) == []


def test_break_placement_keeps_shifts_and_rules_and_does_not_worsen():
    problem = generate_problem(40, 14, seed=1)
    relax, lower, _counts, initial = _disaggregated(problem)
    choices = greedy_for_model(problem, relax, None, None, passes=0, initial=initial)
    before, obj_before = _result(problem, relax, choices)
    shifts = [{d: k for d, (k, _) in days.items()} for days in choices]
    info = reoptimise_days(
        problem, relax, choices, SolverSettings(workers=2), time.monotonic() + 20
    )
    after, obj_after = _result(problem, relax, choices)
    assert info["days"] == problem.days
    assert [{d: k for d, (k, _) in days.items()} for days in choices] == shifts
    assert check_roster(problem, after) == []
    assert obj_after <= obj_before
    assert lower <= obj_after


def test_day_reoptimisation_keeps_working_days_and_rules_and_does_not_worsen():
    problem = generate_problem(30, 9, seed=2)
    relax, lower, _counts, initial = _disaggregated(problem)
    choices = greedy_for_model(problem, relax, None, None, passes=0, initial=initial)
    before, obj_before = _result(problem, relax, choices)
    worked = [sorted(days) for days in choices]
    kinds = [
        {d: relax.options[k].template.paid_minutes for d, (k, _) in days.items()}
        for days in choices
    ]
    info = reoptimise_days(
        problem, relax, choices, SolverSettings(workers=2), time.monotonic() + 15, move=True
    )
    after, obj_after = _result(problem, relax, choices)
    assert info["phase"] == "day_reoptimisation" and info["days"] >= problem.days
    # who works which day, and the paid minutes of each shift, never change
    assert [sorted(days) for days in choices] == worked
    assert [
        {d: relax.options[k].template.paid_minutes for d, (k, _) in days.items()}
        for days in choices
    ] == kinds
    assert check_roster(problem, after) == []
    # each day's model holds the coverage and the shift wishes, fairness and
    # days off cannot change, and every solve starts from the current roster
    assert obj_after <= obj_before
    assert lower <= obj_after


def test_swap_options_only_offer_rule_neutral_shifts():
    problem = generate_problem(20, 7, seed=4)
    relax, _lower, _counts, initial = _disaggregated(problem)
    choices = greedy_for_model(problem, relax, None, None, passes=0, initial=initial)
    checked = 0
    for ai, days in enumerate(choices):
        for d, (k0, _offs) in days.items():
            for k in swap_options(problem, relax, choices, ai, d):
                o = relax.options[k]
                assert o.template.paid_minutes == relax.options[k0].template.paid_minutes
                assert o.template.late == relax.options[k0].template.late
                trial = [dict(x) for x in choices]
                trial[ai][d] = (k, tuple(b.earliest_after for b in o.template.breaks))
                result, _ = _result(problem, relax, trial)
                assert check_roster(problem, result) == []
                checked += 1
            if checked > 60:
                return
    assert checked > 0


def test_break_model_with_overlapping_windows_never_overlaps_breaks():
    # two breaks whose windows overlap: the ordering condition must hold
    from zhiren.workforce.engine.roster.problem import (
        Agent,
        BreakRule,
        RosterProblem,
        ShiftTemplate,
    )

    template = ShiftTemplate(
        "day",
        8 * 60,
        9 * 60,
        8 * 60,
        breaks=(BreakRule("a", 30, 60, 180), BreakRule("b", 30, 90, 240)),
    )
    demand = {"voice": [0] * 96}
    for t in range(8 * 4, 17 * 4):
        demand["voice"][t] = 3
    problem = RosterProblem(
        days=1,
        demand=demand,
        agents=[Agent(f"a{i}", ("voice",), 0, 40 * 60) for i in range(5)],
        templates=[template],
    )
    result = solve_roster(problem, SolverSettings(time_limit_s=10, workers=2))
    assert check_roster(problem, result) == []
    for a in result.assignments:
        (s1, e1), (s2, e2) = a.breaks
        assert e1 <= s2
        assert a.start + 60 <= s1 <= a.start + 180 and a.start + 90 <= s2 <= a.start + 240


def test_week_bound_with_night_ownership_is_below_the_exact_optimum():
    # 9 days: the first week's LP owns the night slots of day 7 that only its
    # last night shift can reach; the bound must stay below the true optimum
    from zhiren.workforce.engine.roster.problem import Agent, RosterProblem, ShiftTemplate

    days = 9
    demand = {"voice": [0] * (days * 96)}
    for d in range(days):
        for t in range(8 * 4, 16 * 4):
            demand["voice"][d * 96 + t] = 1 + (d % 3 == 0)
        for t in range(22 * 4, 30 * 4):
            if d * 96 + t < days * 96:
                demand["voice"][d * 96 + t] = 1
    problem = RosterProblem(
        days=days,
        demand=demand,
        agents=[Agent(f"a{i}", ("voice",), 16 * 60, 40 * 60) for i in range(3)],
        templates=[
            ShiftTemplate("day", 7 * 60, 9 * 60, 8 * 60, 60),
            ShiftTemplate("night", 22 * 60, 22 * 60, 8 * 60, 60, True, late=True),
        ],
    )
    lower, _targets = lp_guidance(problem, time.monotonic() + 60)
    model = RosterModel(problem)
    solver = make_solver(SolverSettings(workers=2), 60)
    status = solver.solve(model.cp)
    assert status == cp_model.OPTIMAL
    assert 0 < lower <= solver.objective_value + 1e-6, (lower, solver.objective_value)


def test_solve_runs_the_cp_sat_day_phase_with_its_parameters():
    problem = generate_problem(20, 7, seed=6)
    result = solve_roster(
        problem, SolverSettings(time_limit_s=12, workers=2, seed=3, day_solver="cp_sat")
    )
    phase = next(
        ph
        for ph in result.solver_parameters["phases"]
        if ph["phase"] in ("day_reoptimisation", "break_placement")
    )
    assert phase["days"] >= 1
    assert phase["num_workers_per_day"] == 1 and phase["linearization_level"] == 2
    assert phase["random_seed"] == 3
    assert check_roster(problem, result) == []
    assert result.bound <= result.objective


def test_solve_runs_the_highs_day_phase_by_default():
    problem = generate_problem(20, 7, seed=6)
    result = solve_roster(problem, SolverSettings(time_limit_s=12, workers=2, seed=3))
    phase = next(
        ph for ph in result.solver_parameters["phases"] if ph["phase"] == "day_reoptimisation"
    )
    assert phase["day_solver"] == "highs" and phase["days"] >= problem.days
    assert phase["coverage_cost_after"] <= phase["coverage_cost_before"]
    assert check_roster(problem, result) == []
    assert result.bound <= result.objective


@pytest.mark.parametrize(("seed", "agents", "days"), [(2, 30, 9), (7, 60, 7)])
def test_highs_day_reoptimisation_keeps_rules_and_never_worsens(seed, agents, days):
    problem = generate_problem(agents, days, seed=seed)
    relax, lower, _counts, initial = _disaggregated(problem)
    choices = greedy_for_model(problem, relax, None, None, passes=0, initial=initial)
    _before, obj_before = _result(problem, relax, choices)
    worked = [sorted(d) for d in choices]
    info = reoptimise_days(
        problem,
        relax,
        choices,
        SolverSettings(workers=2),
        time.monotonic() + 300,  # an upper bound: two passes end it
        move=True,
        passes=2,
        day_solver="highs",
    )
    after, obj_after = _result(problem, relax, choices)
    assert info["day_solver"] == "highs" and info["days"] >= problem.days
    assert [sorted(d) for d in choices] == worked
    assert check_roster(problem, after) == []
    assert obj_after <= obj_before
    assert lower <= obj_after


def test_solve_mip_matches_cp_sat_on_a_small_integer_model():
    from zhiren.workforce.engine.roster.linear_solvers import solve_mip

    m = cp_model.CpModel()
    x = [m.new_int_var(0, 5, f"x{i}") for i in range(4)]
    m.add(2 * x[0] + 3 * x[1] + x[2] >= 7)
    m.add(x[1] + x[2] + 2 * x[3] >= 5)
    m.add(x[0] + x[3] <= 4)
    m.minimize(5 * x[0] + 4 * x[1] + 3 * x[2] + 2 * x[3] + 1)
    sol = solve_mip(m, 10)
    solver = cp_model.CpSolver()
    assert solver.solve(m) == cp_model.OPTIMAL
    assert sol is not None and sol.optimal
    assert sol.objective == solver.objective_value
    assert 2 * sol.values[0] + 3 * sol.values[1] + sol.values[2] >= 7


def test_augmenting_chains_place_a_unit_the_dealing_left_over():
    # agent a (no hours left) may take the unit on day 1 by giving up day 0,
    # where agent b (hours left, but on leave on day 1) takes its place
    from zhiren.workforce.engine.roster.day_dealing import place_left_over_units
    from zhiren.workforce.engine.roster.problem import Agent, RosterProblem, ShiftTemplate
    from zhiren.workforce.engine.roster.schedule import Schedule

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
    shapes = [(t, 9 * 60)]
    sched = [Schedule(problem, shapes) for _ in problem.agents]
    sched[0].add(0, 0)
    result = [{0: 0}, {}]
    allowed = [[{0}, {0}], [{0}, set()]]
    placed = place_left_over_units(
        problem,
        allowed,
        {("voice",): [0, 1]},
        [[0], [0]],
        [480, 480],
        sched,
        result,
        [(("voice",), 1, 0)],
        None,
    )
    assert placed == 1
    assert result == [{1: 0}, {0: 0}]
