"""Seeded generator of realistic roster instances (benchmarks, tests, demos).

Two queues (voice, chat), a daily demand curve with a morning and an
afternoon peak, lighter weekends, four shift templates (early, day, late and a
night shift crossing midnight) with two short paid breaks and an unpaid lunch,
the usual labour rules (11 h rest, 6 consecutive days, one rest day a week)
and a few transition bans. Total demand is scaled to the agents' capacity.
"""

from __future__ import annotations

import math
import random

from .problem import (
    SLOTS_PER_DAY,
    Agent,
    BreakRule,
    LaborRules,
    RosterProblem,
    ShiftTemplate,
)

__all__ = ["generate_peak_problem", "generate_problem", "peak_templates", "standard_templates"]


def standard_templates(start_step: int = 15) -> list[ShiftTemplate]:
    day_breaks = (
        BreakRule("break1", 15, 90, 150),
        BreakRule("lunch", 60, 210, 300, paid=False),
        BreakRule("break2", 15, 360, 420),
    )
    night_breaks = (BreakRule("break1", 30, 150, 210), BreakRule("break2", 15, 300, 360))
    return [
        ShiftTemplate("early", 6 * 60, 8 * 60, 9 * 60, start_step, breaks=day_breaks),
        ShiftTemplate("day", 9 * 60, 11 * 60, 9 * 60, start_step, breaks=day_breaks),
        ShiftTemplate("late", 13 * 60, 15 * 60, 9 * 60, start_step, breaks=day_breaks, late=True),
        ShiftTemplate("night", 22 * 60, 22 * 60, 8 * 60, start_step, True, night_breaks, late=True),
    ]


def _day_curve(slot: int) -> float:
    h = slot / 4
    morning = math.exp(-((h - 10.5) ** 2) / 6)
    afternoon = 0.9 * math.exp(-((h - 15.5) ** 2) / 8)
    evening = 0.45 * math.exp(-((h - 20) ** 2) / 6)
    return 0.06 + morning + afternoon + evening


def generate_problem(
    num_agents: int,
    days: int,
    seed: int = 0,
    *,
    load: float = 0.85,
    start_step: int = 15,
    leave_rate: float = 0.04,
    wish_rate: float = 0.3,
    bans: bool = True,
) -> RosterProblem:
    """A reproducible instance; ``load`` = total demand / rough agent capacity."""
    rng = random.Random(seed)
    templates = standard_templates(start_step)
    agents = []
    for i in range(num_agents):
        r = rng.random()
        skills = ("voice",) if r < 0.55 else ("chat",) if r < 0.8 else ("voice", "chat")
        part_time = rng.random() < 0.15
        leave = frozenset(d for d in range(days) if rng.random() < leave_rate)
        preferred: frozenset[str] = frozenset()
        days_off: frozenset[int] = frozenset()
        if rng.random() < wish_rate:
            preferred = frozenset(rng.sample(["early", "day", "late"], 2))
        if rng.random() < wish_rate:
            days_off = frozenset(d for d in range(days) if rng.random() < 0.12)
        agents.append(
            Agent(
                id=f"A{i + 1:03d}",
                skills=skills,
                min_minutes_week=(16 if part_time else 32) * 60,
                max_minutes_week=(24 if part_time else 40) * 60,
                leave_days=leave,
                preferred_shifts=preferred,
                preferred_days_off=days_off,
            )
        )
    capacity_per_day = sum(a.max_minutes_week for a in agents) / 7 / 60  # agent-hours
    curve = [_day_curve(s) for s in range(SLOTS_PER_DAY)]
    curve_hours = sum(curve) / 4
    share = {"voice": 0.62, "chat": 0.38}
    demand: dict[str, list[int]] = {q: [] for q in share}
    for d in range(days):
        weekend = d % 7 in (5, 6)
        level = load * capacity_per_day / curve_hours * (0.7 if weekend else 1.08)
        for q, f in share.items():
            for s in range(SLOTS_PER_DAY):
                noise = 1 + 0.08 * (rng.random() - 0.5)
                demand[q].append(max(0, round(level * f * curve[s] * noise)))
    rules = LaborRules(
        banned_transitions=(("night", "early"), ("night", "day"), ("late", "early"))
        if bans
        else (),
    )
    return RosterProblem(days=days, demand=demand, agents=agents, templates=templates, rules=rules)


