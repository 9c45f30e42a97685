"""Contract minimums with short templates (issue #25): kept whenever some roster keeps
them, and when none can, the result says who, which week and why."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import replace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zhiren.workforce.engine.cli import main
from zhiren.workforce.engine.errors import EngineInputError
from zhiren.workforce.engine.roster import SolverSettings, solve_roster
from zhiren.workforce.engine.roster.diagnosis import (
    CAUSE_NOT_FOUND,
    CAUSE_UNREACHABLE,
    explain_violations,
)
from zhiren.workforce.engine.roster.greedy import repair_contracts
from zhiren.workforce.engine.roster.model import RosterModel
from zhiren.workforce.engine.roster.problem import (
    MINUTES_PER_DAY,
    Agent,
    BreakRule,
    LaborRules,
    RosterProblem,
    RosterResult,
    ShiftChoice,
    ShiftTemplate,
    Violation,
)
from zhiren.workforce.engine.roster.readback import roster_assignments
from zhiren.workforce.engine.roster.rules import check_roster
from zhiren.workforce.engine.roster.samples import generate_peak_problem
from zhiren.workforce.engine.roster.validation import validate_problem
from zhiren.workforce.engine.roster_io import load_problem

from .roster_cases import demand_blocks

LUNCH = (BreakRule("break", 15, 90, 150), BreakRule("lunch", 60, 210, 300, paid=False))
DAY = ShiftTemplate("day", 8 * 60, 10 * 60, 9 * 60, 60, breaks=LUNCH)  # 8 h paid
PEAK = ShiftTemplate("peak", 9 * 60, 15 * 60, 4 * 60, 60)  # 4 h paid
NIGHT = ShiftTemplate("night", 22 * 60, 22 * 60, 8 * 60, 60, True, late=True)
FAST = SolverSettings(time_limit_s=3, workers=1, seed=0, reopt_passes=1)


def one_agent(agent: Agent, templates: list[ShiftTemplate], days: int = 7) -> RosterProblem:
    return RosterProblem(
        days=days,
        demand=demand_blocks(days, {"voice": [(d, 9 * 60, 13 * 60, 3) for d in range(days)]}),
        agents=[agent],
        templates=templates,
    )


def checked(problem: RosterProblem, choices: list[dict[int, ShiftChoice]]) -> list[Violation]:
    """The independent checker's verdict on a roster of option choices."""
    relax = RosterModel(problem, aggregate=True, skeleton=True)
    assignments, coverage = roster_assignments(problem, relax.options, relax.groups, choices)
    under = {
        q: [max(0, r - c) for r, c in zip(d, coverage[q], strict=True)]
        for q, d in problem.demand.items()
    }
    over = {
        q: [max(0, c - r) for r, c in zip(d, coverage[q], strict=True)]
        for q, d in problem.demand.items()
    }
    result = RosterResult("FEASIBLE", assignments, coverage, under, over, 0, 0, 0, 0, {}, [])
    return check_roster(problem, result)


# -- the shape --------------------------------------------------------


def test_peak_shape_keeps_every_contract_minimum():
    """Before the fix the day-by-day dealing gave these agents 4-hour shifts until
    the minimum was out of reach, and the top-up could only add shifts on free
    days: 4 agent-weeks below the minimum (24 h against 32)."""
    problem = generate_peak_problem(24, 14, 0, start_step=60)
    result = solve_roster(problem, replace(FAST, time_limit_s=6, dealing="day"))
    assert check_roster(problem, result) == []
    assert result.violations == []
    assert result.status in ("FEASIBLE", "OPTIMAL")


def test_repair_trades_short_shifts_for_long_ones():
    """Six 4-hour shifts (24 h, no free day left under the rest-day rule)
    against a 32-hour minimum: the repair lengthens two of them."""
    agent = Agent("a", ("voice",), min_minutes_week=32 * 60, max_minutes_week=40 * 60)
    problem = one_agent(agent, [DAY, PEAK])
    relax = RosterModel(problem, aggregate=True, skeleton=True)
    peak = next(o.index for o in relax.options if o.template is PEAK)
    choices = [{d: ShiftChoice(peak, ()) for d in range(6)}]
    assert [v.rule for v in checked(problem, choices)] == ["min_contract_hours"]
    repaired, short = repair_contracts(problem, relax, choices)
    assert short == []
    assert checked(problem, repaired) == []
    templates = Counter(relax.options[k].template.name for k, _ in repaired[0].values())
    assert templates["day"] >= 2


