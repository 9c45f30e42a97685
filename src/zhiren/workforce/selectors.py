"""Read-side queries of the workforce app, always through the user's scope.

Who sees what:
- an agent: their own schedule, requests and calendar, and the grid of their own team;
- a team lead: the schedules, requests and floor of the teams they lead;
- a site manager (the WFM planner) and the admin: every team of their sites, plus
  forecasts, staffing, templates, rules and roster drafts of those sites.
Anything outside that is a 404.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone

from zhiren.org import selectors as org_selectors
from zhiren.org.models import Agent, Role, Site, Team
from zhiren.org.scoping import ANY_ROLE, NO_ROLE, coverage, get_or_404

from . import planning
from .adherence import floor_line
from .models import (
    CurrentState,
    LeaveRequest,
    PublishedShift,
    RequestStatus,
    RosterDraft,
    ShiftNotice,
    SwapRequest,
)
from .schedules import PlannedShift, planned_shift

PLANNER_ROLES = (Role.SITE_MANAGER, Role.ADMIN)
APPROVER_ROLES = (Role.TEAM_LEAD, Role.SITE_MANAGER, Role.ADMIN)


# --- the interface other apps call -----------------------------------------------------------


def published_shifts(agent_ids: Iterable[int], start: date, end: date) -> list[PlannedShift]:
    """Published shifts of these agents starting on days ``start``..``end`` (inclusive).

    Ordered by agent then start. Not scoped: callers scope the agent ids. One query.
    """
    ids = list(agent_ids)
    if not ids:
        return []
    zone = planning.tz()
    rows = (
        PublishedShift.objects.filter(agent_id__in=ids, day__range=(start, end), active=True)
        .order_by("agent_id", "day", "start_minute")
        .values_list("agent_id", "day", "start_minute", "end_minute", "activities")
    )
    return [planned_shift(a, d, s, e, acts, zone) for a, d, s, e, acts in rows]


def team_work_days(team_id: int, start: date, end: date) -> set[date]:
    """Days from ``start`` to ``end`` with a published shift for someone on the team. One query.

    The ``work_day_feeds`` entry of workforce: the team mood board shows the days the team works.
    """
    return set(
        PublishedShift.objects.filter(
            agent__team_id=team_id, day__range=(start, end), active=True
        ).values_list("day", flat=True).distinct()
    )


def hard_queue_provider(agent_ids: Iterable[int], days: Iterable[date]) -> set[tuple[int, date]]:
    """(agent, day) pairs scheduled on a complaints queue: the ``hard_queue_feeds`` entry of workforce.

    A queue counts as hard when its code or name mentions complaints (投诉). Where no
    schedule is published for the agent's team on a day, the position proxy of the
    wellbeing module stands in, so early warning keeps working before rosters exist.
    """
    from zhiren.org.models import Agent
    from zhiren.wellbeing.queues import position_proxy

    from .models import Queue

    ids, days = list(agent_ids), list(days)
    if not ids or not days:
        return set()
    hard = set(
        Queue.objects.filter(Q(code__icontains="complaint") | Q(name__contains="投诉")).values_list(
            "code", flat=True
        )
    )
    team_of = dict(Agent.objects.filter(pk__in=ids).values_list("pk", "team_id"))
    scheduled = set(
        PublishedShift.objects.filter(
            agent__team_id__in=set(team_of.values()), day__in=days, active=True
        ).values_list("agent__team_id", "day").distinct()
    )
    out = set()
    for agent_id, day, queues in PublishedShift.objects.filter(
        agent_id__in=ids, day__in=days, active=True
    ).values_list("agent_id", "day", "queues"):
        if hard.intersection(q for q in queues if q):
            out.add((agent_id, day))
    unscheduled = [(a, d) for a in ids for d in days if (team_of.get(a), d) not in scheduled]
    if unscheduled:
        proxy = position_proxy({a for a, _ in unscheduled}, {d for _, d in unscheduled})
        out |= proxy.intersection(unscheduled)
    return out


# --- scope ---------------------------------------------------------------------------------


def planner_sites(user) -> QuerySet[Site]:
    return org_selectors.managed_sites(user, PLANNER_ROLES)


def get_planner_site(user, pk) -> Site:
    return org_selectors.get_managed_site(user, pk, PLANNER_ROLES)


def is_planner(user) -> bool:
    return planner_sites(user).exists()


def approver_teams(user) -> QuerySet[Team]:
    """Teams whose swaps and leave the user decides and whose floor they watch."""
    return Team.objects.select_related("site").order_by("site__code", "code").visible_to(user, APPROVER_ROLES)


def may_approve(user, agent: Agent) -> bool:
    return coverage(user, APPROVER_ROLES).covers(agent.team_id)


def grid_teams(user) -> QuerySet[Team]:
    """Teams whose schedule grid the user may see: visible teams plus the agent's own team."""
    return Team.objects.select_related("site").order_by("site__code", "code").visible_to(user, ANY_ROLE, own=True)


def get_grid_team(user, pk) -> Team:
    return get_or_404(grid_teams(user), pk)


def visible_drafts(user) -> QuerySet[RosterDraft]:
    return RosterDraft.objects.filter(site__in=planner_sites(user)).select_related(
        "site", "created_by"
    )


