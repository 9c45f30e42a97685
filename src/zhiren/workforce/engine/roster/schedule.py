"""`Schedule`: one agent's shifts so far, with the labour-rule checks for adding one.

Every heuristic (dealing, greedy, local search, the day phase's swaps) checks
a shift with it before placing it, so their rosters keep every hard rule.
"""

from __future__ import annotations

from collections.abc import Sequence

from .problem import MINUTES_PER_DAY, RosterProblem, ShiftShape, ShiftTemplate

__all__ = ["Schedule"]


class Schedule:
    """One agent's shifts: ``days`` maps a day to its option, ``minutes`` a
    week block (``day // 7``) to its paid minutes. ``shapes[k]``: option
    ``k`` as (template, start minute)."""

    def __init__(self, problem: RosterProblem, shapes: Sequence[tuple[ShiftTemplate, int]]):
        self.problem = problem
        self.shapes = shapes
        self.days: dict[int, int] = {}
        self.minutes: dict[int, int] = {}

    def _span(self, day: int, k: int) -> tuple[int, int]:
        """Absolute start and end minute of option ``k`` on ``day``."""
        template, start = self.shapes[k]
        begin = day * MINUTES_PER_DAY + start
        return begin, begin + template.length_minutes

    def week_minutes(self, day: int) -> int:
        return self.minutes.get(day // 7, 0)

    def add(self, day: int, k: int) -> None:
        self.days[day] = k
        self.minutes[day // 7] = self.minutes.get(day // 7, 0) + self.shapes[k][0].paid_minutes

    def remove(self, day: int) -> None:
        k = self.days.pop(day)
        self.minutes[day // 7] -= self.shapes[k][0].paid_minutes

    def can_add(self, day: int, k: int, max_week: int) -> bool:
        """Whether option ``k`` may be added on the free ``day`` under every
        labour rule, with at most ``max_week`` paid minutes in its week."""
        if day in self.days:
            return False
        template = self.shapes[k][0]
        if self.week_minutes(day) + template.paid_minutes > max_week:
            return False
        return (
            self._rested(day, k)
            and self._transitions_allowed(day, template)
            and self._run_allowed(day)
            and self._rest_days_allowed(day)
        )

    def _rested(self, day: int, k: int) -> bool:
        """Minimum rest after the previous shift and before the next one."""
        min_rest = self.problem.rules.min_rest_minutes
        start, end = self._span(day, k)
        for before in range(day - 1, -1, -1):
            if before in self.days:
                if start - self._span(before, self.days[before])[1] < min_rest:
                    return False
                break
            if (day - before) * MINUTES_PER_DAY > min_rest + MINUTES_PER_DAY:
                break
        for after in range(day + 1, self.problem.days):
            if after in self.days:
                if self._span(after, self.days[after])[0] - end < min_rest:
                    return False
                break
            if (after - day) * MINUTES_PER_DAY > min_rest + 2 * MINUTES_PER_DAY:
                break
        return True

    def _transitions_allowed(self, day: int, template: ShiftTemplate) -> bool:
        kind = template.kind
        for first_kind, second_kind in self.problem.rules.banned_transitions:
            if (
                day - 1 in self.days
                and self.shapes[self.days[day - 1]][0].kind == first_kind
                and kind == second_kind
            ):
                return False
            if (
                day + 1 in self.days
                and kind == first_kind
                and self.shapes[self.days[day + 1]][0].kind == second_kind
            ):
                return False
        return True

    def _run_allowed(self, day: int) -> bool:
        """At most ``max_consecutive_days`` in the run the new day joins."""
        run = 1
        other = day - 1
        while other in self.days:
            run, other = run + 1, other - 1
        other = day + 1
        while other in self.days:
            run, other = run + 1, other + 1
        return run <= self.problem.rules.max_consecutive_days

    def _rest_days_allowed(self, day: int) -> bool:
        """The rest days of a full week stay free."""
        rules = self.problem.rules
        week_start = day - day % 7
        if min(week_start + 7, self.problem.days) - week_start == 7:
            worked = sum(1 for d in range(week_start, week_start + 7) if d in self.days)
            if worked + 1 > 7 - rules.min_rest_days_per_week:
                return False
        return True


def as_shapes(shapes: Sequence[tuple[ShiftTemplate, int]]) -> list[ShiftShape]:
    """``shapes`` as named `ShiftShape`s (callers may pass plain pairs)."""
    return [ShiftShape(template, start) for template, start in shapes]
