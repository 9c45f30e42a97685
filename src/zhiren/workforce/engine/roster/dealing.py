"""What the two dealings share: their input and the roster they build.

A dealing turns the LP's shift counts into named agents: who works which
day and option, with no breaks yet (`week_dealing`, `day_dealing`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from .problem import (
    AllowedOptions,
    DealtDays,
    RosterProblem,
    ShiftCounts,
    ShiftShape,
    ShiftTemplate,
    SkillGroups,
)
from .schedule import Schedule, as_shapes

__all__ = ["DealingInput", "DealtRoster"]


@dataclass
class DealingInput:
    """``shapes[k]``: option ``k`` as (template, start); ``allowed[a][d]``: the
    options agent ``a`` may take on day ``d``; ``minimum[a][w]``: its contract
    minimum (paid minutes) in week block ``w``; ``counts[(group, day)]``:
    ``{option: agents}`` wanted (the LP's rounded counts)."""

    problem: RosterProblem
    shapes: list[ShiftShape]
    allowed: AllowedOptions
    groups: SkillGroups
    minimum: list[list[int]]
    counts: ShiftCounts
    allowed_sets: list[list[set[int]]] = field(init=False)
    max_week: list[int] = field(init=False)  # weekly maximum (paid minutes) per agent

    def __post_init__(self) -> None:
        rules = self.problem.rules
        self.allowed_sets = [[set(day) for day in row] for row in self.allowed]
        self.max_week = [
            min(a.max_minutes_week, rules.max_minutes_per_week) for a in self.problem.agents
        ]

    @classmethod
    def of(
        cls,
        problem: RosterProblem,
        shapes: Sequence[tuple[ShiftTemplate, int]],
        allowed: AllowedOptions,
        groups: SkillGroups,
        minimum: list[list[int]],
        counts: ShiftCounts,
    ) -> DealingInput:
        return cls(problem, as_shapes(shapes), allowed, groups, minimum, counts)

    def may_add(self, schedules: list[Schedule], ai: int, day: int, k: int) -> bool:
        """Whether agent ``ai`` may take option ``k`` on ``day`` (permission and rules)."""
        return k in self.allowed_sets[ai][day] and schedules[ai].can_add(day, k, self.max_week[ai])


class DealtRoster:
    """A dealing's roster so far: per agent ``days`` (day -> option), its
    `Schedule`, and its weekend days and late shifts (for balance)."""

    def __init__(self, problem: RosterProblem, shapes: Sequence[ShiftShape]):
        self.problem = problem
        self.shapes = shapes
        self.schedules = [Schedule(problem, shapes) for _ in problem.agents]
        self.days: DealtDays = [{} for _ in problem.agents]
        self.weekend = [0] * len(problem.agents)
        self.late = [0] * len(problem.agents)

    def add(self, ai: int, day: int, k: int) -> None:
        self.schedules[ai].add(day, k)
        self.days[ai][day] = k
        if self.problem.is_weekend(day):
            self.weekend[ai] += 1
        if self.shapes[k].template.late:
            self.late[ai] += 1

    def before(self, first_day: int) -> DealtDays:
        """The shifts dealt on the days before ``first_day``."""
        return [{d: k for d, k in days.items() if d < first_day} for days in self.days]
