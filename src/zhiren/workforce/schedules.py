"""Published-schedule value objects shared with other apps (Django-free).

Other apps (attendance/discipline, wellbeing) read the published schedule
through :func:`zhiren.workforce.selectors.published_shifts`, which returns
these frozen dataclasses so callers never depend on workforce models.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

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
