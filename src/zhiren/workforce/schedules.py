"""Published-schedule value objects shared with other apps (Django-free).

Other apps (attendance/discipline, wellbeing) read the published schedule
through :func:`zhiren.workforce.selectors.published_shifts`, which returns
these frozen dataclasses so callers never depend on workforce models.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo

ACTIVITY_KINDS = ("work", "break", "lunch", "meeting", "training", "coaching", "leave")


@dataclass(frozen=True)
class PlannedActivity:
    """One activity inside a shift: kind in :data:`ACTIVITY_KINDS`, aware datetimes."""

    kind: str
    start: datetime
    end: datetime


@dataclass(frozen=True)
class PlannedShift:
    """A published shift of one agent.

    ``day`` is the day the shift starts; ``end`` may fall on the next day for
    night shifts. ``activities`` are ordered by start and cover the shift
    (work plus breaks, lunch, meetings, ...).
    """

    agent_id: int
    day: date
    start: datetime
    end: datetime
    activities: tuple[PlannedActivity, ...] = ()

    @property
    def paid_minutes(self) -> int:
        unpaid = sum(
            int((a.end - a.start).total_seconds() // 60)
            for a in self.activities
            if a.kind == "lunch"
        )
        return int((self.end - self.start).total_seconds() // 60) - unpaid


def local_datetime(day: date, minute: int, tz: tzinfo) -> datetime:
    """The aware datetime ``minute`` minutes after local midnight of ``day`` (may be the next day)."""
    return datetime.combine(day + timedelta(days=minute // 1440), time(0), tz) + timedelta(
        minutes=minute % 1440
    )


def build_activities(
    start_minute: int, end_minute: int, inner: Sequence[Sequence]
) -> list[tuple[str, int, int]]:
    """Fill a shift with ``work`` around its inner activities ``(kind, start, end)`` (minutes)."""
    out: list[tuple[str, int, int]] = []
    cursor = start_minute
    for kind, a, b in sorted(inner, key=lambda x: x[1]):
        a, b = max(int(a), cursor), min(int(b), end_minute)
        if b <= a:
            continue
        if a > cursor:
            out.append(("work", cursor, a))
        out.append((str(kind), a, b))
        cursor = b
    if cursor < end_minute:
        out.append(("work", cursor, end_minute))
    return out


def planned_shift(
    agent_id: int,
    day: date,
    start_minute: int,
    end_minute: int,
    activities: Sequence[Sequence],
    tz: tzinfo,
) -> PlannedShift:
    """A :class:`PlannedShift` from minutes after local midnight (the storage frame)."""
    return PlannedShift(
        agent_id=agent_id,
        day=day,
        start=local_datetime(day, start_minute, tz),
        end=local_datetime(day, end_minute, tz),
        activities=tuple(
            PlannedActivity(str(kind), local_datetime(day, a, tz), local_datetime(day, b, tz))
            for kind, a, b in activities
        ),
    )


def activity_at(shift: PlannedShift, moment: datetime) -> str | None:
    """The kind of activity planned at ``moment`` (None: outside the shift)."""
    for activity in shift.activities:
        if activity.start <= moment < activity.end:
            return activity.kind
    return None
