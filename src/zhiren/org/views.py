"""Teams, the agent directory and the agent's own profile card. Thin: selectors do the work."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from . import selectors
from .access import FieldGroup, load_access
from .models import AgentStatus, Position, Role

STAFF_ROLES = tuple(set(Role.values) - {Role.AGENT})


def _require_staff(request: HttpRequest) -> None:
    if not load_access(request.user).has_role(*STAFF_ROLES):
        raise Http404


@login_required
def team_list(request: HttpRequest) -> HttpResponse:
    _require_staff(request)
    return render(request, "org/team_list.html", {"teams": selectors.teams_overview(request.user)})


@login_required
def team_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require_staff(request)
    team = selectors.get_visible_team(request.user, pk)
    agents = list(selectors.team_roster(request.user, team))
    counts = dict.fromkeys(AgentStatus.values, 0)
    for agent in agents:
        counts[agent.status] += 1
    access = load_access(request.user)
    return render(
        request,
        "org/team_detail.html",
        {
            "team": team,
            "agents": agents,
            "counts": counts,
            "show_employment": access.coverage_for(FieldGroup.EMPLOYMENT).covers(team.pk),
        },
    )


@login_required
def agent_list(request: HttpRequest) -> HttpResponse:
    _require_staff(request)
    qs = selectors.visible_agents(request.user)
    q = request.GET.get("q", "").strip()
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(employee_no__icontains=q))
    team = request.GET.get("team", "")
    if team.isdigit():
        qs = qs.filter(team_id=int(team))
    status = request.GET.get("status", "")
    if status in AgentStatus.values:
        qs = qs.filter(status=status)
    position = request.GET.get("position", "")
    if position in Position.values:
        qs = qs.filter(position=position)
    page = Paginator(qs.order_by("team__code", "employee_no"), 50).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "org/agent_list.html",
        {
            "page": page,
            "teams": selectors.visible_teams(request.user),
            "statuses": AgentStatus.choices,
            "positions": Position.choices,
            "filters": {"q": q, "team": team, "status": status, "position": position},
            "querystring": params.urlencode(),
        },
    )


@login_required
def agent_detail(request: HttpRequest, pk: int) -> HttpResponse:
    agent = selectors.get_visible_agent(request.user, pk)
    groups = selectors.agent_field_groups(request.user, agent)
    return render(
        request, "org/agent_detail.html", {"agent": agent, "groups": {g.value for g in groups}}
    )


@login_required
def my_profile(request: HttpRequest) -> HttpResponse:
    access = load_access(request.user)
    if not access.own_agent_id:
        raise Http404
    return agent_detail(request, access.own_agent_id)
