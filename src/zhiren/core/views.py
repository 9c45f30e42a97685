"""The home page: one per role."""

from __future__ import annotations

from types import SimpleNamespace

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.views import defaults

from zhiren.org import selectors as org
from zhiren.org.access import load_access
from zhiren.org.models import Role

from .registries import HOME_AGENT, HOME_LEAD, HOME_OVERVIEW, home_cards


def _cards(request, home: str) -> list[SimpleNamespace]:
    """The registered cards of one home page with their context, for ``{% home_card %}``."""
    return [
        SimpleNamespace(template=card.template, context=card.context(request))
        for card in home_cards
        if card.home == home
    ]


@login_required
def home(request):
    access = load_access(request.user)
    role = access.primary_role
    if role == Role.TEAM_LEAD:
        teams = list(org.visible_teams(request.user).visible_to(request.user, (Role.TEAM_LEAD,)))
        sections = [
            {
                "team": team,
                "agents": list(org.team_roster(request.user, team)),
            }
            for team in teams
        ]
        for section in sections:
            counts = {"active": 0, "on_leave": 0, "left": 0}
            for agent in section["agents"]:
                counts[agent.status] += 1
            section["counts"] = counts
        return render(
            request, "core/home_lead.html", {"sections": sections, "home_cards": _cards(request, HOME_LEAD)}
        )
    if role == Role.AGENT or role is None:
        agent = None
        if access.own_agent_id:
            agent = org.get_visible_agent(request.user, access.own_agent_id)
        cards = _cards(request, HOME_AGENT) if agent else []
        return render(request, "core/home_agent.html", {"agent": agent, "home_cards": cards})
    teams = list(org.teams_overview(request.user))
    totals = {
        "teams": len(teams),
        "active": sum(t.active_count for t in teams),
        "on_leave": sum(t.on_leave_count for t in teams),
        "left": sum(t.left_count for t in teams),
    }
    return render(request, "core/home_overview.html", {
        "teams": teams, "totals": totals, "role": role, "home_cards": _cards(request, HOME_OVERVIEW),
    })


def healthz(request):
    """Liveness probe for load balancers: no database, no session."""
    return HttpResponse("ok", content_type="text/plain")


def page_not_found(request, exception):
    """``handler404``: API clients get JSON (as from DRF's own 404s), people the HTML page."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "Not found."}, status=404)
    return defaults.page_not_found(request, exception)
