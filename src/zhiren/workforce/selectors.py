"""Read-side queries of the workforce app."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from zhiren.workforce.schedules import PlannedShift


def published_shifts(agent_ids: Iterable[int], start: date, end: date) -> list[PlannedShift]:
    """Published shifts of these agents starting on days ``start``..``end`` (inclusive).

    Ordered by agent then start. Not scoped: callers scope the agent ids.
    """
    return []
