"""`solve_roster`: the steps of a solve, in order (docs/wfm/roster.md).

1. `lp_bound`: one LP relaxation per week gives the lower bound and the
   fractional number of agents of each skill group on each shift.
2. Dealing: those counts go to named agents, who works which day and
   template (`week_dealing`, one HiGHS MIP per week and group), with the
   day-by-day dealing (`day_dealing`) for whatever the week dealing did not
   finish in time.
3. `greedy` places the breaks, tops up contract minimums, and
   `local_search` improves the roster.
4. `day_phase` re-optimises each day's starts, templates and breaks.
5. The full per-agent CP-SAT model (`model`, small instances) or CP-SAT
   large-neighbourhood search (`lns`, large ones) in the time left.
6. `greedy.repair_contracts`: agents still below their contract minimum
   get shifts added, lengthened or their week re-dealt.
7. `readback`: shifts with queues, coverage, objective; `rules` checks
   every hard rule independently; `diagnosis` says of each contract
   minimum still broken whether it is unreachable or was not found in time.

`budget.Budget` decides how long each step may take.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from .budget import Budget
from .day_dealing import deal_days, round_targets
from .day_phase import max_working_per_day, reoptimise_days
from .diagnosis import CAUSE_UNREACHABLE, explain_violations
from .greedy import greedy_for_model, repair_contracts
from .lns import large_neighbourhood_search
from .lp_bound import LpGuidance, lp_guidance
from .model import (
    RosterModel,
    choices_from_assignments,
    choices_from_solver,
    contract_minimums,
    hint_from_choices,
    make_solver,
    solver_report,
)
from .problem import (
    Assignment,
    DealtDays,
    LpSlack,
    RosterChoices,
    RosterProblem,
    RosterResult,
    SkillGroup,
)
from .readback import objective_terms, roster_assignments, unmet_wishes
from .rules import check_roster, rule_names
from .settings import SolverSettings
from .validation import validate_problem
from .week_dealing import deal_weeks

__all__ = ["SolverSettings", "solve_roster", "unmet_wishes", "validate_problem"]


def solve_roster(
    problem: RosterProblem,
    settings: SolverSettings | None = None,
    *,
    hint: list[Assignment] | None = None,
) -> RosterResult:
    """Solve the roster; return assignments, coverage, bound, gap and rule checks.

    ``hint``: a previous roster (e.g. last week's or a planner's draft) to
    start the day phase and the CP-SAT model from instead of the greedy one.
    """
    settings = settings or SolverSettings()
    validate_problem(problem)
    solve = _Solve(problem, settings, Budget.start(settings, problem))
    guidance = solve.bound_and_counts()
    solve.plan_search(guidance)
    dealt = solve.deal(guidance) if guidance and guidance.targets else None
    choices = solve.construct(guidance, dealt)
    if hint:
        choices = choices_from_assignments(problem, solve.relax, hint)
    solve.reoptimise_days(choices, hinted=bool(hint))
    solved = solve.final_search(choices, hinted=bool(hint))  # CP-SAT's roster, if any
    if solved is not None:
        choices = solved
    choices = solve.repair(choices)
    return solve.result(choices, guidance, source_is_cp_sat=solved is not None)


@dataclass
class _Solve:
    """One solve's state: the relaxation's options and groups, the time plan,
    and the steps' reports (``phases``, returned in ``solver_parameters``)."""

    problem: RosterProblem
    settings: SolverSettings
    budget: Budget
    phases: list[Mapping[str, object]] = field(default_factory=list)
    slack: dict[tuple[str, int], LpSlack] = field(default_factory=dict)
    keep: dict[tuple[SkillGroup, int], set[int]] = field(default_factory=lambda: defaultdict(set))
    shift_booleans: int = 0
    full_model: bool = False
    after_lp: float = 0.0
    local_search_deadline: float = 0.0
    status: cp_model.CpSolverStatus = cp_model.UNKNOWN
    repaired: bool = False

    def __post_init__(self) -> None:
        # options, groups and permissions (no variables): the numbering every step shares
        self.relax = RosterModel(self.problem, aggregate=True, skeleton=True)

    def _elapsed(self) -> float:
        return round(time.monotonic() - self.budget.started, 3)

    # -- 1. the bound ----------------------------------------------------
    def bound_and_counts(self) -> LpGuidance | None:
        guidance = lp_guidance(self.problem, self.budget.lp_deadline, self.slack)
        self.phases.append({"phase": "lp_relaxation", "wall_time_s": self._elapsed()})
        return guidance

    def plan_search(self, guidance: LpGuidance | None) -> None:
        """Restrict the later models to the LP's shifts, decide whether the
        full model can be solved last, and when the local search ends."""
        problem, relax, budget = self.problem, self.relax, self.budget
        targets = guidance.targets if guidance else None
        for (group, day, k), v in (targets or {}).items():
            if v > 1e-6:
                self.keep[(group, day)].add(k)
        self.shift_booleans = sum(
            len(self.keep.get((g, d), set()) & set(relax.allowed[ai][d]))
            if targets
            else len(relax.allowed[ai][d])
            for g, members in relax.groups.items()
            for ai in members
            for d in range(problem.days)
        )
        self.full_model = budget.fits_full_model(self.shift_booleans)
        self.after_lp = time.monotonic()  # (the time plan starts from here)
        highs_follows = bool(targets) and self.settings.day_solver == "highs"
        self.local_search_deadline = budget.local_search_deadline(
            self.after_lp,
            full_model=self.full_model,
            day_phase_shifts=sum(targets.values()) if highs_follows and targets else None,
        )

    # -- 2. dealing ------------------------------------------------------
    def deal(self, guidance: LpGuidance) -> DealtDays:
        """Deal the LP's counts to named agents: by week, then by day for what
        the week dealing left (or for everything, on request or when it
        cannot start in time)."""
        problem, relax, budget = self.problem, self.relax, self.budget
        shapes = [(o.template, o.start) for o in relax.options]
        counts = round_targets(guidance.targets)
        minimums = contract_minimums(problem)
        method = "day"
        dealt: DealtDays | None = None
        dealt_to: list[int] = []  # the first day the week dealing did not deal
        if self.settings.dealing == "week":
            deadline = budget.week_dealing_deadline(self.after_lp, self.local_search_deadline)
            lp_seconds = self.after_lp - budget.started
            if budget.week_dealing_worth_starting(time.monotonic(), deadline, lp_seconds):
                dealt = deal_weeks(
                    problem,
                    shapes,
                    relax.allowed,
                    relax.groups,
                    minimums,
                    counts,
                    deadline,
                    targets=guidance.targets,
                    slack=self.slack,
                    done=dealt_to,
                )
            if dealt_to and dealt_to[0] >= problem.days:
                method = "week"
            elif dealt_to and dealt_to[0] > 0:
                method = f"week to day {dealt_to[0]}, then day (week MIP out of time)"
            else:
                method = "day (week MIP out of time)"
                dealt = None
        if dealt is None or method.startswith("week to day"):
            # day by day to the end: a half-dealt roster is far worse than a
            # late one (this takes 1-3 s on 500 x 28)
            dealt = deal_days(
                problem,
                shapes,
                relax.allowed,
                relax.groups,
                minimums,
                counts,
                self.local_search_deadline if method == "day" else None,
                start=dealt,
                first_day=dealt_to[0] if dealt_to and dealt is not None else 0,
            )
        # "disaggregation": the step's name in stored reports
        self.phases.append(
            {"phase": "disaggregation", "dealing": method, "wall_time_s": self._elapsed()}
        )
        return dealt

    # -- 3. greedy and local search --------------------------------------
    def construct(self, guidance: LpGuidance | None, dealt: DealtDays | None) -> RosterChoices:
        deadline = self.local_search_deadline
        if guidance and guidance.targets and self.settings.dealing == "week":
            deadline = self.budget.local_search_after_dealing(time.monotonic(), deadline)
        choices = greedy_for_model(
            self.problem,
            self.relax,
            guidance.targets if guidance else None,
            deadline,
            passes=50,
            initial=dealt,
        )
        self.phases.append(
            {
                "phase": "greedy",
                "wall_time_s": self._elapsed(),
                "shift_booleans": self.shift_booleans,
                "full_model": self.full_model,
            }
        )
        return choices

    # -- 4. the day phase ------------------------------------------------
    def reoptimise_days(self, choices: RosterChoices, *, hinted: bool) -> None:
        settings = self.settings
        self.phases.append(
            reoptimise_days(
                self.problem,
                self.relax,
                choices,
                settings,
                self.budget.day_phase_deadline(full_model_follows=self.full_model or hinted),
                move=settings.day_solver == "highs"
                or max_working_per_day(choices) <= settings.move_max_agents,
                passes=settings.reopt_passes,
                day_solver=settings.day_solver,
            )
        )
        for group, members in self.relax.groups.items():
            for ai in members:
                for day, (k, _offsets) in choices[ai].items():
                    self.keep[(group, day)].add(k)

    # -- 5. the full model or LNS ----------------------------------------
    def final_search(self, choices: RosterChoices, *, hinted: bool) -> RosterChoices | None:
        """The per-agent model restricted to the shifts kept so far, started
        from ``choices``, if it can get going in the time left (its roster,
        if it found one); otherwise LNS, in place on ``choices``."""
        problem, settings, budget = self.problem, self.settings, self.budget
        left = budget.search_deadline - time.monotonic()
        if self.full_model or hinted:
            model = RosterModel(problem, keep=self.keep)
            hint_from_choices(model, choices)
            solver = make_solver(settings, budget.search_deadline - time.monotonic())
            self.status = solver.solve(model.cp)
            self.phases.append({"phase": "cp_sat", **solver_report(solver, self.status)})
            if self.status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
                return choices_from_solver(model, solver)
        elif left > settings.lns_round_s * 0.5:
            report = large_neighbourhood_search(
                problem, self.relax, self.keep, choices, settings, budget.search_deadline
            )
            reason = (
                f"{self.shift_booleans} shift variables are too many to presolve in "
                f"{budget.full_model_s:.1f}s"
            )
            self.phases.append({"phase": "cp_sat_lns", "reason": reason, **report})
        return None

    # -- 6. the last repair ---------------------------------------------
    def repair(self, choices: RosterChoices) -> RosterChoices:
        """Agents below their contract minimum: shifts added, lengthened or
        the week re-dealt (`greedy.repair_contracts`), the others unchanged."""
        # validity first: re-deals may run to the limit itself, past the reserve
        repaired, short = repair_contracts(
            self.problem, self.relax, choices, deadline=self.budget.deadline
        )
        if repaired is not choices:
            self.phases.append(
                {
                    "phase": "contract_repair",
                    "weeks_still_short": len(short),
                    "wall_time_s": self._elapsed(),
                }
            )
            self.repaired = True
        return repaired

    # -- 7. the answer ---------------------------------------------------
    def _source(self, source_is_cp_sat: bool) -> str:
        """The step that last changed the roster."""
        if self.repaired:
            return "contract_repair"
        if source_is_cp_sat:
            return "cp_sat"
        if any(phase.get("improved") for phase in self.phases):
            return "lns"
        if any(phase.get("changed") for phase in self.phases):
            return "day_highs" if self.settings.day_solver == "highs" else "day_cp_sat"
        return "greedy"

    def result(
        self, choices: RosterChoices, guidance: LpGuidance | None, *, source_is_cp_sat: bool
    ) -> RosterResult:
        problem, settings = self.problem, self.settings
        assignments, coverage = roster_assignments(
            problem, self.relax.options, self.relax.groups, choices
        )
        under, over = {}, {}
        for queue, demand in problem.demand.items():
            under[queue] = [max(0, r - c) for r, c in zip(demand, coverage[queue], strict=True)]
            over[queue] = [max(0, c - r) for r, c in zip(demand, coverage[queue], strict=True)]
        terms = objective_terms(problem, self.relax, assignments, under, over)
        objective = float(sum(terms.values()))
        # the restricted model's own bound is not a bound of the full problem;
        # the week-by-week LP relaxation's is
        bound = min(guidance.bound if guidance else 0.0, objective)
        gap = max(0.0, (objective - bound) / max(1.0, abs(objective)))
        result = RosterResult(
            status="OPTIMAL" if gap <= 1e-9 else "FEASIBLE",
            assignments=assignments,
            coverage=coverage,
            under=under,
            over=over,
            objective=objective,
            bound=bound,
            gap=gap,
            wall_time_s=time.monotonic() - self.budget.started,
            solver_parameters={
                "time_limit_s": float(settings.time_limit_s),
                "num_workers": settings.workers,
                "random_seed": settings.seed,
                "relative_gap_limit": settings.relative_gap_limit,
                "phases": self.phases,
                "solution_from": self._source(source_is_cp_sat),
            },
            unmet_wishes=unmet_wishes(problem, assignments),
            objective_terms=terms,
        )
        result.violations = explain_violations(
            problem, self.relax.options, self.relax.allowed, check_roster(problem, result)
        )
        result.rule_checks = dict.fromkeys(rule_names(), 0)
        for violation in result.violations:
            result.rule_checks[violation.rule] = result.rule_checks.get(violation.rule, 0) + 1
        if result.violations:
            # only possible when no roster satisfying every hard rule was found:
            # INFEASIBLE when one is proven impossible (a contract minimum no
            # template combination reaches), else UNKNOWN. CP-SAT's INFEASIBLE
            # is no proof: its model is restricted to the shifts kept so far.
            proven = any(v.params.get("cause") == CAUSE_UNREACHABLE for v in result.violations)
            result.status = "INFEASIBLE" if proven else "UNKNOWN"
        return result
