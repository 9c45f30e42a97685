"""The independent checker finds planted violations of every hard rule."""

from __future__ import annotations

from dataclasses import replace

import pytest

from zhiren.workforce.engine.roster.problem import (
    MINUTES_PER_DAY,
    SLOT_MINUTES,
    SLOTS_PER_DAY,
    Agent,
    Assignment,
    BreakRule,
    LaborRules,
    RosterProblem,
    RosterResult,
    ShiftTemplate,
)
from zhiren.workforce.engine.roster.rules import check_roster, rule_names

from .roster_cases import demand_blocks

BREAKS = (BreakRule("break", 15, 120, 180), BreakRule("lunch", 30, 240, 300, paid=False))
TEMPLATES = [
    ShiftTemplate("early", 6 * 60, 8 * 60, 8 * 60, 60, breaks=BREAKS),
    ShiftTemplate("late", 14 * 60, 15 * 60, 8 * 60, 60, breaks=BREAKS, late=True),
    ShiftTemplate("night", 22 * 60, 22 * 60, 8 * 60, 60, True, late=True),
]
DAYS = 8


def problem() -> RosterProblem:
    return RosterProblem(
        days=DAYS,
        demand=demand_blocks(
            DAYS, {"voice": [(d, 6 * 60, 22 * 60, 1) for d in range(DAYS)], "chat": []}
        ),
        agents=[
            Agent("ann", ("voice",), min_minutes_week=0, max_minutes_week=40 * 60),
            Agent(
                "bo",
                ("voice", "chat"),
                min_minutes_week=0,
                max_minutes_week=40 * 60,
                availability=tuple((d, 6 * 60, 23 * 60) for d in range(DAYS)),
                leave_days=frozenset({6}),
            ),
        ],
        templates=TEMPLATES,
        rules=LaborRules(
            min_rest_minutes=11 * 60,
            max_consecutive_days=5,
            min_rest_days_per_week=1,
            max_minutes_per_day=10 * 60,
            max_minutes_per_week=40 * 60,
            banned_transitions=(("late", "early"),),
        ),
    )


