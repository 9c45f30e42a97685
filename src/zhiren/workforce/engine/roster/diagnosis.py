"""Why a rule is broken in a returned roster: impossible, or not found in time.

The solver returns a roster that breaks a hard rule only when it found none
that keeps them all. For the contract minimum (the one rule a heuristic
cannot keep by construction) this module tells the two cases apart per agent
and week: `reachable_minutes` is an upper bound on the paid minutes the agent
can work in that week alone, under its leave, availability and the labour
rules, whatever the other agents and weeks do. Below the minimum, no roster
meets it (cause ``unreachable``); otherwise the solver ran out of time or
moves (cause ``not_found``). The causes travel as codes with parameters in
`Violation.params`, like the rules themselves.
"""

from __future__ import annotations

from dataclasses import replace

from .problem import MINUTES_PER_DAY, AllowedOptions, RosterProblem, ShiftOption, Violation

__all__ = ["CAUSE_NOT_FOUND", "CAUSE_UNREACHABLE", "explain_violations", "reachable_minutes"]

CAUSE_UNREACHABLE = "unreachable"  # no template combination reaches the minimum
CAUSE_NOT_FOUND = "not_found"  # reachable for the week alone; not found in the time given


def reachable_minutes(
    problem: RosterProblem,
    options: list[ShiftOption],
    allowed_days: list[list[int]],
    week: range,
    maximum: int,
) -> int:
    """An upper bound on the paid minutes one agent can work in ``week``
    (``allowed_days[day]``: its options that day), capped at ``maximum``.

    Dynamic programming over the week's days with the state (yesterday's
    option or none, days in the current run, days worked): one shift a day,
    the minimum rest and the transition bans between consecutive days, the
    longest run and the week's rest days hold; the weeks around are ignored,
    so the true figure is at most this."""
    rules = problem.rules
    bans = set(rules.banned_transitions)
    work_days = 7 - rules.min_rest_days_per_week if len(week) == 7 else len(week)
    # state -> the most minutes so far
    states: dict[tuple[int | None, int, int], int] = {(None, 0, 0): 0}
    for day in week:
        nxt: dict[tuple[int | None, int, int], int] = {}
        for (previous, run, worked), minutes in states.items():
            _keep(nxt, (None, 0, worked), minutes)
            if worked >= work_days or run >= rules.max_consecutive_days:
                continue
            for k in allowed_days[day]:
                option = options[k]
                if previous is not None:
                    before = options[previous]
                    if (before.template.kind, option.template.kind) in bans:
                        continue
                    if MINUTES_PER_DAY + option.start - before.end < rules.min_rest_minutes:
                        continue
                _keep(nxt, (k, run + 1, worked + 1), minutes + option.template.paid_minutes)
        states = nxt
    return min(maximum, max(states.values(), default=0))


def _keep(
    states: dict[tuple[int | None, int, int], int], state: tuple[int | None, int, int], minutes: int
) -> None:
    if states.get(state, -1) < minutes:
        states[state] = minutes


def explain_violations(
    problem: RosterProblem,
    options: list[ShiftOption],
    allowed: AllowedOptions,
    violations: list[Violation],
) -> list[Violation]:
    """``violations`` with a ``cause`` (and, for the contract minimum, the
    ``reachable`` minutes) in their parameters and detail."""
    agent_index = {a.id: i for i, a in enumerate(problem.agents)}
    weeks = problem.weeks()
    explained = []
    for violation in violations:
        if violation.rule != "min_contract_hours" or violation.agent_id not in agent_index:
            if violation.agent_id is not None:
                violation = replace(
                    violation, params={**violation.params, "cause": CAUSE_NOT_FOUND}
                )
            explained.append(violation)
            continue
        ai = agent_index[violation.agent_id]
        agent = problem.agents[ai]
        week = weeks[(violation.day or 0) // 7]
        maximum = min(agent.max_minutes_week, problem.rules.max_minutes_per_week)
        reachable = reachable_minutes(problem, options, allowed[ai], week, maximum)
        limit = int(violation.params.get("limit", 0))
        if reachable < limit:
            cause = CAUSE_UNREACHABLE
            why = (
                f"no template combination reaches {limit} minutes within the availability"
                f" given (at most {reachable})"
            )
        else:
            cause = CAUSE_NOT_FOUND
            why = (
                f"{reachable} minutes are reachable in this week alone; not found in the time given"
            )
        explained.append(
            replace(
                violation,
                detail=f"{violation.detail}: {why}",
                params={**violation.params, "cause": cause, "reachable": reachable},
            )
        )
    return explained
