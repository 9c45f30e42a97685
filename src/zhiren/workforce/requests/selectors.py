"""Reads of leave and swap requests, through the user's scope, and what a request would change."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import QuerySet

from zhiren.org.models import Agent
from zhiren.org.scoping import NO_ROLE, get_or_404

from ..dates import days_between, tz
from ..engine.roster.problem import SLOTS_PER_DAY
from ..models import LeaveRequest, Queue, RequestStatus, SwapRequest
from ..planning.staffing import team_share_demand
from ..schedules import PlannedShift
from ..scope import APPROVER_ROLES
from ..selectors import published_shifts
from ..staff import active_agents, agent_skills


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


def colleagues(agent: Agent) -> list[Agent]:
    """The agent's active teammates: whom a swap may be asked of."""
    return [a for a in active_agents([agent.team_id]) if a.pk != agent.pk]


def swap_shifts(swap: SwapRequest) -> dict[int, PlannedShift]:
    """The published shifts of both sides of a swap on its day, by agent."""
    return {
        s.agent_id: s
        for s in published_shifts([swap.requester_id, swap.partner_id or 0], swap.day, swap.day)
    }


def leave_impact(leave: LeaveRequest) -> list[dict]:
    """Per day asked: the agent's shift, and the team's quarter hours short before and after."""
    days = days_between(leave.start, leave.end)
    agent = leave.agent
    shifts = {s.day: s for s in published_shifts([agent.pk], leave.start, leave.end)}
    queues = list(Queue.objects.filter(site_id=agent.team.site_id))
    team_agents = active_agents([agent.team_id])
    skills = agent_skills(team_agents, queues)
    demand = team_share_demand(agent.team.site_id, queues, team_agents, skills, days)
    scheduled = [0] * (len(days) * SLOTS_PER_DAY)
    own = [0] * len(scheduled)
    zone = tz()
    for shift in published_shifts([a.pk for a in team_agents], leave.start, leave.end):
        for act in shift.activities:
            if act.kind != "work":
                continue
            t = act.start.astimezone(zone)
            while t < act.end:
                i = (t.date() - leave.start).days * SLOTS_PER_DAY + (t.hour * 60 + t.minute) // 15
                if 0 <= i < len(scheduled):
                    scheduled[i] += 1
                    if shift.agent_id == agent.pk:
                        own[i] += 1
                t += timedelta(minutes=15)
    required = [sum(v[i] for v in demand.values()) for i in range(len(scheduled))]
    out = []
    for d, day in enumerate(days):
        rng = range(d * SLOTS_PER_DAY, (d + 1) * SLOTS_PER_DAY)
        short_before = sum(1 for i in rng if scheduled[i] < required[i])
        short_after = sum(1 for i in rng if scheduled[i] - own[i] < required[i])
        out.append(
            {
                "day": day,
                "shift": shifts.get(day),
                "short_before_h": short_before / 4,
                "short_after_h": short_after / 4,
                "added_h": (short_after - short_before) / 4,
            }
        )
    return out
