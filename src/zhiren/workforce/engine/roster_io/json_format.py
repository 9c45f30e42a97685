"""JSON in, JSON and CSV out for rostering (format: docs/wfm/roster.md).

Every problem with the input raises `EngineInputError` whose ``column`` is the
JSON path of the offending field (``agents[3].skills``) and whose ``row`` is
the 1-based position in the list where that applies.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

from ..errors import EngineInputError
from ..roster.problem import (
    MINUTES_PER_DAY,
    SLOT_MINUTES,
    SLOTS_PER_DAY,
    Agent,
    BreakRule,
    LaborRules,
    RosterProblem,
    RosterResult,
    RosterWeights,
    ShiftTemplate,
)

__all__ = [
    "load_problem",
    "problem_from_json",
    "result_to_json",
    "write_coverage_csv",
    "solver_options_from_json",
]

JsonObject = dict[str, Any]
"""A JSON object as ``json.load`` gives it: values are checked as they are read."""


def _clock(value: Any, path: str, row: int | None = None) -> int:
    """``"HH:MM"`` (hours may exceed 23 for times past midnight) or minutes."""
    if isinstance(value, bool):
        raise EngineInputError("expected a time 'HH:MM' or minutes", row=row, column=path)
    if isinstance(value, int):
        minutes = value
    elif isinstance(value, str):
        parts = value.split(":")
        if len(parts) != 2 or not all(p.isdigit() for p in parts) or int(parts[1]) >= 60:
            raise EngineInputError(f"{value!r} is not a time 'HH:MM'", row=row, column=path)
        minutes = int(parts[0]) * 60 + int(parts[1])
    else:
        raise EngineInputError("expected a time 'HH:MM' or minutes", row=row, column=path)
    if minutes < 0 or minutes % SLOT_MINUTES:
        raise EngineInputError(
            f"{value!r} is not on the {SLOT_MINUTES}-minute grid", row=row, column=path
        )
    return minutes


def _int(obj: JsonObject, key: str, path: str, default: Any = None, row: int | None = None) -> int:
    value = obj.get(key, default)
    if value is None or isinstance(value, bool) or not isinstance(value, int):
        raise EngineInputError("expected a whole number", row=row, column=f"{path}.{key}")
    return value


def _hours(obj: JsonObject, key: str, path: str, default: float, row: int | None = None) -> int:
    value = obj.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
        raise EngineInputError(
            "expected a non-negative number of hours", row=row, column=f"{path}.{key}"
        )
    return round(value * 60)


def _list(
    obj: JsonObject, key: str, path: str, default: Any = None, row: int | None = None
) -> list[Any]:
    value = obj.get(key, default)
    if not isinstance(value, list):
        raise EngineInputError("expected a list", row=row, column=f"{path}.{key}")
    return value


def _dict(value: Any, path: str, row: int | None = None) -> JsonObject:
    if not isinstance(value, dict):
        raise EngineInputError("expected an object", row=row, column=path)
    return value


def _days_list(obj: JsonObject, key: str, path: str, days: int, row: int | None) -> frozenset[int]:
    out = set()
    for i, d in enumerate(_list(obj, key, path, [], row)):
        if isinstance(d, bool) or not isinstance(d, int) or not 0 <= d < days:
            raise EngineInputError(
                f"day must be 0..{days - 1}", row=row, column=f"{path}.{key}[{i}]"
            )
        out.add(d)
    return frozenset(out)


def _demand(data: JsonObject, days: int) -> dict[str, list[int]]:
    raw = _dict(data.get("demand"), "demand")
    if not raw:
        raise EngineInputError("at least one queue is needed", column="demand")
    n = days * SLOTS_PER_DAY
    out: dict[str, list[int]] = {}
    for queue, spec in raw.items():
        path = f"demand.{queue}"
        if not isinstance(spec, list):
            raise EngineInputError("expected a list", column=path)
        if all(isinstance(v, int) and not isinstance(v, bool) for v in spec):
            if len(spec) != n:
                raise EngineInputError(f"has {len(spec)} intervals, expected {n}", column=path)
            for i, v in enumerate(spec):
                if v < 0:
                    raise EngineInputError("must not be negative", row=i + 1, column=f"{path}[{i}]")
            out[queue] = list(spec)
            continue
        values = [0] * n
        for i, block in enumerate(spec):
            bpath = f"{path}[{i}]"
            block = _dict(block, bpath, i + 1)
            day = _int(block, "day", bpath, row=i + 1)
            if not 0 <= day < days:
                raise EngineInputError(
                    f"day must be 0..{days - 1}", row=i + 1, column=f"{bpath}.day"
                )
            start = _clock(block.get("start"), f"{bpath}.start", i + 1)
            end = _clock(block.get("end"), f"{bpath}.end", i + 1)
            if end <= start:
                raise EngineInputError("end must be after start", row=i + 1, column=f"{bpath}.end")
            agents = _int(block, "agents", bpath, row=i + 1)
            if agents < 0:
                raise EngineInputError("must not be negative", row=i + 1, column=f"{bpath}.agents")
            first = (day * MINUTES_PER_DAY + start) // SLOT_MINUTES
            last = min(n, (day * MINUTES_PER_DAY + end) // SLOT_MINUTES)
            for t in range(first, last):
                values[t] = agents
        out[queue] = values
    return out


def problem_from_json(data: Any) -> RosterProblem:
    """Build a `RosterProblem` from parsed JSON (see docs/wfm/roster.md)."""
    data = _dict(data, "$")
    days = _int(data, "days", "$")
    if days < 1:
        raise EngineInputError("must be at least 1", column="days")
    demand = _demand(data, days)
    templates = [_template(t, i) for i, t in enumerate(_list(data, "templates", "$"))]
    if not templates:
        raise EngineInputError("at least one shift template is needed", column="templates")
    agents = [_agent(a, i, days) for i, a in enumerate(_list(data, "agents", "$"))]
    rules = _rules(_dict(data.get("rules", {}), "rules"))
    weights = _weights(_dict(data.get("weights", {}), "weights"))
    start_weekday = _int(data, "start_weekday", "$", 0)
    problem = RosterProblem(
        days=days,
        demand=demand,
        agents=agents,
        templates=templates,
        rules=rules,
        weights=weights,
        start_weekday=start_weekday,
    )
    from ..roster.validation import validate_problem  # the same checks, the same paths

    validate_problem(problem)
    return problem


def _template(data: Any, i: int) -> ShiftTemplate:
    """``templates[i]``."""
    path = f"templates[{i}]"
    row = i + 1
    data = _dict(data, path, row)
    name = data.get("name")
    if not isinstance(name, str) or not name:
        raise EngineInputError("a name is needed", row=row, column=f"{path}.name")
    if "length_minutes" in data:
        length = _int(data, "length_minutes", path, row=row)
    else:
        length = _hours(data, "length_hours", path, -1, row)
    breaks = []
    for j, item in enumerate(_list(data, "breaks", path, [], row)):
        break_path = f"{path}.breaks[{j}]"
        item = _dict(item, break_path, row)
        breaks.append(
            BreakRule(
                name=str(item.get("name", f"break{j + 1}")),
                length_minutes=_int(item, "length_minutes", break_path, row=row),
                earliest_after=_int(item, "earliest_after_minutes", break_path, row=row),
                latest_after=_int(item, "latest_after_minutes", break_path, row=row),
                paid=bool(item.get("paid", True)),
            )
        )
    return ShiftTemplate(
        name=name,
        earliest_start=_clock(data.get("earliest_start"), f"{path}.earliest_start", row),
        latest_start=_clock(
            data.get("latest_start", data.get("earliest_start")), f"{path}.latest_start", row
        ),
        length_minutes=length,
        start_step=_int(data, "start_step_minutes", path, SLOT_MINUTES, row),
        may_cross_midnight=bool(data.get("may_cross_midnight", False)),
        breaks=tuple(breaks),
        category=str(data.get("category", "")),
        late=bool(data.get("late", False)),
        agent_groups=_names(data, "agent_groups", path, row),
        max_contract_minutes=_hours(data, "max_contract_hours", path, -1, row)
        if data.get("max_contract_hours") is not None
        else None,
    )


def _names(data: JsonObject, key: str, path: str, row: int) -> frozenset[str]:
    """A list of names (agent groups), empty when absent."""
    names = _list(data, key, path, [], row)
    if not all(isinstance(n, str) for n in names):
        raise EngineInputError("group names expected", row=row, column=f"{path}.{key}")
    return frozenset(names)


def _agent(data: Any, i: int, days: int) -> Agent:
    """``agents[i]``."""
    path = f"agents[{i}]"
    row = i + 1
    data = _dict(data, path, row)
    agent_id = data.get("id")
    if not isinstance(agent_id, str | int) or isinstance(agent_id, bool) or agent_id == "":
        raise EngineInputError("an id is needed", row=row, column=f"{path}.id")
    skills = _list(data, "skills", path, None, row)
    if not all(isinstance(s, str) for s in skills):
        raise EngineInputError("skills are queue names", row=row, column=f"{path}.skills")
    availability = _availability(data, path, row)
    preferred = _list(data, "preferred_shifts", path, [], row)
    if not all(isinstance(s, str) for s in preferred):
        raise EngineInputError(
            "template names expected", row=row, column=f"{path}.preferred_shifts"
        )
    return Agent(
        id=str(agent_id),
        skills=tuple(skills),
        min_minutes_week=_hours(data, "min_hours_week", path, 0, row),
        max_minutes_week=_hours(data, "max_hours_week", path, 40, row),
        availability=availability,
        leave_days=_days_list(data, "leave_days", path, days, row),
        preferred_shifts=frozenset(preferred),
        preferred_days_off=_days_list(data, "preferred_days_off", path, days, row),
        groups=_names(data, "groups", path, row),
    )


def _availability(data: JsonObject, path: str, row: int) -> tuple[tuple[int, int, int], ...] | None:
    """An agent's availability windows (``None``: always available)."""
    if data.get("availability") is None:
        return None
    windows = []
    for j, item in enumerate(_list(data, "availability", path, None, row)):
        window_path = f"{path}.availability[{j}]"
        item = _dict(item, window_path, row)
        day = _int(item, "day", window_path, row=row)
        start = _clock(item.get("start"), f"{window_path}.start", row)
        end = _clock(item.get("end"), f"{window_path}.end", row)
        if end <= start:
            raise EngineInputError("end must be after start", row=row, column=f"{window_path}.end")
        windows.append((day, start, end))
    return tuple(windows)