def test_repair_re_deals_two_weeks_when_the_boundary_blocks_one():
    """Nights on Thursday to Sunday; next week the agent is there Monday to
    Thursday only and needs four long shifts: a night cannot be followed by a
    day shift, and at most 5 days in a row. Only re-dealing both weeks helps."""
    agent = Agent(
        "a",
        ("voice",),
        min_minutes_week=32 * 60,
        max_minutes_week=40 * 60,
        availability=tuple((d, 0, 30 * 60) for d in range(11)),
    )
    problem = replace(
        one_agent(agent, [DAY, PEAK, NIGHT], days=14),
        rules=LaborRules(
            max_consecutive_days=5, banned_transitions=(("night", "day"), ("night", "peak"))
        ),
    )
    relax = RosterModel(problem, aggregate=True, skeleton=True)
    night = next(o.index for o in relax.options if o.template is NIGHT)
    peak = next(o.index for o in relax.options if o.template is PEAK)
    choices = [{d: ShiftChoice(night, ()) for d in (3, 4, 5, 6)}]
    choices[0].update({d: ShiftChoice(peak, ()) for d in (8, 9, 10)})
    assert [v.rule for v in checked(problem, choices)] == ["min_contract_hours"]
    repaired, short = repair_contracts(problem, relax, choices)
    assert short == []
    assert checked(problem, repaired) == []


def test_unreachable_minimum_says_so_and_is_infeasible():
    """Availability of 4 hours a day: no template combination reaches 32 h."""
    agent = Agent(
        "short.days",
        ("voice",),
        min_minutes_week=32 * 60,
        max_minutes_week=40 * 60,
        availability=tuple((d, 9 * 60, 13 * 60) for d in range(7)),
    )
    problem = one_agent(agent, [DAY, PEAK])
    result = solve_roster(problem, FAST)
    [violation] = result.violations
    assert violation.rule == "min_contract_hours"
    assert violation.agent_id == "short.days" and violation.day == 0
    assert violation.params["cause"] == CAUSE_UNREACHABLE
    assert violation.params["reachable"] == 6 * 240  # six 4-hour shifts, one rest day
    assert "no template combination reaches 1920 minutes" in violation.detail
    assert result.status == "INFEASIBLE"


def test_a_reachable_minimum_left_short_is_not_called_impossible():
    agent = Agent("a", ("voice",), min_minutes_week=32 * 60, max_minutes_week=40 * 60)
    problem = one_agent(agent, [DAY, PEAK])
    relax = RosterModel(problem, aggregate=True, skeleton=True)
    short = Violation(
        "min_contract_hours", "a", 0, "960 < 1920 minutes", {"value": 960, "limit": 1920}
    )
    [explained] = explain_violations(problem, relax.options, relax.allowed, [short])
    assert explained.params["cause"] == CAUSE_NOT_FOUND
    assert explained.params["reachable"] == 40 * 60
    assert "not found in the time given" in explained.detail


# -- templates limited to agent groups ------------------------------------------


def test_a_template_limited_to_part_timers_goes_to_part_timers_only():
    part_peak = replace(PEAK, agent_groups=frozenset({"part_time"}))
    agents = [
        Agent("full", ("voice",), 32 * 60, 40 * 60),
        Agent("part", ("voice",), 12 * 60, 24 * 60, groups=frozenset({"part_time"})),
    ]
    problem = RosterProblem(
        days=7,
        demand=demand_blocks(7, {"voice": [(d, 9 * 60, 13 * 60, 2) for d in range(7)]}),
        agents=agents,
        templates=[DAY, part_peak],
    )
    result = solve_roster(problem, FAST)
    assert result.violations == []
    assert {a.template for a in result.assignments if a.agent_id == "full"} == {"day"}
    assert any(a.template == "peak" for a in result.assignments if a.agent_id == "part")


def test_a_template_limited_to_short_contracts_goes_to_those_agents_only():
    part_peak = replace(PEAK, max_contract_minutes=24 * 60)
    agents = [
        Agent("full", ("voice",), 32 * 60, 40 * 60),
        Agent("part", ("voice",), 12 * 60, 24 * 60),
    ]
    problem = RosterProblem(
        days=7,
        demand=demand_blocks(7, {"voice": [(d, 9 * 60, 13 * 60, 2) for d in range(7)]}),
        agents=agents,
        templates=[DAY, part_peak],
    )
    result = solve_roster(problem, FAST)
    assert result.violations == []
    assert {a.template for a in result.assignments if a.agent_id == "full"} == {"day"}
    assert any(a.template == "peak" for a in result.assignments if a.agent_id == "part")


