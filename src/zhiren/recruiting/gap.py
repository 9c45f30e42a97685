"""From the staffing gap to a requisition (编制缺口 → 招聘需求): plain Python, no Django.

Inputs per queue: the FTE required in each coming week (the workforce forecast and
staffing model, shrinkage included) and the FTE available now (active agents skilled for
the queue, an agent with several queues counted in equal shares). Expected attrition comes
from the site's own history: ``weekly_attrition(leavers, headcount, weeks)`` is the share
of the average headcount that left per week over the look-back.

For week ``w`` (0 = the coming week), the FTE still here is ``available × (1 − r)^(w+1)``
and the gap is ``required − still here`` (positive: short). A hire is productive only after
training, so the requisition's *needed-by* date is the first short week's start minus the
training length, and the headcount covers the largest gap of the horizon. Worked example:
``docs/recruiting.md``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

# A gap smaller than this (FTE) is noise of the forecast, not a reason to hire.
MIN_GAP_FTE = 0.5


def weekly_attrition(leavers: int, average_headcount: float, weeks: int) -> float:
    """Share of the headcount leaving per week; 0 without history."""
    if leavers <= 0 or average_headcount <= 0 or weeks <= 0:
        return 0.0
    return min(1.0, leavers / average_headcount / weeks)


@dataclass(frozen=True)
class WeekGap:
    week: date
    required: float
    available: float  # after expected attrition
    gap: float  # required − available; positive: short


@dataclass(frozen=True)
class QueueGap:
    code: str
    name: str
    weeks: tuple[WeekGap, ...]
    headcount: int  # hires to cover the largest gap; 0 when never short
    first_short: date | None  # the first week short by at least MIN_GAP_FTE
    needed_by: date | None  # first_short minus the training length
    late: bool  # needed_by is already past: hiring alone cannot close the first gap


def queue_gap(
    code: str,
    name: str,
    weeks: Sequence[date],
    required: Sequence[float],
    available_now: float,
    attrition: float,
    *,
    training_days: int,
    today: date,
) -> QueueGap:
    rows = []
    for w, (week, need) in enumerate(zip(weeks, required, strict=True)):
        here = available_now * (1 - attrition) ** (w + 1)
        rows.append(WeekGap(week, round(need, 2), round(here, 2), round(need - here, 2)))
    short = [row for row in rows if row.gap >= MIN_GAP_FTE]
    largest = max((row.gap for row in short), default=0.0)
    first = short[0].week if short else None
    needed_by = first - timedelta(days=training_days) if first else None
    return QueueGap(
        code,
        name,
        tuple(rows),
        math.ceil(largest - 1e-9) if short else 0,
        first,
        needed_by,
        late=needed_by is not None and needed_by < today,
    )