def peak_templates(start_step: int = 15) -> list[ShiftTemplate]:
    """`standard_templates` plus a 4-hour peak shift (no unpaid break) open to everyone."""
    return [
        *standard_templates(start_step),
        ShiftTemplate(
            "peak", 9 * 60, 16 * 60, 4 * 60, start_step, breaks=(BreakRule("break", 15, 90, 150),)
        ),
    ]


def _peak_curve(slot: int) -> float:
    """A double-hump weekday with evening and night demand (22:00-07:00 needs a night shift)."""
    h = slot / 4
    morning = math.exp(-((h - 10.5) ** 2) / 4)
    afternoon = 0.9 * math.exp(-((h - 15.5) ** 2) / 5)
    evening = 0.5 * math.exp(-((h - 20) ** 2) / 6)
    night = 0.12 if h < 7 or h >= 22 else 0.0
    return 0.05 + morning + afternoon + evening + night


def generate_peak_problem(
    num_agents: int,
    days: int,
    seed: int = 0,
    *,
    load: float = 0.8,
    start_step: int = 15,
    leave_rate: float = 0.03,
    wish_rate: float = 0.3,
) -> RosterProblem:
    """The shape of issue #25: early/day/late/night shifts plus a 4-hour peak
    shift open to everyone; contracts 32-40 h, 36-44 h and part-timers at
    12-24 h (some only on weekday daytimes or evenings); agents who may not
    work nights; leave (one spell across the first week boundary); wishes;
    11 h rest, 6 days in a row, one rest day a week, 10 h a day, 44 h a week,
    bans night -> early and late -> day."""
    rng = random.Random(seed)
    templates = peak_templates(start_step)
    agents = []
    for i in range(num_agents):
        r = rng.random()
        skills = ("voice",) if r < 0.55 else ("chat",) if r < 0.8 else ("voice", "chat")
        kind = rng.random()
        availability: tuple[tuple[int, int, int], ...] | None = None
        if kind < 0.25:  # part-time
            low, high = 12, 24
            pattern = rng.random()
            if pattern < 0.3:  # weekday daytimes
                availability = tuple((d, 7 * 60, 19 * 60) for d in range(days) if d % 7 < 5)
            elif pattern < 0.5:  # evenings
                availability = tuple((d, 12 * 60, 24 * 60) for d in range(days))
        elif kind < 0.65:
            low, high = 32, 40
        else:
            low, high = 36, 44
        if availability is None and rng.random() < 0.2:  # no nights
            availability = tuple((d, 6 * 60, 23 * 60) for d in range(days))
        leave = {d for d in range(days) if rng.random() < leave_rate}
        if i == 0 and days > 8:  # leave across the first week boundary
            leave |= {5, 6, 7, 8}
        preferred: frozenset[str] = frozenset()
        days_off: frozenset[int] = frozenset()
        if rng.random() < wish_rate:
            preferred = frozenset(rng.sample(["early", "day", "late", "peak"], 2))
        if rng.random() < wish_rate:
            days_off = frozenset(d for d in range(days) if rng.random() < 0.12)
        agents.append(
            Agent(
                id=f"P{i + 1:03d}",
                skills=skills,
                min_minutes_week=low * 60,
                max_minutes_week=high * 60,
                availability=availability,
                leave_days=frozenset(leave),
                preferred_shifts=preferred,
                preferred_days_off=days_off,
            )
        )
    capacity_per_day = sum(a.min_minutes_week + a.max_minutes_week for a in agents) / 2 / 7 / 60
    curve = [_peak_curve(s) for s in range(SLOTS_PER_DAY)]
    curve_hours = sum(curve) / 4
    share = {"voice": 0.62, "chat": 0.38}
    demand: dict[str, list[int]] = {q: [] for q in share}
    for d in range(days):
        weekend = d % 7 in (5, 6)
        level = load * capacity_per_day / curve_hours * (0.7 if weekend else 1.08)
        for q, f in share.items():
            for s in range(SLOTS_PER_DAY):
                noise = 1 + 0.08 * (rng.random() - 0.5)
                demand[q].append(max(0, round(level * f * curve[s] * noise)))
    rules = LaborRules(
        max_minutes_per_week=44 * 60,
        banned_transitions=(("night", "early"), ("late", "day")),
    )
    return RosterProblem(days=days, demand=demand, agents=agents, templates=templates, rules=rules)
