"""Input checks: `validate_problem` names the field of the first inconsistency."""

from __future__ import annotations

from ..errors import EngineInputError
from .problem import MINUTES_PER_DAY, SLOT_MINUTES, RosterProblem

__all__ = ["validate_problem"]


def _check_grid(value: int, column: str) -> None:
    if value % SLOT_MINUTES:
        raise EngineInputError(f"{value} is not on the {SLOT_MINUTES}-minute grid", column=column)


def validate_problem(problem: RosterProblem) -> None:
    """Raise `EngineInputError` naming the field of the first inconsistency."""
    _validate_horizon_and_demand(problem)
    template_names = _validate_templates(problem)
    _validate_agents(problem, template_names)
    _validate_template_groups(problem)
    _validate_bans(problem)


def _validate_horizon_and_demand(problem: RosterProblem) -> None:
    """Days, weekday, and demand of the horizon's length, never negative."""
    if problem.days < 1:
        raise EngineInputError("must be at least 1", column="days")
    if not 0 <= problem.start_weekday <= 6:
        raise EngineInputError("must be 0 (Monday) to 6 (Sunday)", column="start_weekday")
    for queue, values in problem.demand.items():
        if len(values) != problem.num_slots:
            raise EngineInputError(
                f"has {len(values)} intervals, expected {problem.num_slots}",
                column=f"demand.{queue}",
            )
        for i, v in enumerate(values):
            if v < 0:
                raise EngineInputError("must not be negative", column=f"demand.{queue}[{i}]")


def _validate_templates(problem: RosterProblem) -> set[str]:
    """Unique names, the grid, start windows, midnight, breaks in order; returns the names."""
    names = set()
    for i, t in enumerate(problem.templates):
        path = f"templates[{i}]"
        if t.name in names:
            raise EngineInputError(f"duplicate template name {t.name!r}", column=f"{path}.name")
        names.add(t.name)
        for attr in ("earliest_start", "latest_start", "length_minutes", "start_step"):
            _check_grid(getattr(t, attr), f"{path}.{attr}")
        if t.start_step <= 0:
            raise EngineInputError("must be positive", column=f"{path}.start_step")
        if t.length_minutes <= 0:
            raise EngineInputError("must be positive", column=f"{path}.length_minutes")
        if not 0 <= t.earliest_start <= t.latest_start < MINUTES_PER_DAY:
            raise EngineInputError(
                "start window must satisfy 0 <= earliest_start <= latest_start < 1440",
                column=f"{path}.latest_start",
            )
        if not t.may_cross_midnight and t.latest_start + t.length_minutes > MINUTES_PER_DAY:
            raise EngineInputError(
                "shift would cross midnight but may_cross_midnight is false",
                column=f"{path}.may_cross_midnight",
            )
        prev_end = 0
        for j, b in enumerate(t.breaks):
            bpath = f"{path}.breaks[{j}]"
            for attr in ("length_minutes", "earliest_after", "latest_after"):
                _check_grid(getattr(b, attr), f"{bpath}.{attr}")
            if b.length_minutes <= 0:
                raise EngineInputError("must be positive", column=f"{bpath}.length_minutes")
            if not 0 < b.earliest_after <= b.latest_after:
                raise EngineInputError(
                    "need 0 < earliest_after <= latest_after", column=f"{bpath}.latest_after"
                )
            if b.latest_after + b.length_minutes > t.length_minutes:
                raise EngineInputError("break window ends after the shift", column=bpath)
            if b.earliest_after < prev_end:
                raise EngineInputError(
                    "break cannot start after the previous break in any placement",
                    column=f"{bpath}.earliest_after",
                )
            prev_end = b.earliest_after + b.length_minutes
    return names


def _validate_agents(problem: RosterProblem, names: set[str]) -> None:
    """Unique ids, known skills and wished templates, min <= max hours."""
    queues = set(problem.demand)
    ids = set()
    for i, a in enumerate(problem.agents):
        path = f"agents[{i}]"
        if a.id in ids:
            raise EngineInputError(f"duplicate agent id {a.id!r}", column=f"{path}.id")
        ids.add(a.id)
        if not a.skills:
            raise EngineInputError("at least one skill (queue) is needed", column=f"{path}.skills")
        for s in a.skills:
            if s not in queues:
                raise EngineInputError(f"unknown queue {s!r}", column=f"{path}.skills")
        if not 0 <= a.min_minutes_week <= a.max_minutes_week:
            raise EngineInputError("need 0 <= min <= max", column=f"{path}.min_hours_week")
        for name in a.preferred_shifts:
            if name not in names:
                raise EngineInputError(
                    f"unknown template {name!r}", column=f"{path}.preferred_shifts"
                )


def _validate_template_groups(problem: RosterProblem) -> None:
    """A template limited to agent groups names groups some agent is in; a
    contract limit is positive."""
    known = {g for a in problem.agents for g in a.groups}
    for i, t in enumerate(problem.templates):
        if t.max_contract_minutes is not None and t.max_contract_minutes <= 0:
            raise EngineInputError("must be positive", column=f"templates[{i}].max_contract_hours")
        for group in sorted(t.agent_groups):
            if not group:
                raise EngineInputError(
                    "group names must not be empty", column=f"templates[{i}].agent_groups"
                )
            if group not in known:
                raise EngineInputError(
                    f"no agent is in group {group!r}", column=f"templates[{i}].agent_groups"
                )


def _validate_bans(problem: RosterProblem) -> None:
    """Transition bans name known shift kinds."""
    kinds = {t.kind for t in problem.templates}
    for i, (a, b) in enumerate(problem.rules.banned_transitions):
        for k in (a, b):
            if k not in kinds:
                raise EngineInputError(
                    f"unknown shift kind {k!r}", column=f"rules.banned_transitions[{i}]"
                )
