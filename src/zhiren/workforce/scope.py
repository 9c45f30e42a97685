"""Who plans, approves and watches what in the workforce app, always through ``zhiren.org``.

- an agent: their own schedule, requests and calendar, and the grid of their own team;
- a team lead: the schedules, requests and floor of the teams they lead;
- a site manager (the WFM planner) and the admin: every team of their sites, plus
  forecasts, staffing, templates, rules and roster drafts of those sites.
Anything outside that is a 404.
"""

from __future__ import annotations

from django.db.models import QuerySet

from zhiren.org import selectors as org_selectors
from zhiren.org.models import Agent, Role, Site, Team
from zhiren.org.scoping import ANY_ROLE, coverage, get_or_404

PLANNER_ROLES = (Role.SITE_MANAGER, Role.ADMIN)
APPROVER_ROLES = (Role.TEAM_LEAD, Role.SITE_MANAGER, Role.ADMIN)


def planner_sites(user) -> QuerySet[Site]:
    return org_selectors.managed_sites(user, PLANNER_ROLES)


def get_planner_site(user, pk) -> Site:
    return org_selectors.get_managed_site(user, pk, PLANNER_ROLES)


def is_planner(user) -> bool:
    return planner_sites(user).exists()


def approver_teams(user) -> QuerySet[Team]:
    """Teams whose swaps and leave the user decides and whose floor they watch."""
    return (
        Team.objects.select_related("site")
        .order_by("site__code", "code")
        .visible_to(user, APPROVER_ROLES)
    )


def get_approver_team(user, pk) -> Team:
    return get_or_404(approver_teams(user), pk)


def may_approve(user, agent: Agent) -> bool:
    return coverage(user, APPROVER_ROLES).covers(agent.team_id)


def grid_teams(user) -> QuerySet[Team]:
    """Teams whose schedule grid the user may see: visible teams plus the agent's own team."""
    return (
        Team.objects.select_related("site")
        .order_by("site__code", "code")
        .visible_to(user, ANY_ROLE, own=True)
    )


def get_grid_team(user, pk) -> Team:
    return get_or_404(grid_teams(user), pk)
