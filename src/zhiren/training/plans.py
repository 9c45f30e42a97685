"""A long-term training plan in quarterly goals, and how much of it was carried out: no Django.

Seed 003: a plan that is not executed is worse than none, so the plan's page leads with
its execution rate: of the goals whose quarter has ended, the share marked done. A goal
dropped or still open after its quarter counts as not executed; goals of the current and
later quarters are not yet due and are left out (no rate before the first quarter ends).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

DONE = "done"


def quarter_start(year: int, quarter: int) -> date:
    if quarter not in (1, 2, 3, 4):
        raise ValueError("quarter must be 1–4")
    return date(year, 3 * (quarter - 1) + 1, 1)


def quarter_end(year: int, quarter: int) -> date:
    return (
        quarter_start(year + 1, 1) if quarter == 4 else quarter_start(year, quarter + 1)
    ) - timedelta(days=1)


def quarter_of(day: date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1


@dataclass(frozen=True)
class ExecutionRate:
    due: int
    done: int
    open_now: int  # goals of the current quarter

    @property
    def rate(self) -> float | None:
        return None if not self.due else self.done / self.due


def execution_rate(goals: Iterable[tuple[int, int, str]], today: date) -> ExecutionRate:
    """``goals``: (year, quarter, status). Due: the quarter ended before ``today``."""
    due = done = open_now = 0
    current = quarter_of(today)
    for year, quarter, status in goals:
        if quarter_end(year, quarter) < today:
            due += 1
            done += status == DONE
        elif (year, quarter) == current:
            open_now += 1
    return ExecutionRate(due, done, open_now)
