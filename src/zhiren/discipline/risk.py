"""Attendance as signals of engagement's attrition risk (``core.registries.risk_signals``)."""

from __future__ import annotations

import datetime as dt

from .models import AttendanceDay


def absences(agent_ids, start: dt.date, end: dt.date) -> list[tuple[int, dt.date, float]]:
    """Unexcused absences from scheduled shifts (one query)."""
    rows = AttendanceDay.objects.filter(
        agent_id__in=list(agent_ids), day__gte=start, day__lte=end, absent=True, excused=False
    ).values_list("agent_id", "day")
    return [(agent_id, day, 1.0) for agent_id, day in rows]


def lateness(agent_ids, start: dt.date, end: dt.date) -> list[tuple[int, dt.date, float]]:
    """Late arrivals, with their minutes (one query)."""
    rows = AttendanceDay.objects.filter(
        agent_id__in=list(agent_ids),
        day__gte=start,
        day__lte=end,
        late_minutes__gt=0,
        excused=False,
    ).values_list("agent_id", "day", "late_minutes")
    return [(agent_id, day, float(minutes)) for agent_id, day, minutes in rows]
