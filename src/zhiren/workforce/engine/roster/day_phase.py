"""The day phase: re-optimise each day's starts, templates and breaks.

Who works on which day stays as it is, so no labour rule across days can
change. For one day at a time, the group-level model (implicit breaks, queue
allocation, under/over per slot; `model.RosterModel(aggregate=True)`) is
built for the agents working that day against the demand everybody else
leaves open, and a solver chooses how many agents of each shift take each
break at each offset, started from the current roster. With ``move``, it also
chooses each agent's shift among the options the agent could swap to without
touching any labour rule (`swap_options`: same paid minutes and late flag,
allowed that day, rest and transition bans against the agent's neighbouring
days); agents with the same skills, candidate options and shift wishes form
one class with an integer count per option, so the model stays small and
free of agent symmetry. The counts are dealt out in sorted order (the
model's ordering condition makes that a valid, non-overlapping break
sequence per agent).
"""

from __future__ import annotations

import math
import time
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from typing import Protocol, TypedDict

from ortools.sat.python import cp_model

from .linear_solvers import solve_lp_relaxation, solve_mip
from .model import RosterModel, hint_from_choices, make_solver, skill_group, sorted_break_offsets
from .problem import (
    MINUTES_PER_DAY,
    SLOT_MINUTES,
    Assignment,
    RosterChoices,
    RosterProblem,
    ShiftChoice,
    SkillGroup,
)
from .readback import coverage_cost, roster_assignments
from .schedule import Schedule
from .settings import SolverSettings

__all__ = [
    "DayModel",
    "build_day_model",
    "max_working_per_day",
    "reoptimise_days",
    "swap_options",
]

DAY_SOLVERS = ("cp_sat", "highs")


class DayPhaseReport(TypedDict, total=False):
    """What `reoptimise_days` reports (one of the pipeline's ``phases``)."""

    phase: str
    days: int  # day models solved
    changed: int  # days whose roster changed
    optimal: int  # day models proved optimal
    passes: int
    days_per_pass: list[int]
    pass_ended_s: float
    coverage_cost_before: int
    coverage_cost_after: int
    wall_time_s: float
    day_solver: str
    time_limit_per_day_s: float
    slowest_day_s: float
    num_workers_per_day: int
    linearization_level: int
    random_seed: int


class IntValues(Protocol):
    """A solved day: a `cp_model.CpSolver` or `SolvedValues`."""

    def value(self, var: cp_model.IntVar, /) -> int: ...

_MIN_SECONDS_PER_DAY = 0.2  # no day model starts with less time left


