"""Small hand-made and seeded roster instances shared by the roster tests."""

from __future__ import annotations

import random

from zhiren.workforce.engine.roster.problem import (
    MINUTES_PER_DAY,
    SLOT_MINUTES,
    SLOTS_PER_DAY,
    Agent,
    BreakRule,
    LaborRules,
    RosterProblem,
    ShiftTemplate,
)


def demand_blocks(
    days: int, blocks: dict[str, list[tuple[int, int, int, int]]]
) -> dict[str, list[int]]:
    """``blocks[queue] = [(day, start_min, end_min, agents), ...]`` -> per-slot lists."""
    out = {}
    for q, items in blocks.items():
        values = [0] * (days * SLOTS_PER_DAY)
        for day, start, end, agents in items:
            for t in range(
                (day * MINUTES_PER_DAY + start) // SLOT_MINUTES,
                (day * MINUTES_PER_DAY + end) // SLOT_MINUTES,
            ):
                values[t] = agents
        out[q] = values
    return out


def small_templates() -> list[ShiftTemplate]:
    brk = (BreakRule("break", 15, 120, 180), BreakRule("lunch", 30, 240, 300, paid=False))
    return [
        ShiftTemplate("early", 6 * 60, 8 * 60, 8 * 60, 60, breaks=brk),
        ShiftTemplate("late", 13 * 60, 15 * 60, 8 * 60, 60, breaks=brk, late=True),
        ShiftTemplate(
            "night",
            22 * 60,
            22 * 60,
            8 * 60,
            60,
            True,
            (BreakRule("break", 30, 180, 240),),
            late=True,
        ),
    ]


def random_problem(seed: int, agents: int = 7, days: int = 7) -> RosterProblem:
    """A small random instance with breaks, leave, availability, wishes and bans."""
    rng = random.Random(seed)
    blocks: dict[str, list[tuple[int, int, int, int]]] = {"voice": [], "chat": []}
    for d in range(days):
        blocks["voice"].append((d, 7 * 60, 12 * 60, rng.randint(1, 3)))
        blocks["voice"].append((d, 12 * 60, 21 * 60, rng.randint(1, 3)))
        blocks["chat"].append((d, 9 * 60, 18 * 60, rng.randint(0, 2)))
        if rng.random() < 0.5:
            blocks["voice"].append((d, 22 * 60, 24 * 60, 1))
    people = []
    for i in range(agents):
        skills = rng.choice([("voice",), ("chat",), ("voice", "chat")])
        availability = None
        if rng.random() < 0.3:
            availability = tuple((d, 6 * 60, 22 * 60) for d in range(days) if rng.random() < 0.8)
        people.append(
            Agent(
                id=f"a{i}",
                skills=skills,
                min_minutes_week=rng.choice([0, 8, 16]) * 60,
                max_minutes_week=rng.choice([24, 32, 40]) * 60,
                availability=availability,
                leave_days=frozenset(d for d in range(days) if rng.random() < 0.1),
                preferred_shifts=frozenset(rng.sample(["early", "late"], 1))
                if rng.random() < 0.4
                else frozenset(),
                preferred_days_off=frozenset(d for d in range(days) if rng.random() < 0.15),
            )
        )
    rules = LaborRules(
        min_rest_minutes=rng.choice([10, 11, 12]) * 60,
        max_consecutive_days=rng.choice([3, 4, 5]),
        min_rest_days_per_week=rng.choice([1, 2]),
        max_minutes_per_day=10 * 60,
        max_minutes_per_week=rng.choice([32, 40]) * 60,
        banned_transitions=(("night", "early"), ("late", "early")),
    )
    return RosterProblem(
        days=days,
        demand=demand_blocks(days, blocks),
        agents=people,
        templates=small_templates(),
        rules=rules,
        start_weekday=rng.randrange(7),
    )
