"""Average handle time per agent from the daily rollups, and the tenured agents' median.

Shared by training's graduation gate (a nesting agent's AHT against the tenured median) and
recruiting's channel report (a hire's AHT 60 and 90 days in, against the same median).
AHT is Σ handle ÷ Σ answered over the window, never a mean of daily means.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from statistics import median

from django.db.models import Sum

from zhiren.org.models import Agent, AgentStatus

from .models import DailyStat

TENURED_DAYS = 180  # hired at least this long ago: tenured
MEDIAN_WINDOW_DAYS = 30


def aht_by_agent(
    agent_ids: Iterable[int], start: dt.date, end: dt.date, queue_name: str = ""
) -> dict[int, float]:
    """Each agent's AHT (seconds) from ``start`` to ``end``; agents who answered nothing are left out."""
    rows = DailyStat.objects.filter(agent_id__in=list(agent_ids), day__gte=start, day__lte=end)
    if queue_name:
        rows = rows.filter(queue=queue_name)
    out = {}
    for r in (
        rows.order_by()
        .values("agent_id")
        .annotate(handle=Sum("handle_sum"), answered=Sum("answered"))
    ):
        if r["answered"]:
            out[r["agent_id"]] = r["handle"] / r["answered"]
    return out


def tenured_median_aht(
    site_ids: Iterable[int], today: dt.date, queue_name: str = ""
) -> float | None:
    """The median of the sites' tenured agents' own AHT over the last 30 days; None when none
    handled contacts."""
    tenured = Agent.objects.filter(
        team__site_id__in=list(site_ids),
        status=AgentStatus.ACTIVE,
        hire_date__lte=today - dt.timedelta(days=TENURED_DAYS),
    ).values_list("pk", flat=True)
    values = list(
        aht_by_agent(
            tenured, today - dt.timedelta(days=MEDIAN_WINDOW_DAYS - 1), today, queue_name
        ).values()
    )
    return median(values) if values else None