def reoptimise_days(
    problem: RosterProblem,
    relax: RosterModel,
    choices: RosterChoices,
    settings: SolverSettings,
    deadline: float,
    *,
    move: bool = False,
    passes: int = 1,
    day_solver: str = "cp_sat",
) -> DayPhaseReport:
    """Re-optimise every day's shifts and breaks, in place on ``choices``;
    returns the phase's report.

    ``day_solver="highs"``: each day's model goes to HiGHS
    (`solve_day_with_highs`: its LP, then the MIP with every class's option
    counts between the floor and the ceiling of the LP's), one day at a time;
    a solution replaces the day only if it beats the current roster.
    ``"cp_sat"``: single-worker CP-SAT started from the current roster,
    ``settings.workers`` days at once (one worker with the LP relaxation at
    linearization level 2 proves these small models optimal fastest).

    Even days first, then odd days: shifts of days two apart never overlap and
    never interact through a labour rule (the rules are checked against the
    other parity, which stays fixed), so each half is solved against one
    coverage computation. Each pass plans to use all the time left; a later
    pass (at most ``passes``) runs only if the days finish early and the
    previous pass changed something.
    """
    if day_solver not in DAY_SOLVERS:
        raise ValueError(f"unknown day solver {day_solver!r}")
    report: DayPhaseReport = {
        "phase": "day_reoptimisation" if move else "break_placement",
        "days": 0,
        "changed": 0,
        "optimal": 0,
        "passes": 0,
    }
    started = time.monotonic()
    # HiGHS: one day at a time (scipy's HiGHS holds the GIL, so two threads
    # take as long as one, and each day then starts from the days before it)
    parallel = 1 if day_solver == "highs" else max(1, int(settings.workers))
    runner = _DayRunner(problem, relax, choices, settings, deadline, move, day_solver, report)
    rounds_per_pass = sum(-(-len(range(parity, problem.days, 2)) // parallel) for parity in (0, 1))
    with ThreadPoolExecutor(max_workers=parallel) as pool:
        for _ in range(passes):
            changed_before = report["changed"]
            rounds = runner.run_pass(pool, parallel, rounds_per_pass)
            report["passes"] += 1
            report.setdefault("days_per_pass", []).append(rounds)
            report["pass_ended_s"] = round(time.monotonic() - started, 3)
            if deadline - time.monotonic() < _MIN_SECONDS_PER_DAY:
                break
            if report["changed"] == changed_before:
                break
    _, coverage = roster_assignments(problem, relax.options, relax.groups, choices)
    report["coverage_cost_after"] = coverage_cost(problem, coverage)
    report["wall_time_s"] = round(time.monotonic() - started, 3)
    return report


@dataclass
class _DayRunner:
    """One solve of the day phase: builds, solves and writes back the days."""

    problem: RosterProblem
    relax: RosterModel
    choices: RosterChoices
    settings: SolverSettings
    deadline: float
    move: bool
    day_solver: str
    report: DayPhaseReport
    slowest: float = 0.0  # longest HiGHS round so far (build, solve, write back)

    def run_pass(self, pool: ThreadPoolExecutor, parallel: int, rounds_per_pass: int) -> int:
        """Every day once, even days then odd; returns the rounds run."""
        problem, relax, report = self.problem, self.relax, self.report
        done = 0
        for parity in (0, 1):
            assignments, coverage = roster_assignments(
                problem, relax.options, relax.groups, self.choices
            )
            served = {(a.agent_id, a.day): a for a in assignments}
            report.setdefault("coverage_cost_before", coverage_cost(problem, coverage))
            days = list(range(parity, problem.days, 2))
            for first in range(0, len(days), parallel):
                left = self.deadline - time.monotonic()
                if left < max(_MIN_SECONDS_PER_DAY, self.slowest):
                    break
                round_started = time.monotonic()
                seconds = left / max(1, rounds_per_pass - done)
                models = [
                    build_day_model(problem, relax, self.choices, coverage, served, day, self.move)
                    for day in days[first : first + parallel]
                ]
                built = [day_model for day_model in models if day_model is not None]
                if self.day_solver == "highs":
                    self._solve_with_highs(pool, built, seconds)
                    done += 1
                    # a HiGHS day may overrun its limit (model building,
                    # presolve): no day starts without the slowest one's time
                    self.slowest = max(self.slowest, time.monotonic() - round_started)
                    report["slowest_day_s"] = round(self.slowest, 3)
                else:
                    self._solve_with_cp_sat(pool, built, seconds)
                    done += 1
        return done

    def _solve_with_highs(self, pool: ThreadPoolExecutor, built: list[DayModel], seconds: float) -> None:
        report = self.report
        report["day_solver"] = "highs"
        report["time_limit_per_day_s"] = round(seconds, 3)
        solved = list(pool.map(lambda day_model: solve_day_with_highs(day_model, seconds), built))
        for day_model, (solution, optimal) in zip(built, solved, strict=True):
            report["days"] += 1
            report["optimal"] += int(optimal)
            if solution is not None and write_day_back(day_model, solution, self.choices):
                report["changed"] += 1

    def _solve_with_cp_sat(self, pool: ThreadPoolExecutor, built: list[DayModel], seconds: float) -> None:
        report = self.report
        solvers = [make_solver(self.settings, seconds, workers=1) for _ in built]
        for solver in solvers:
            solver.parameters.linearization_level = 2
        statuses = list(
            pool.map(lambda pair: pair[0].solve(pair[1].cp), zip(solvers, built, strict=True))
        )
        for solver, status, day_model in zip(solvers, statuses, built, strict=True):
            # read back from the solver's own parameters
            params = solver.parameters
            report["num_workers_per_day"] = params.num_workers
            report["linearization_level"] = params.linearization_level
            report["random_seed"] = params.random_seed
            report["days"] += 1
            if status == cp_model.OPTIMAL:
                report["optimal"] += 1
            if status in (cp_model.OPTIMAL, cp_model.FEASIBLE) and write_day_back(
                day_model, solver, self.choices
            ):
                report["changed"] += 1


class SolvedValues:
    """Integer values by CP-SAT variable index, read like a solved CpSolver."""

    def __init__(self, values: list[int]):
        self._values = values

    def value(self, var: cp_model.IntVar) -> int:
        return self._values[var.index]


def solve_day_with_highs(day_model: DayModel, seconds: float) -> tuple[SolvedValues | None, bool]:
    """Solve one day model with HiGHS; the solution only if it beats the current
    roster (the model's complete hint), and whether it was proved optimal."""
    proto = day_model.cp.proto
    hint = dict(zip(proto.solution_hint.vars, proto.solution_hint.values, strict=True))
    current = 0.0
    for ref, coef in zip(proto.objective.vars, proto.objective.coeffs, strict=True):
        if ref not in hint:  # pragma: no cover - every objective variable is hinted
            return None, False
        current += coef * hint[ref]
    current = (current + proto.objective.offset) * (proto.objective.scaling_factor or 1.0)
    started = time.monotonic()
    lp = solve_lp_relaxation(day_model.cp, seconds)
    if lp is None:
        return None, False
    # each class's option counts stay next to the LP's: the floor or the
    # ceiling of its value (a small MIP HiGHS closes fast)
    for per_option in day_model.class_counts.values():
        for v in per_option.values():
            value = lp.values[v.index]
            lower, upper = math.floor(value + 1e-6), math.ceil(value - 1e-6)
            day_model.cp.add_linear_constraint(v, lower, max(lower, upper))
    solution = solve_mip(day_model.cp, max(0.05, seconds - (time.monotonic() - started)))
    if solution is None:
        return None, False
    if solution.objective >= current - 1e-6:
        return None, solution.optimal
    return SolvedValues(solution.values), solution.optimal


def max_working_per_day(choices: RosterChoices) -> int:
    """The most agents working on any one day."""
    per_day: dict[int, int] = defaultdict(int)
    for days in choices:
        for day in days:
            per_day[day] += 1
    return max(per_day.values(), default=0)


def swap_options(
    problem: RosterProblem,
    relax: RosterModel,
    choices: RosterChoices,
    agent_index: int,
    day: int,
) -> list[int]:
    """Options agent ``agent_index`` could work on ``day`` instead of its
    current one without changing any labour rule's outcome (current option
    first)."""
    options = relax.options
    current = choices[agent_index][day][0]
    current_template = options[current].template
    schedule = Schedule(problem, [(o.template, o.start) for o in options])
    for other_day, (k, _offsets) in choices[agent_index].items():
        if other_day != day:
            schedule.add(other_day, k)
    agent = problem.agents[agent_index]
    cap = min(agent.max_minutes_week, problem.rules.max_minutes_per_week)
    swaps = [current]
    for k in relax.allowed[agent_index][day]:
        template = options[k].template
        if (
            k != current
            and template.paid_minutes == current_template.paid_minutes
            and template.late == current_template.late
            and schedule.can_add(day, k, cap)
        ):
            swaps.append(k)
    return swaps


ClassKey = tuple[SkillGroup, tuple[int, ...], frozenset[str]]
"""Interchangeable agents of a day: (group, candidate options, shift wishes)."""


@dataclass
class DayModel:
    """One day's group-level model: ``working[j]`` is the agent index of the
    day's j-th working agent; ``classes`` lists each class's ``j``s and
    ``class_counts`` its agents per option (integer variables)."""

    model: RosterModel
    day: int
    working: list[int]
    classes: dict[ClassKey, list[int]]
    class_counts: dict[ClassKey, dict[int, cp_model.IntVar]]

    @property
    def cp(self) -> cp_model.CpModel:
        return self.model.cp


def build_day_model(
    problem: RosterProblem,
    relax: RosterModel,
    choices: RosterChoices,
    coverage: dict[str, list[int]],
    served: dict[tuple[str, int], Assignment],
    day: int,
    move: bool,
) -> DayModel | None:
    """The group-level model of ``day``'s working agents against the residual demand."""
    working = [ai for ai in range(len(problem.agents)) if day in choices[ai]]
    if not working:
        return None
    residual = _residual_demand(problem, coverage, served, working, day)
    sub = replace(problem, demand=residual, agents=[problem.agents[ai] for ai in working])
    keep: dict[tuple[SkillGroup, int], set[int]] = defaultdict(set)
    classes: dict[ClassKey, list[int]] = defaultdict(list)
    for j, agent_index in enumerate(working):
        agent = problem.agents[agent_index]
        group = skill_group(agent)
        candidates = (
            swap_options(problem, relax, choices, agent_index, day)
            if move
            else [choices[agent_index][day][0]]
        )
        keep[(group, day)].update(candidates)
        classes[(group, tuple(sorted(candidates)), agent.preferred_shifts)].append(j)
    model = RosterModel(sub, aggregate=True, keep=keep, fixed_counts=True)
    cp = model.cp
    class_counts: dict[ClassKey, dict[int, cp_model.IntVar]] = {}
    per_shift: dict[tuple[SkillGroup, int, int], list[cp_model.IntVar]] = defaultdict(list)
    wished_away: list[cp_model.IntVar] = []
    for key, members in classes.items():
        class_group, class_options, preferred = key
        class_counts[key] = {k: cp.new_int_var(0, len(members), "") for k in class_options}
        cp.add(sum(class_counts[key].values()) == len(members))
        for k, v in class_counts[key].items():
            per_shift[(class_group, day, k)].append(v)
            cp.add_hint(v, sum(1 for j in members if choices[working[j]][day][0] == k))
            if preferred and model.options[k].template.name not in preferred:
                wished_away.append(v)
    for count_key, v in model.counts.items():
        cp.add(v == sum(per_shift.get(count_key, [])))
    cp.minimize(sum(model.terms.values()) + problem.weights.preferred_shift * sum(wished_away))
    hint_from_choices(model, [{day: choices[ai][day]} for ai in working])
    return DayModel(model, day, working, dict(classes), class_counts)


def _residual_demand(
    problem: RosterProblem,
    coverage: dict[str, list[int]],
    served: dict[tuple[str, int], Assignment],
    working: list[int],
    day: int,
) -> dict[str, list[int]]:
    """The demand the other days' shifts leave open, with the day's own
    shifts' current coverage added back (they are re-placed)."""
    residual = {
        q: [r - c for r, c in zip(v, coverage[q], strict=True)] for q, v in problem.demand.items()
    }
    for agent_index in working:
        shift = served[(problem.agents[agent_index].id, day)]
        first_slot = (day * MINUTES_PER_DAY + shift.start) // SLOT_MINUTES
        for i, queue in enumerate(shift.queues):
            if queue is not None and first_slot + i < problem.num_slots:
                residual[queue][first_slot + i] += 1
    return residual


def write_day_back(day_model: DayModel, solution: IntValues, choices: RosterChoices) -> bool:
    """Write a solved day back: each class's agents to its options (current
    holders first), then per group and option the sorted break offsets in
    agent order. ``solution``: a solved CpSolver or `SolvedValues`."""
    day, working = day_model.day, day_model.working
    on_option: dict[tuple[SkillGroup, int], list[int]] = defaultdict(list)
    for key, members in day_model.classes.items():
        group = key[0]
        wanted = {k: solution.value(v) for k, v in day_model.class_counts[key].items()}
        moving = []
        for j in members:
            k = choices[working[j]][day][0]
            if wanted.get(k, 0) > 0:
                wanted[k] -= 1
                on_option[(group, k)].append(j)
            else:
                moving.append(j)
        for k, n in wanted.items():
            for _ in range(n):
                on_option[(group, k)].append(moving.pop())
    changed = False
    for (group, k), members in on_option.items():
        per_break = sorted_break_offsets(
            day_model.model.break_counts, day_model.model.options[k], (group, day), solution.value
        )
        for i, j in enumerate(sorted(members)):
            new = ShiftChoice(k, tuple(pb[i] for pb in per_break))
            changed |= new != choices[working[j]][day]
            choices[working[j]][day] = new
    return changed