def _rules(data: JsonObject) -> LaborRules:
    bans = []
    for i, pair in enumerate(_list(data, "banned_transitions", "rules", [])):
        if not (
            isinstance(pair, list) and len(pair) == 2 and all(isinstance(x, str) for x in pair)
        ):
            raise EngineInputError(
                "expected [kind_before, kind_after]",
                row=i + 1,
                column=f"rules.banned_transitions[{i}]",
            )
        bans.append((pair[0], pair[1]))
    return LaborRules(
        min_rest_minutes=_hours(data, "min_rest_hours", "rules", 11),
        max_consecutive_days=_int(data, "max_consecutive_days", "rules", 6),
        min_rest_days_per_week=_int(data, "min_rest_days_per_week", "rules", 1),
        max_minutes_per_day=_hours(data, "max_hours_per_day", "rules", 10),
        max_minutes_per_week=_hours(data, "max_hours_per_week", "rules", 48),
        banned_transitions=tuple(bans),
    )


def _weights(data: JsonObject) -> RosterWeights:
    defaults = RosterWeights()
    names = (
        "under",
        "over",
        "preferred_shift",
        "preferred_day_off",
        "weekend_spread",
        "late_spread",
    )
    return RosterWeights(**{f: _int(data, f, "weights", getattr(defaults, f)) for f in names})


