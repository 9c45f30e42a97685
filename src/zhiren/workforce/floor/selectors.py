"""Reads of the floor: the live picture of teams, the interval requirement, adherence per day."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta

from django.http import Http404
from django.utils import timezone

from zhiren.org.models import Agent, Team

from ..dates import tz
from ..engine.roster.problem import SLOTS_PER_DAY
from ..models import CurrentState, Queue, StateEvent
from ..planning.staffing import team_share_demand
from ..schedules import PlannedShift, activity_at
from ..scope import approver_teams
from ..selectors import published_shifts
from ..staff import active_agents, agent_skills, site_rules
from .adherence import PRODUCTIVE, adherence, floor_line


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


AHEAD = 4  # intervals shown after the current one


def floor(teams: list[Team], now=None) -> dict:
    """Live floor picture: per team, each agent's planned activity vs state, and the staffing
    of this quarter hour and the next ``AHEAD`` (scheduled to work vs required)."""
    now = now or timezone.now()
    zone = tz()
    local = now.astimezone(zone)
    team_ids = [t.pk for t in teams]
    agents = active_agents(team_ids)
    ids = [a.pk for a in agents]
    shifts: dict[int, PlannedShift] = {}
    all_shifts = published_shifts(ids, local.date() - timedelta(days=1), local.date())
    for shift in all_shifts:
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
        lines.append(
            {
                "agent": agent,
                "line": line,
                "shift": shifts.get(agent.pk),
                "in_state": int((now - line.since).total_seconds() // 60) if line.since else None,
                "colour": STATE_COLOURS.get(line.state or "", "secondary"),
            }
        )
    lines.sort(key=lambda r: (not r["line"].alert, -r["line"].out_minutes, r["agent"].employee_no))
    by_team = []
    for team in sorted(teams, key=lambda t: (t.site_id, t.pk)):
        rows = [r for r in lines if r["agent"].team_id == team.pk]
        by_team.append(
            {
                "team": team,
                # a card for whoever is on shift, logged in or out of adherence; the rest by name
                "lines": [r for r in rows if not _off_shift(r["line"])],
                "off": [r["agent"].name for r in rows if _off_shift(r["line"])],
                "alerts": sum(1 for r in rows if r["line"].alert),
                "working": sum(1 for r in rows if r["line"].state in PRODUCTIVE),
            }
        )
    scheduled = sum(1 for r in lines if r["line"].planned == "work")
    logged_in = sum(1 for r in lines if r["line"].state in PRODUCTIVE)
    first = local.replace(minute=local.minute - local.minute % 15, second=0, microsecond=0)
    moments = [first + timedelta(minutes=15 * n) for n in range(AHEAD + 1)]
    required = interval_required(site_ids, agents, moments)
    intervals = []
    for moment, need in zip(moments, required, strict=True):
        staffed = sum(1 for s in all_shifts if activity_at(s, moment) == "work")
        intervals.append(
            {
                "start": moment,
                "required": need,
                "scheduled": staffed,
                "short": need is not None and staffed < need,
            }
        )
    last = max((c.received_at for c in states.values()), default=None)
    return {
        "lines": lines,
        "teams": by_team,
        "intervals": intervals,
        "alerts": sum(1 for r in lines if r["line"].alert),
        "scheduled": scheduled,
        "logged_in": logged_in,
        "required": required[0],
        "grace": grace,
        "now": now,
        "last_event": last,
    }


def _off_shift(line) -> bool:
    """Not planned to work now, not logged in and not out of adherence: nothing to watch."""
    return line.planned is None and line.state in (None, "offline") and not line.out_since


# Tabler colour names per state: working green/blue, pauses amber, away grey.
STATE_COLOURS = {
    "available": "green",
    "logged_in": "teal",
    "on_contact": "blue",
    "acw": "azure",
    "break": "orange",
    "lunch": "yellow",
    "meeting": "purple",
    "offline": "secondary",
}


def interval_required(site_ids, agents: list[Agent], moments: list[datetime]) -> list[int | None]:
    """Agents required at each local moment for these agents' teams (their share of each
    site's requirement), or None for each where no site has queues."""
    queues = list(Queue.objects.filter(site_id__in=site_ids))
    if not queues:
        return [None] * len(moments)
    days = sorted({m.date() for m in moments})
    skills = agent_skills(agents, queues)
    totals = [0] * len(moments)
    for site_id in sorted(site_ids):
        site_queues = [q for q in queues if q.site_id == site_id]
        here = [a for a in agents if a.team.site_id == site_id]
        if not site_queues or not here:
            continue
        demand = team_share_demand(site_id, site_queues, here, skills, days)
        for i, m in enumerate(moments):
            slot = days.index(m.date()) * SLOTS_PER_DAY + (m.hour * 60 + m.minute) // 15
            totals[i] += sum(v[slot] for v in demand.values())
    return list(totals)


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