def get_draft(user, pk) -> RosterDraft:
    return get_or_404(visible_drafts(user), pk)


def visible_leave(user) -> QuerySet[LeaveRequest]:
    """Leave the user asked for, or decides (approver of the agent's team)."""
    qs = LeaveRequest.objects.select_related("agent", "agent__team", "decided_by")
    return qs.visible_to(user, APPROVER_ROLES, via="agent", own=True)


def get_leave(user, pk) -> LeaveRequest:
    return get_or_404(visible_leave(user), pk)


def visible_swaps(user) -> QuerySet[SwapRequest]:
    """Swaps the user asked, is asked for, may take (open offers in the own team) or decides."""
    qs = SwapRequest.objects.select_related("requester", "partner", "requester__team")
    return (
        qs.visible_to(user, APPROVER_ROLES, via="requester", own=True)
        | qs.visible_to(user, NO_ROLE, via="partner", own=True)
        | qs.filter(partner__isnull=True, status=RequestStatus.OPEN).visible_to(
            user, NO_ROLE, via="requester__team", own=True)
    )


def get_swap(user, pk) -> SwapRequest:
    return get_or_404(visible_swaps(user), pk)


# --- schedules -----------------------------------------------------------------------------


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def team_grid(team: Team, start: date, days: int) -> dict:
    """Agents × days of a team's published schedule, in two queries."""
    agents = planning.active_agents([team.pk])
    end = start + timedelta(days=days - 1)
    cells: dict[int, dict[date, dict]] = defaultdict(dict)
    for row in PublishedShift.objects.filter(
        agent__in=[a.pk for a in agents], day__range=(start, end), active=True
    ).values_list("agent_id", "day", "template", "start_minute", "end_minute"):
        agent_id, day, template, a, b = row
        cells[agent_id][day] = (f"{a // 60 % 24:02d}:{a % 60:02d}–{b // 60 % 24:02d}:{b % 60:02d}", template)
    day_list = [start + timedelta(days=n) for n in range(days)]
    rows = []
    for agent in agents:
        by_day = cells.get(agent.pk, {})
        rows.append({"agent": agent, "cells": [by_day.get(d) for d in day_list]})
    counts = [sum(1 for r in rows if r["cells"][i]) for i in range(days)]
    return {"days": day_list, "rows": rows, "counts": counts}


def my_week(agent: Agent, start: date) -> list[dict]:
    shifts = {s.day: s for s in published_shifts([agent.pk], start, start + timedelta(days=6))}
    return [
        {"day": start + timedelta(days=n), "shift": shifts.get(start + timedelta(days=n))}
        for n in range(7)
    ]


def notices(agent: Agent) -> QuerySet[ShiftNotice]:
    return ShiftNotice.objects.filter(agent=agent)


# --- the floor -----------------------------------------------------------------------------


def floor(teams: list[Team], now=None) -> dict:
    """Live floor picture: each agent's planned activity vs state, and the interval staffing."""
    now = now or timezone.now()
    zone = planning.tz()
    local = now.astimezone(zone)
    team_ids = [t.pk for t in teams]
    agents = planning.active_agents(team_ids)
    ids = [a.pk for a in agents]
    shifts: dict[int, PlannedShift] = {}
    for shift in published_shifts(ids, local.date() - timedelta(days=1), local.date()):
        if shift.start <= now < shift.end or (
            shift.day == local.date() and shift.agent_id not in shifts
        ):
            shifts[shift.agent_id] = shift
    states = {c.agent_id: c for c in CurrentState.objects.filter(agent_id__in=ids)}
    site_ids = {t.site_id for t in teams}
    grace = min((planning.site_rules(s).grace_minutes for s in site_ids), default=3)
    lines = []
    for agent in agents:
        current = states.get(agent.pk)
        line = floor_line(
            agent.pk,
            shifts.get(agent.pk),
            current.state if current else None,
            current.since if current else None,
            now,
            grace,
        )
        lines.append({"agent": agent, "line": line, "shift": shifts.get(agent.pk)})
    lines.sort(key=lambda r: (not r["line"].alert, -r["line"].out_minutes, r["agent"].employee_no))
    scheduled = sum(1 for r in lines if r["line"].planned == "work")
    logged_in = sum(
        1 for r in lines if r["line"].state in ("logged_in", "available", "on_contact", "acw")
    )
    required = interval_required(site_ids, team_ids, local)
    last = max((c.received_at for c in states.values()), default=None)
    return {
        "lines": lines,
        "alerts": sum(1 for r in lines if r["line"].alert),
        "scheduled": scheduled,
        "logged_in": logged_in,
        "required": required,
        "grace": grace,
        "now": now,
        "last_event": last,
    }


def interval_required(site_ids, team_ids, local) -> int | None:
    """Agents required now for these teams (the teams' share of their site's requirement)."""
    from .models import Queue

    queues = list(Queue.objects.filter(site_id__in=site_ids))
    if not queues:
        return None
    agents = planning.active_agents(team_ids)
    skills = planning.agent_skills(agents, queues)
    demand = planning.team_share_demand(
        next(iter(site_ids)), queues, agents, skills, [local.date()]
    )
    slot = (local.hour * 60 + local.minute) // 15
    return sum(v[slot] for v in demand.values())
