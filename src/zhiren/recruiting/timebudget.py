"""Interview time against budgets (面试时间预算): plain Python, no Django.

Seed 003: don't spend interview time evenly — cut the unfit short once the knock-outs show
it, and take the time to win the promising. A kit's interview runs in stages, each with
planned minutes; each interviewer has a daily budget of interview minutes. Scheduling books
the planned minutes of the whole kit on every panel member's day and refuses what would go
over a budget; afterwards the interview records what it took: stopped early after a stage
(with why), run in full, or given more time than planned.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

DEFAULT_DAILY_MINUTES = 120


def planned_minutes(stages: Sequence[Mapping]) -> int:
    """The minutes the stages plan in all."""
    return sum(int(stage.get("minutes") or 0) for stage in stages)


def minutes_until(stages: Sequence[Mapping], stage_key: str) -> int:
    """The planned minutes up to and including the stage ``stage_key`` (the time an early stop
    after it took); the whole plan when the key is not one of the stages."""
    total = 0
    for stage in stages:
        total += int(stage.get("minutes") or 0)
        if stage.get("key") == stage_key:
            return total
    return total


@dataclass(frozen=True)
class DayLoad:
    """One interviewer's day: minutes booked, the budget, and what is left (never below 0)."""

    booked: int
    budget: int

    @property
    def left(self) -> int:
        return max(0, self.budget - self.booked)

    def fits(self, minutes: int) -> bool:
        return self.booked + minutes <= self.budget


def day_load(booked: Iterable[int], budget: int | None) -> DayLoad:
    return DayLoad(sum(booked), DEFAULT_DAILY_MINUTES if budget is None else budget)


def spent_minutes(planned: int, recorded: int | None) -> int:
    """What an interview took: the recorded minutes when known, else the plan."""
    return planned if recorded is None else recorded