def test_a_template_limited_to_an_unknown_group_is_refused():
    problem = one_agent(
        Agent("a", ("voice",)), [DAY, replace(PEAK, agent_groups=frozenset({"part_tme"}))]
    )
    with pytest.raises(EngineInputError) as error:
        validate_problem(problem)
    assert error.value.column == "templates[1].agent_groups"
    assert "part_tme" in str(error.value)


def test_json_reads_template_groups_and_agent_groups(tmp_path):
    data = {
        "days": 7,
        "demand": {"voice": [{"day": 0, "start": "09:00", "end": "13:00", "agents": 1}]},
        "templates": [
            {"name": "day", "earliest_start": "08:00", "length_hours": 8},
            {
                "name": "peak",
                "earliest_start": "09:00",
                "latest_start": "15:00",
                "length_hours": 4,
                "agent_groups": ["part_time"],
                "max_contract_hours": 24,
            },
        ],
        "agents": [{"id": "p", "skills": ["voice"], "max_hours_week": 24, "groups": ["part_time"]}],
    }
    path = tmp_path / "p.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    problem, _ = load_problem(path)
    assert problem.templates[1].agent_groups == frozenset({"part_time"})
    assert problem.templates[0].agent_groups == frozenset()
    assert problem.templates[1].max_contract_minutes == 24 * 60
    assert problem.templates[0].max_contract_minutes is None
    assert problem.agents[0].groups == frozenset({"part_time"})


def test_cli_names_the_agent_week_and_cause(tmp_path, capsys):
    data = {
        "days": 7,
        "demand": {"voice": [{"day": 0, "start": "09:00", "end": "13:00", "agents": 1}]},
        "templates": [
            {"name": "day", "earliest_start": "08:00", "length_hours": 8},
            {"name": "peak", "earliest_start": "09:00", "latest_start": "15:00", "length_hours": 4},
        ],
        "agents": [
            {
                "id": "li.na",
                "skills": ["voice"],
                "min_hours_week": 32,
                "availability": [{"day": d, "start": "09:00", "end": "13:00"} for d in range(7)],
            }
        ],
        "solver": {"time_limit_s": 3, "workers": 1},
    }
    source, out = tmp_path / "p.json", tmp_path / "r.json"
    source.write_text(json.dumps(data), encoding="utf-8")
    assert main(["roster", "--input", str(source), "--output", str(out)]) == 1
    printed = capsys.readouterr().out
    assert "INFEASIBLE" in printed
    assert "no valid roster: 1 impossible" in printed
    assert "min_contract_hours li.na week 1" in printed
    [violation] = json.loads(out.read_text(encoding="utf-8"))["violations"]
    assert violation["params"]["cause"] == "unreachable"


# -- property: a constructive roster proves feasibility, the engine finds one ---


def constructive_roster(problem: RosterProblem) -> dict[str, list[tuple[int, str, int]]] | None:
    """Per agent a list of (day, template, start) meeting every per-agent hard rule,
    found by depth-first search over each agent's days (agents never constrain
    each other: coverage is soft); templates at their earliest and latest start.
    ``None`` when some agent has none. Written from the rules' text, sharing no
    engine code."""
    roster = {}
    for agent in problem.agents:
        pattern = _agent_pattern(problem, agent)
        if pattern is None:
            return None
        roster[agent.id] = [(d, t.name, s) for d, t, s in pattern]
    return roster