def solver_options_from_json(data: Any) -> dict[str, Any]:
    """The optional ``solver`` object: time_limit_s, workers, seed."""
    solver = _dict(data.get("solver", {}) if isinstance(data, dict) else {}, "solver")
    out: dict[str, Any] = {}
    if "time_limit_s" in solver:
        value = solver["time_limit_s"]
        if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
            raise EngineInputError(
                "expected a positive number of seconds", column="solver.time_limit_s"
            )
        out["time_limit_s"] = float(value)
    for key in ("workers", "seed"):
        if key in solver:
            out[key] = _int(solver, key, "solver")
    return out


def load_problem(path: str | Path) -> tuple[RosterProblem, dict[str, Any]]:
    text = Path(path).read_text(encoding="utf-8")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise EngineInputError(f"invalid JSON: {exc.msg}", row=exc.lineno, column="$") from exc
    return problem_from_json(data), solver_options_from_json(data)


def _hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def result_to_json(problem: RosterProblem, result: RosterResult) -> dict[str, Any]:
    """Everything the solver returns, in plain JSON types."""
    slots = problem.num_slots
    unmet = []
    for q in problem.demand:
        for t in range(slots):
            if result.under.get(q) and result.under[q][t]:
                day, slot = divmod(t, SLOTS_PER_DAY)
                unmet.append(
                    {
                        "queue": q,
                        "day": day,
                        "time": _hhmm(slot * SLOT_MINUTES),
                        "required": problem.demand[q][t],
                        "covered": result.coverage[q][t],
                        "missing": result.under[q][t],
                    }
                )
    return {
        "status": result.status,
        "objective": result.objective,
        "bound": result.bound,
        "gap": result.gap,
        "objective_terms": result.objective_terms,
        "wall_time_s": round(result.wall_time_s, 3),
        "solver": result.solver_parameters,
        "under_agent_hours": result.under_agent_hours,
        "over_agent_hours": result.over_agent_hours,
        "rule_checks": result.rule_checks,
        "violations": [
            {
                "rule": v.rule,
                "agent": v.agent_id,
                "day": v.day,
                "detail": v.detail,
                "params": dict(v.params),
            }
            for v in result.violations
        ],
        "assignments": [
            {
                "agent": a.agent_id,
                "day": a.day,
                "template": a.template,
                "start": _hhmm(a.start),
                "end": _hhmm(a.end),
                "breaks": [{"start": _hhmm(s), "end": _hhmm(e)} for s, e in a.breaks],
                "queues": list(a.queues),
            }
            for a in result.assignments
        ],
        "unmet_demand": unmet,
        "unmet_wishes": [
            {"agent": w.agent_id, "day": w.day, "kind": w.kind, "detail": w.detail}
            for w in result.unmet_wishes
        ],
    }


def write_coverage_csv(problem: RosterProblem, result: RosterResult, path: str | Path) -> None:
    """One row per interval and queue: required, covered, under, over."""
    with Path(path).open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["day", "time", "queue", "required", "covered", "under", "over"])
        for t in range(problem.num_slots):
            day, slot = divmod(t, SLOTS_PER_DAY)
            for q in problem.demand:
                writer.writerow(
                    [
                        day,
                        _hhmm(slot * SLOT_MINUTES),
                        q,
                        problem.demand[q][t],
                        result.coverage.get(q, [0] * problem.num_slots)[t],
                        result.under.get(q, [0] * problem.num_slots)[t],
                        result.over.get(q, [0] * problem.num_slots)[t],
                    ]
                )