def shift(
    agent: str, day: int, template: str, start: int, breaks=None, queue="voice"
) -> Assignment:
    t = {t.name: t for t in TEMPLATES}[template]
    if breaks is None:
        breaks = tuple(
            (start + b.earliest_after, start + b.earliest_after + b.length_minutes)
            for b in t.breaks
        )
    queues = []
    for i in range(t.length_minutes // SLOT_MINUTES):
        m = start + i * SLOT_MINUTES
        off = (
            any(bs <= m < be for bs, be in breaks)
            or day * MINUTES_PER_DAY + m >= DAYS * MINUTES_PER_DAY
        )
        queues.append(None if off else queue)
    return Assignment(
        agent, day, template, start, start + t.length_minutes, tuple(breaks), tuple(queues)
    )


def result_of(p: RosterProblem, shifts: list[Assignment]) -> RosterResult:
    coverage = {q: [0] * p.num_slots for q in p.demand}
    for s in shifts:
        base = (s.day * MINUTES_PER_DAY + s.start) // SLOT_MINUTES
        for i, q in enumerate(s.queues):
            if q is not None and base + i < p.num_slots:
                coverage[q][base + i] += 1
    under = {
        q: [max(0, r - c) for r, c in zip(p.demand[q], coverage[q], strict=True)] for q in p.demand
    }
    over = {
        q: [max(0, c - r) for r, c in zip(p.demand[q], coverage[q], strict=True)] for q in p.demand
    }
    return RosterResult("FEASIBLE", shifts, coverage, under, over, 0.0, 0.0, 0.0, 0.0, {}, [])


def valid_shifts() -> list[Assignment]:
    return [
        shift("ann", 0, "early", 7 * 60),
        shift("ann", 1, "early", 7 * 60),
        shift("ann", 2, "late", 14 * 60),
        shift("ann", 4, "early", 8 * 60),
        shift("bo", 0, "late", 15 * 60),
        shift("bo", 1, "late", 14 * 60),
        shift("bo", 3, "early", 6 * 60, queue="chat"),
    ]


def rules_broken(shifts: list[Assignment]) -> set[str]:
    p = problem()
    return {v.rule for v in check_roster(p, result_of(p, shifts))}


def test_valid_roster_has_no_violations():
    assert rules_broken(valid_shifts()) == set()


def replace_shift(shifts, index, new):
    out = list(shifts)
    out[index] = new
    return out


@pytest.mark.parametrize(
    ("shifts", "rule"),
    [
        # ann: late on day 2 ends 22:00, early on day 3 at 06:00 -> only 8 h rest
        (valid_shifts() + [shift("ann", 3, "early", 6 * 60)], "min_rest"),
        # second shift the same day
        (valid_shifts() + [shift("ann", 0, "late", 15 * 60)], "one_shift_per_day"),
        # bo is on leave on day 6 (the night shift of day 5 also reaches into it)
        (valid_shifts() + [shift("bo", 6, "early", 7 * 60)], "leave"),
        (valid_shifts() + [shift("bo", 5, "night", 22 * 60)], "leave"),
        # bo is only available until 23:00
        (valid_shifts() + [shift("bo", 4, "late", 15 * 60 + 60)], "shift_shape"),
        (valid_shifts() + [shift("bo", 4, "night", 22 * 60)], "availability"),
        # start outside the template window
        (valid_shifts() + [shift("ann", 6, "early", 9 * 60)], "shift_shape"),
        # breaks overlapping, outside window, wrong count
        (
            replace_shift(
                valid_shifts(),
                0,
                shift(
                    "ann",
                    0,
                    "early",
                    7 * 60,
                    breaks=((7 * 60 + 240, 7 * 60 + 255), (7 * 60 + 240, 7 * 60 + 270)),
                ),
            ),
            "breaks",
        ),
        (
            replace_shift(
                valid_shifts(),
                0,
                shift(
                    "ann",
                    0,
                    "early",
                    7 * 60,
                    breaks=((7 * 60 + 30, 7 * 60 + 45), (7 * 60 + 240, 7 * 60 + 270)),
                ),
            ),
            "breaks",
        ),
        (
            replace_shift(
                valid_shifts(),
                0,
                shift("ann", 0, "early", 7 * 60, breaks=((7 * 60 + 120, 7 * 60 + 135),)),
            ),
            "breaks",
        ),
        # ann serving chat without the skill
        (
            replace_shift(valid_shifts(), 0, shift("ann", 0, "early", 7 * 60, queue="chat")),
            "queue_assignment",
        ),
        # six days in a row (max 5)
        ([shift("ann", d, "early", 7 * 60) for d in range(6)], "max_consecutive_days"),
    ],
)
def test_planted_violation_is_found(shifts, rule):
    assert rule in rules_broken(shifts)


def test_transition_ban_is_checked_on_its_own():
    p = problem()
    p = replace(p, rules=replace(p.rules, min_rest_minutes=60))
    shifts = [shift("ann", 2, "late", 14 * 60), shift("ann", 3, "early", 8 * 60)]
    assert {v.rule for v in check_roster(p, result_of(p, shifts))} == {"transition_ban"}
    allowed = [shift("ann", 2, "early", 8 * 60), shift("ann", 3, "late", 14 * 60)]
    assert check_roster(p, result_of(p, allowed)) == []


def test_rest_days_and_weekly_hours():
    p = replace(problem(), rules=replace(problem().rules, max_consecutive_days=7))
    seven = [shift("ann", d, "early", 7 * 60) for d in range(7)]
    broken = {v.rule for v in check_roster(p, result_of(p, seven))}
    assert "rest_days_per_week" in broken
    # 7 x 7.5 paid hours = 52.5 h > 40 h
    assert "max_hours_per_week" in broken


def test_contract_minimum_pro_rata_for_leave():
    p = problem()
    # ann: 30 h minimum; bo: 35 h minimum, reduced to 30 h by one leave day
    agents = [
        replace(p.agents[0], min_minutes_week=30 * 60),
        replace(p.agents[1], min_minutes_week=35 * 60),
    ]
    p = replace(p, agents=agents)

    def short_of_minimum(shifts):
        return {
            v.agent_id
            for v in check_roster(p, result_of(p, shifts))
            if v.rule == "min_contract_hours"
        }

    # early shifts pay 7.5 h (30 min unpaid lunch); the last 1-day block needs 30*1/7 h
    three = [shift(a, d, "early", 7 * 60) for a in ("ann", "bo") for d in (0, 2, 4)]
    assert short_of_minimum(three) == {"ann", "bo"}
    four = [shift(a, d, "early", 7 * 60) for a in ("ann", "bo") for d in (0, 2, 4, 5)]
    four += [shift("ann", 7, "early", 7 * 60), shift("bo", 7, "early", 7 * 60)]
    assert short_of_minimum(four) == set()


def test_double_counting_and_false_coverage_reports_are_found():
    p = problem()
    shifts = valid_shifts()
    result = result_of(p, shifts)
    # claim more coverage than the shifts give
    result.coverage["voice"][SLOTS_PER_DAY // 2] += 1
    assert "coverage_report" in {v.rule for v in check_roster(p, result)}
    # an agent marked as serving during a break
    s = shifts[0]
    queues = list(s.queues)
    i = (s.breaks[0][0] - s.start) // SLOT_MINUTES
    queues[i] = "voice"
    broken_shift = replace(s, queues=tuple(queues))
    assert "queue_assignment" in rules_broken(replace_shift(shifts, 0, broken_shift))


def test_every_rule_is_listed():
    names = set(rule_names())
    assert {
        "min_rest",
        "transition_ban",
        "max_consecutive_days",
        "breaks",
        "leave",
        "availability",
        "queue_assignment",
        "coverage_report",
        "rest_days_per_week",
        "max_hours_per_week",
    } <= names
