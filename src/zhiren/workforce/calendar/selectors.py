"""Reads of the published schedule for people: own week, notices, calendar feed, team grids."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from django.db.models import QuerySet

from zhiren.org.models import Agent, Team

from ..dates import days_between
from ..models import (
    AgentPreference,
    LeaveKind,
    LeaveRequest,
    PublishedShift,
    RequestStatus,
    ShiftNotice,
)
from ..schedules import PlannedShift
from ..selectors import published_shifts
from ..staff import active_agents

FEED_DAYS_BACK, FEED_DAYS_AHEAD = 14, 56


def approved_leave(agent_ids: list[int], start: date, end: date) -> dict[int, dict[date, str]]:
    """Per agent and day in ``[start, end]``: the kind of approved leave, in words (one query)."""
    out: dict[int, dict[date, str]] = defaultdict(dict)
    labels = dict(LeaveKind.choices)
    for agent_id, kind, first, last in LeaveRequest.objects.filter(
        agent_id__in=agent_ids, status=RequestStatus.APPROVED, start__lte=end, end__gte=start
    ).values_list("agent_id", "kind", "start", "end"):
        for day in days_between(max(first, start), min(last, end)):
            out[agent_id][day] = labels.get(kind, kind)
    return out


def my_week(agent: Agent, start: date) -> list[dict]:
    end = start + timedelta(days=6)
    shifts = {s.day: s for s in published_shifts([agent.pk], start, end)}
    leave = approved_leave([agent.pk], start, end).get(agent.pk, {})
    return [
        {
            "day": start + timedelta(days=n),
            "shift": shifts.get(start + timedelta(days=n)),
            "leave": leave.get(start + timedelta(days=n)),
        }
        for n in range(7)
    ]


def notices(agent: Agent) -> QuerySet[ShiftNotice]:
    return ShiftNotice.objects.filter(agent=agent)


def unread_notices(agent: Agent) -> int:
    return notices(agent).filter(read=False).count()


def preference(agent: Agent) -> AgentPreference:
    """The agent's wishes and contract minutes; the defaults (unsaved) before they set any."""
    return AgentPreference.objects.filter(agent=agent).first() or AgentPreference(agent=agent)


def calendar_token(agent: Agent) -> str | None:
    """The agent's secret calendar link (None: not made yet)."""
    return (
        AgentPreference.objects.filter(agent=agent)
        .values_list("calendar_token", flat=True)
        .first()
    )


def feed_agent_id(token: str) -> int | None:
    """The agent whose calendar link this is (None: no such link)."""
    if not token:
        return None
    return (
        AgentPreference.objects.filter(calendar_token=token)
        .values_list("agent_id", flat=True)
        .first()
    )


def feed_shifts(agent_id: int, today: date) -> list[PlannedShift]:
    """The shifts a calendar feed carries: two weeks back, eight weeks ahead."""
    return published_shifts(
        [agent_id], today - timedelta(days=FEED_DAYS_BACK), today + timedelta(days=FEED_DAYS_AHEAD)
    )


def team_grid(team: Team, start: date, days: int) -> dict:
    """Agents × days of a team's published schedule and approved leave, in three queries.

    Each cell is ``{"shift": (times, template) or None, "leave": kind in words or None}``."""
    agents = active_agents([team.pk])
    end = start + timedelta(days=days - 1)
    cells: dict[int, dict[date, tuple]] = defaultdict(dict)
    for row in PublishedShift.objects.filter(
        agent__in=[a.pk for a in agents], day__range=(start, end), active=True
    ).values_list("agent_id", "day", "template", "start_minute", "end_minute"):
        agent_id, day, template, a, b = row
        cells[agent_id][day] = (
            f"{a // 60 % 24:02d}:{a % 60:02d}–{b // 60 % 24:02d}:{b % 60:02d}",
            template,
        )
    day_list = [start + timedelta(days=n) for n in range(days)]
    leave = approved_leave([a.pk for a in agents], start, end)
    rows = []
    for agent in agents:
        by_day = cells.get(agent.pk, {})
        off = leave.get(agent.pk, {})
        rows.append(
            {
                "agent": agent,
                "cells": [{"shift": by_day.get(d), "leave": off.get(d)} for d in day_list],
            }
        )
    counts = [sum(1 for r in rows if r["cells"][i]["shift"]) for i in range(days)]
    return {"days": day_list, "rows": rows, "counts": counts}
