"""Reads of the floor: the live picture of teams, the interval requirement, adherence per day."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta

from django.http import Http404
from django.utils import timezone

from zhiren.org.models import Agent, Team

from ..dates import tz
from ..models import CurrentState, Queue, StateEvent
from ..planning.staffing import team_share_demand
from ..schedules import PlannedShift
from ..scope import approver_teams
from ..selectors import published_shifts
from ..staff import active_agents, agent_skills, site_rules
from .adherence import adherence, floor_line


def floor_teams(user, chosen: str) -> list[Team]:
    """The teams the floor shows: the user's approver teams, or the one ``chosen`` among them."""
    teams = list(approver_teams(user))
    if not teams:
        raise Http404
    if chosen:
        teams = [t for t in teams if str(t.pk) == chosen]
        if not teams:
            raise Http404
    return teams


def floor(teams: list[Team], now=None) -> dict:
    """Live floor picture: each agent's planned activity vs state, and the interval staffing."""
    now = now or timezone.now()
    zone = tz()
    local = now.astimezone(zone)
    team_ids = [t.pk for t in teams]
    agents = active_agents(team_ids)
    ids = [a.pk for a in agents]
    shifts: dict[int, PlannedShift] = {}
    for shift in published_shifts(ids, local.date() - timedelta(days=1), local.date()):
        if shift.start <= now < shift.end or (
            shift.day == local.date() and shift.agent_id not in shifts
        ):
            shifts[shift.agent_id] = shift
    states = {c.agent_id: c for c in CurrentState.objects.filter(agent_id__in=ids)}
    site_ids = {t.site_id for t in teams}
    grace = min((site_rules(s).grace_minutes for s in site_ids), default=3)
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
    queues = list(Queue.objects.filter(site_id__in=site_ids))
    if not queues:
        return None
    agents = active_agents(team_ids)
    skills = agent_skills(agents, queues)
    demand = team_share_demand(next(iter(site_ids)), queues, agents, skills, [local.date()])
    slot = (local.hour * 60 + local.minute) // 15
    return sum(v[slot] for v in demand.values())


def adherence_report(team_agents: list[Agent], day: date) -> list[dict]:
    """Adherence and conformance per agent for one day (all from the stored state events)."""
    zone = tz()
    start = datetime.combine(day, datetime.min.time(), zone)
    end = start + timedelta(days=1, hours=12)
    ids = [a.pk for a in team_agents]
    shifts = defaultdict(list)
    for s in published_shifts(ids, day, day):
        shifts[s.agent_id].append(s)
    events = defaultdict(list)
    for agent_id, at, state in StateEvent.objects.filter(
        agent_id__in=ids, at__range=(start - timedelta(hours=12), end)
    ).values_list("agent_id", "at", "state"):
        events[agent_id].append((at, state))
    now = timezone.now()
    out = []
    for agent in team_agents:
        window_end = min(end, max(now, start))
        res = adherence(shifts[agent.pk], events[agent.pk], start, window_end, grace_minutes=0)
        out.append({"agent": agent, "shifts": shifts[agent.pk], "result": res})
    return out
