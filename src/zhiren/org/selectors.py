"""Scoped reads of the organisation. Every list or detail view of agents and teams uses these."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet

from .access import AnyUser, FieldGroup, load_access
from .models import Agent, AgentStatus, Role, Site, Team
from .scoping import ANY_ROLE, Who, covers_everything, get_or_404

AGENT_FIELDS_BY_GROUP: dict[FieldGroup, tuple[str, ...]] = {
    FieldGroup.DIRECTORY: ("employee_no", "name", "team", "position", "status", "channel_skills"),
    FieldGroup.EMPLOYMENT: ("hire_date", "user"),
    FieldGroup.PERSONAL: ("birthday",),
    FieldGroup.SENSITIVE: (),  # filled by the people, wellbeing and discipline modules
}


def visible_agents(user: AnyUser) -> QuerySet[Agent]:
    """Agents the user may see at all (their own record included)."""
    return Agent.objects.select_related("team", "team__site").visible_to(user, FieldGroup.DIRECTORY)


def visible_teams(user: AnyUser) -> QuerySet[Team]:
    """Teams the user may see: those covered by a role, plus the user's own team."""
    access = load_access(user)
    qs = Team.objects.select_related("site")
    # The own team counts only for a user who covers some teams: a plain agent sees theirs elsewhere.
    return qs.visible_to(user, ANY_ROLE, own=bool(access.teams().team_ids))


def visible_sites(user: AnyUser) -> QuerySet[Site]:
    return Site.objects.filter(pk__in=visible_teams(user).values("site_id")).order_by("code")


SITE_RUNNER_ROLES = (Role.SITE_MANAGER, Role.ADMIN)


def managed_sites(user: AnyUser, roles: Who = SITE_RUNNER_ROLES) -> QuerySet[Site]:
    """Sites the user runs (plans rosters, assignments, rules for): through ``roles``."""
    teams = Team.objects.visible_to(user, roles)  # none without any of the roles
    if covers_everything(user, roles):
        return Site.objects.order_by("code")
    return Site.objects.filter(teams__in=teams).distinct().order_by("code")


def get_managed_site(user: AnyUser, pk: object, roles: Who = SITE_RUNNER_ROLES) -> Site:
    """A site the user runs, or 404 (missing or not theirs)."""
    return get_or_404(managed_sites(user, roles), pk)


def agent_field_groups(user: AnyUser, agent: Agent) -> frozenset[FieldGroup]:
    return load_access(user).field_groups(agent.pk, agent.team_id)


def visible_agent_fields(user: AnyUser, agent: Agent) -> frozenset[str]:
    """Names of the agent's fields the user may see."""
    groups = agent_field_groups(user, agent)
    return frozenset(name for g in groups for name in AGENT_FIELDS_BY_GROUP[g])


def get_visible_agent(user: AnyUser, pk: object) -> Agent:
    """The agent, or 404 when it does not exist *or* the user may not see it."""
    return get_or_404(visible_agents(user), pk)


def get_visible_team(user: AnyUser, pk: object) -> Team:
    return get_or_404(visible_teams(user), pk)


def team_roster(user: AnyUser, team: Team) -> QuerySet[Agent]:
    return visible_agents(user).filter(team=team).order_by("employee_no")


def status_counts(agents: QuerySet[Agent]) -> dict[str, int]:
    counts = dict.fromkeys(AgentStatus.values, 0)
    for row in agents.order_by().values("status").annotate(n=Count("id")):
        counts[row["status"]] = row["n"]
    return counts


def teams_overview(user: AnyUser) -> QuerySet[Team]:
    """Visible teams with head counts by status, in one query."""
    return visible_teams(user).annotate(
        active_count=Count("agents", filter=Q(agents__status=AgentStatus.ACTIVE)),
        on_leave_count=Count("agents", filter=Q(agents__status=AgentStatus.ON_LEAVE)),
        left_count=Count("agents", filter=Q(agents__status=AgentStatus.LEFT)),
    ).order_by("site__code", "code")


def team_lead_users(team: Team) -> QuerySet[Any]:
    """Active users who lead ``team``: a team-lead role on that team, its site or everything."""
    from django.contrib.auth import get_user_model

    covering = (
        Q(role_assignments__scope="teams", role_assignments__teams=team)
        | Q(role_assignments__scope="site", role_assignments__site_id=team.site_id)
        | Q(role_assignments__scope="all")
    )
    return (get_user_model().objects.filter(is_active=True, role_assignments__role=Role.TEAM_LEAD)
            .filter(covering).distinct().order_by("pk"))