def _may_take(agent: Agent, day: int, template: ShiftTemplate, start: int) -> bool:
    """Groups, contract, leave on every day the shift touches, inside one availability window."""
    if template.agent_groups and not template.agent_groups & agent.groups:
        return False
    if (
        template.max_contract_minutes is not None
        and agent.max_minutes_week > template.max_contract_minutes
    ):
        return False
    end = start + template.length_minutes
    if any(d in agent.leave_days for d in range(day, day + (end - 1) // MINUTES_PER_DAY + 1)):
        return False
    if agent.availability is None:
        return True
    a, b = day * MINUTES_PER_DAY + start, day * MINUTES_PER_DAY + end
    return any(
        wd * MINUTES_PER_DAY + ws <= a and b <= wd * MINUTES_PER_DAY + we
        for wd, ws, we in agent.availability
    )


def _agent_pattern(
    problem: RosterProblem, agent: Agent
) -> list[tuple[int, ShiftTemplate, int]] | None:
    rules = problem.rules
    options = [
        (t, s)
        for t in problem.templates
        if t.paid_minutes <= rules.max_minutes_per_day
        for s in sorted({t.earliest_start, t.latest_start})
    ]
    longest = max(t.paid_minutes for t, _ in options)
    weeks = [range(w, min(w + 7, problem.days)) for w in range(0, problem.days, 7)]
    limit = min(agent.max_minutes_week, rules.max_minutes_per_week)
    minima = [
        agent.min_minutes_week * sum(1 for d in week if d not in agent.leave_days) // 7
        for week in weeks
    ]
    chosen: list[tuple[int, ShiftTemplate, int]] = []

    def fits(day: int, template: ShiftTemplate, start: int) -> bool:
        """Rest and bans after yesterday's shift; the run of working days."""
        if chosen and chosen[-1][0] == day - 1:
            _, previous, previous_start = chosen[-1]
            gap = MINUTES_PER_DAY + start - (previous_start + previous.length_minutes)
            if gap < rules.min_rest_minutes:
                return False
            if (previous.kind, template.kind) in rules.banned_transitions:
                return False
        run = 1
        while len(chosen) >= run and chosen[-run][0] == day - run:
            run += 1
        return run <= rules.max_consecutive_days

    def week_ok(w: int) -> bool:
        mine = [t for d, t, _ in chosen if d in weeks[w]]
        minutes = sum(t.paid_minutes for t in mine)
        if len(weeks[w]) == 7 and 7 - len(mine) < rules.min_rest_days_per_week:
            return False
        return minima[w] <= minutes <= limit

    def search(day: int) -> bool:
        if day == problem.days:
            return week_ok(len(weeks) - 1)
        if day % 7 == 0 and day > 0 and not week_ok(day // 7 - 1):
            return False
        week = weeks[day // 7]
        minutes = sum(t.paid_minutes for d, t, _ in chosen if d in week)
        if minutes + (week.stop - day) * longest < minima[day // 7]:
            return False  # the week's minimum is out of reach
        for template, start in options:
            if (
                minutes + template.paid_minutes <= limit
                and _may_take(agent, day, template, start)
                and fits(day, template, start)
            ):
                chosen.append((day, template, start))
                if search(day + 1):
                    return True
                chosen.pop()
        return search(day + 1)

    return list(chosen) if search(0) else None


@st.composite
def small_instances(draw: st.DrawFn) -> RosterProblem:
    days = draw(st.integers(7, 10))
    long_day = ShiftTemplate("day", 8 * 60, 10 * 60, 9 * 60, 60, breaks=LUNCH)
    early = ShiftTemplate("early", 6 * 60, 7 * 60, 8 * 60, 60)
    peak = ShiftTemplate(
        "peak",
        9 * 60,
        15 * 60,
        draw(st.sampled_from([3, 4])) * 60,
        60,
        agent_groups=draw(st.sampled_from([frozenset(), frozenset({"part_time"})])),
        max_contract_minutes=draw(st.sampled_from([None, 24 * 60])),
    )
    night = ShiftTemplate("night", 22 * 60, 22 * 60, 8 * 60, 60, True, late=True)
    templates = [peak, early, long_day, night]
    agents = []
    for i in range(draw(st.integers(2, 4))):
        part_time = draw(st.booleans())
        low, high = (12, 24) if part_time else draw(st.sampled_from([(32, 40), (36, 44)]))
        availability = None
        if draw(st.booleans()):  # no nights, some days only in the daytime
            availability = tuple(
                (d, 6 * 60, (19 if draw(st.booleans()) else 23) * 60) for d in range(days)
            )
        agents.append(
            Agent(
                f"a{i}",
                ("voice",),
                low * 60,
                high * 60,
                availability=availability,
                leave_days=frozenset(draw(st.sets(st.integers(0, days - 1), max_size=2))),
                groups=frozenset({"part_time"}) if part_time else frozenset(),
            )
        )
    rules = LaborRules(
        max_minutes_per_week=44 * 60,
        banned_transitions=(("night", "early"), ("night", "day")),
    )
    demand = {"voice": [(d, 9 * 60, 13 * 60, draw(st.integers(1, 3))) for d in range(days)]}
    demand["voice"] += [(d, 22 * 60, 24 * 60, 1) for d in range(days)]
    problem = RosterProblem(days, demand_blocks(days, demand), agents, templates, rules)
    if any(t.agent_groups for t in templates) and not any(a.groups for a in agents):
        templates[0] = replace(peak, agent_groups=frozenset())
    return problem


@settings(
    max_examples=8,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(small_instances())
def test_feasible_instances_get_a_valid_roster(problem):
    proof = constructive_roster(problem)
    result = solve_roster(problem, replace(FAST, time_limit_s=2))
    if proof is None:
        # no constructive roster: whatever the engine returns, its violations say why
        assert all("cause" in v.params for v in result.violations if v.agent_id)
        return
    assert check_roster(problem, result) == []
    assert result.violations == []
