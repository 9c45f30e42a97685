"""The workforce entry page: sends each role to where its work is. The pages themselves live in
the sub-packages (``planning``, ``drafts``, ``requests``, ``floor``, ``calendar``)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect
from django.views.decorators.http import require_GET

from zhiren.org.access import load_access

from .scope import approver_teams, grid_teams, planner_sites


@login_required
@require_GET
def home(request):
    site = planner_sites(request.user).first()
    if site is not None:
        return redirect("workforce:drafts", pk=site.pk)
    team = approver_teams(request.user).first()
    if team is not None:
        return redirect("workforce:team_grid", pk=team.pk)
    if load_access(request.user).own_agent_id:
        return redirect("workforce:my_week")
    team = grid_teams(request.user).first()
    if team is None:
        raise Http404
    return redirect("workforce:team_grid", pk=team.pk)
