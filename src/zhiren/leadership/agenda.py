"""The 晨会 agenda's rules on plain values: when huddles are, reading order, carry-over, the TV view.

No Django here (the "Pure modules" contract).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from typing import Protocol, TypeVar

# Reading order of the sections (core.registries' HUDDLE_* values), then the lead's own points.
SECTIONS = ("numbers", "praise", "rules", "today", "ahead", "topics", "follow_ups")
TOPICS, FOLLOW_UPS = "topics", "follow_ups"
# What the lead wrote carries over until resolved; what the system wrote is generated afresh.
CARRIED_SECTIONS = frozenset({TOPICS, FOLLOW_UPS})
# Shifts starting within this time of a huddle's shift share it (one huddle for 08:00 and 08:30).
HUDDLE_SPAN = timedelta(hours=2)
# How long before the shift the team meets.
LEAD_TIME = timedelta(minutes=15)


class Point(Protocol):
    @property
    def section(self) -> str: ...
    @property
    def focus(self) -> bool: ...
    @property
    def private(self) -> bool: ...


P = TypeVar("P", bound=Point)


def huddle_starts(
    shift_starts: Iterable[datetime], span: timedelta = HUDDLE_SPAN
) -> list[datetime]:
    """One huddle per group of shift starts: a start more than ``span`` after the group's first opens a new one."""
    result: list[datetime] = []
    for start in sorted(set(shift_starts)):
        if not result or start - result[-1] > span:
            result.append(start)
    return result


def section_rank(section: str) -> int:
    return SECTIONS.index(section) if section in SECTIONS else len(SECTIONS)


def ordered(points: Sequence[P]) -> list[P]:
    """Sections in reading order; within one, the one number to improve first, else as given."""
    return [
        p
        for _, p in sorted(
            enumerate(points), key=lambda ip: (section_rank(ip[1].section), not ip[1].focus, ip[0])
        )
    ]


def shared(points: Iterable[P]) -> list[P]:
    """What a shared screen (the TV view, the team's robot) may show: nothing private."""
    return [p for p in points if not p.private]


def carried(section: str, resolved: bool) -> bool:
    """Does a point of the previous huddle come back on the next one?"""
    return section in CARRIED_SECTIONS and not resolved


def minutes_left(started: datetime, now: datetime, planned_minutes: int) -> int:
    """The timer: whole minutes left of the planned length (negative: over time)."""
    elapsed = (now - started).total_seconds()
    left = planned_minutes * 60 - elapsed
    return int(left // 60) if left < 0 else int(-(-left // 60))
