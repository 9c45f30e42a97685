"""The lower bound and the LP's shift counts: one LP relaxation per week.

Each week's relaxation (`model.RosterModel(aggregate=True)`) keeps that
week's rules and drops the links to the neighbouring weeks (rest across the
boundary, consecutive days); slots a previous week's overnight shift could
cover are left out of the week's objective. Every dropped piece only lowers
the optimum, so the sum of the weeks' LP optima is a valid lower bound of the
full problem. GLOP solves each week (`linear_solvers.solve_lp_relaxation`).

`integer_week_bound` (offline, not part of a solve) takes the same week
models with every variable integer to HiGHS' branch and cut: still a
relaxation (a roster's group counts, break counts per offset, queue
allocations and staffing gaps are all integers), so the sum of the weeks'
MIP dual bounds is a valid, stronger lower bound; it costs minutes, not
seconds (docs/wfm/roster.md, "Where the remaining gap is").
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import replace
from typing import NamedTuple

from .linear_solvers import mip_dual_bound, solve_lp_relaxation
from .model import RosterModel
from .problem import (
    MINUTES_PER_DAY,
    SLOT_MINUTES,
    SLOTS_PER_DAY,
    LpSlack,
    RosterProblem,
    ShiftTargets,
)

__all__ = ["LpGuidance", "integer_week_bound", "lp_guidance", "week_slice"]


class LpGuidance(NamedTuple):
    bound: float  # the sum of the weeks' LP optima: a lower bound of the objective
    targets: ShiftTargets  # the LP's fractional agents per (group, day, option)


def week_slice(problem: RosterProblem, first: int, n: int) -> RosterProblem:
    """Days ``first .. first + n - 1`` as a problem of their own."""
    first_slot, end_slot = first * SLOTS_PER_DAY, (first + n) * SLOTS_PER_DAY
    agents = []
    for agent in problem.agents:
        availability = agent.availability
        if availability is not None:
            availability = tuple(
                (day - first, start, end)
                for day, start, end in availability
                if first - 1 <= day < first + n
            )
        agents.append(
            replace(
                agent,
                availability=availability,
                leave_days=frozenset(d - first for d in agent.leave_days if first <= d < first + n),
                preferred_days_off=frozenset(),
            )
        )
    return replace(
        problem,
        days=n,
        demand={q: list(v[first_slot:end_slot]) for q, v in problem.demand.items()},
        agents=agents,
        start_weekday=(problem.start_weekday + first) % 7,
    )


def _night_slots(problem: RosterProblem) -> tuple[int, int]:
    """``(spill_slots, night_slots)``: how far the latest shift runs into the
    next day, and the part of that before any template's earliest start
    (which only the previous day's shifts can cover)."""
    spill = 0
    for template in problem.templates:
        spill = max(spill, template.latest_start + template.length_minutes - MINUTES_PER_DAY)
    spill_slots = -(-spill // SLOT_MINUTES) if spill > 0 else 0
    first_start = min((t.earliest_start for t in problem.templates), default=0)
    night_slots = min(spill_slots, first_start // SLOT_MINUTES)
    if spill >= MINUTES_PER_DAY:  # shifts reaching two days ahead: keep it simple
        night_slots = 0
    return spill_slots, night_slots


def _week_models(problem: RosterProblem) -> Iterator[tuple[range, RosterModel]]:
    """Each week and its relaxation (`RosterModel(aggregate=True)`), owning
    its slots as `lp_guidance` says."""
    spill_slots, night_slots = _night_slots(problem)
    for week in problem.weeks():
        n = len(week)
        extra_day = 1 if night_slots and week.stop < problem.days else 0
        model = RosterModel(
            week_slice(problem, week.start, n + extra_day),
            aggregate=True,
            owned_from=spill_slots if week.start else 0,
            owned_to=n * SLOTS_PER_DAY + (night_slots if extra_day else 0),
            shift_days=n,
        )
        yield week, model


def integer_week_bound(problem: RosterProblem, seconds_per_week: float) -> float | None:
    """The sum over the weeks of HiGHS' dual bound on the week relaxation with
    every variable integer (at most ``seconds_per_week`` each): a lower bound
    of the objective, or ``None`` when a week's branch and cut had no bound
    in time. Once HiGHS has solved a week's root it is at least that week's
    LP optimum; stopped earlier it may be less (take the larger of the two).

    Valid because every variable of the week relaxation stands for an integer
    quantity of any roster (agents per group, day and shift; agents taking a
    break at an offset; agents of a group serving a queue; agents missing or
    surplus per queue and slot), so restricting them to integers removes no
    roster. Offline only: on the 120 x 14 peak instance it takes minutes."""
    bound = 0.0
    for _week, model in _week_models(problem):
        week_bound = mip_dual_bound(model.cp, seconds_per_week)
        if week_bound is None:
            return None
        bound += week_bound
    return bound


def lp_guidance(
    problem: RosterProblem,
    deadline: float,
    slack: dict[tuple[str, int], LpSlack] | None = None,
) -> LpGuidance | None:
    """Lower bound and fractional shift counts from week-by-week LP relaxations;
    ``None`` when a week's LP is not solved by ``deadline``.

    The first slots of the day after a week that only that week's last
    overnight shifts can reach (before any template's earliest start) belong
    to the week: it sees that day's demand there (with no shifts of its own),
    so the guidance staffs the night into the next week, and each slot is
    still counted by one week only.

    ``slack``, when given, receives the LP's (under, over) per (queue, slot)
    of the horizon (the week dealing's prices).
    """
    bound = 0.0
    targets: ShiftTargets = {}
    for week, model in _week_models(problem):
        solution = solve_lp_relaxation(model.cp, max(1.0, deadline - time.monotonic()))
        if solution is None:
            return None
        bound += solution.objective
        for (group, day, k), v in model.counts.items():
            targets[(group, day + week.start, k)] = solution.values[v.index]
        if slack is not None:
            # the LP's under- and over-staffing per queue and slot it owns
            first_slot = week.start * SLOTS_PER_DAY
            for (queue, t), under in model.under.items():
                slack[(queue, t + first_slot)] = LpSlack(
                    solution.values[under.index], solution.values[model.over[(queue, t)].index]
                )
    return LpGuidance(bound, targets)
