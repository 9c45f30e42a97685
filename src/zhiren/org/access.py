"""Who may see which agents, and which groups of their fields.

This is the one place that answers the question; selectors and views ask it.
The policy is plain data (``FIELD_GROUP_ROLES``) so later modules can read it.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.contrib.auth.models import AnonymousUser, User
from django.http import HttpRequest

from .models import Role, Scope

AnyUser = User | AnonymousUser
"""Whoever asks: a signed-in user or the anonymous one (what ``request.user`` holds)."""


class AuthenticatedHttpRequest(HttpRequest):
    """For type hints: a request behind ``login_required``, whose user is signed in."""

    user: User


class FieldGroup(enum.StrEnum):
    """Groups of agent data with the same visibility."""

    DIRECTORY = "directory"  # name, employee no., team, position, status, channel skills
    EMPLOYMENT = "employment"  # hire date, tenure, login
    PERSONAL = "personal"  # birthday and other personal dates
    SENSITIVE = "sensitive"  # life stage, mood notes, discipline, interview notes


# Which roles see a field group for the agents within their scope. The agent
# always sees every group of their own record.
FIELD_GROUP_ROLES: dict[FieldGroup, frozenset[str]] = {
    FieldGroup.DIRECTORY: frozenset(Role.values) - {Role.AGENT},
    FieldGroup.EMPLOYMENT: frozenset(
        {Role.TEAM_LEAD, Role.QA, Role.TRAINER, Role.HR, Role.SITE_MANAGER, Role.ADMIN}
    ),
    FieldGroup.PERSONAL: frozenset({Role.TEAM_LEAD, Role.HR, Role.SITE_MANAGER, Role.ADMIN}),
    # Sensitive data: the agent, their own lead and HR only (DESIGN §3).
    FieldGroup.SENSITIVE: frozenset({Role.TEAM_LEAD, Role.HR}),
}

ALL_TEAMS = None  # marker: a scope that covers every team


@dataclass(frozen=True)
class Coverage:
    """A set of teams, or every team when ``everything`` is true."""

    everything: bool = False
    team_ids: frozenset[int] = frozenset()

    def covers(self, team_id: int | None) -> bool:
        return self.everything or (team_id is not None and team_id in self.team_ids)

    def covers_all(self, team_ids: Iterable[int] | Callable[[], Iterable[int]]) -> bool:
        """Whether every one of the teams is covered (none given: only by everything).

        ``team_ids`` may be a function, called only when the answer is not plain (saves a query).
        """
        if self.everything:
            return True
        if not self.team_ids:
            return False
        ids = set(team_ids() if callable(team_ids) else team_ids)
        return bool(ids) and ids <= self.team_ids

    def union(self, other: Coverage) -> Coverage:
        if self.everything or other.everything:
            return Coverage(everything=True)
        return Coverage(team_ids=self.team_ids | other.team_ids)


@dataclass(frozen=True)
class UserAccess:
    """Everything needed to decide visibility for one user, computed once per request."""

    user_id: int | None
    roles: frozenset[str] = frozenset()
    own_agent_id: int | None = None
    own_team_id: int | None = None
    by_role: dict[str, Coverage] = field(default_factory=dict)

    @property
    def is_authenticated(self) -> bool:
        return self.user_id is not None

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))

    def coverage_for(self, group: FieldGroup) -> Coverage:
        result = Coverage()
        for role in FIELD_GROUP_ROLES[group]:
            if role in self.by_role:
                result = result.union(self.by_role[role])
        return result

    def teams(self, *roles: str) -> Coverage:
        """Teams covered by any of the given roles (all roles when none given)."""
        result = Coverage()
        for role, coverage in self.by_role.items():
            if not roles or role in roles:
                result = result.union(coverage)
        return result

    def field_groups(self, agent_id: int, team_id: int | None) -> frozenset[FieldGroup]:
        if agent_id == self.own_agent_id:
            return frozenset(FieldGroup)
        return frozenset(g for g in FieldGroup if self.coverage_for(g).covers(team_id))

    def may_see_agent(self, agent_id: int, team_id: int | None) -> bool:
        return FieldGroup.DIRECTORY in self.field_groups(agent_id, team_id)

    @property
    def primary_role(self) -> str | None:
        """The role whose home page the user lands on."""
        for role in HOME_ROLE_ORDER:
            if role in self.roles:
                return role
        return None


HOME_ROLE_ORDER = (
    Role.ADMIN,
    Role.SITE_MANAGER,
    Role.HR,
    Role.TEAM_LEAD,
    Role.QA,
    Role.TRAINER,
    Role.AGENT,
)

ANONYMOUS = UserAccess(user_id=None)


ACCESS_CACHE = "_zhiren_access"  # the attribute of the user that holds their UserAccess


def load_access(user: AnyUser | None) -> UserAccess:
    """Build a user's access from their role assignments (two queries), cached on the user.

    ``None`` (no one, e.g. the command line) and the anonymous user have no access.
    """
    if user is None or not user.is_authenticated:
        return ANONYMOUS
    cached = getattr(user, ACCESS_CACHE, None)
    if isinstance(cached, UserAccess):
        return cached
    from .models import Agent, RoleAssignment, Team

    by_role: dict[str, Coverage] = {}
    assignments = list(
        RoleAssignment.objects.filter(user=user).prefetch_related("teams")
    )
    site_ids = {a.site_id for a in assignments if a.scope == Scope.SITE and a.site_id}
    site_teams: dict[int, set[int]] = {}
    if site_ids:
        for team_id, site_id in Team.objects.filter(site_id__in=site_ids).values_list("id", "site_id"):
            site_teams.setdefault(site_id, set()).add(team_id)
    for a in assignments:
        if a.scope == Scope.ALL:
            coverage = Coverage(everything=True)
        elif a.scope == Scope.SITE:
            coverage = Coverage(team_ids=frozenset(site_teams.get(a.site_id, ()) if a.site_id else ()))
        elif a.scope == Scope.TEAMS:
            coverage = Coverage(team_ids=frozenset(t.id for t in a.teams.all()))
        else:
            coverage = Coverage()
        by_role[a.role] = by_role.get(a.role, Coverage()).union(coverage)
    if user.is_superuser:
        by_role[Role.ADMIN] = Coverage(everything=True)
    own = Agent.objects.filter(user=user).values_list("id", "team_id").first()
    access = UserAccess(
        user_id=user.pk,
        roles=frozenset(by_role),
        own_agent_id=own[0] if own else None,
        own_team_id=own[1] if own else None,
        by_role=by_role,
    )
    setattr(user, ACCESS_CACHE, access)
    return access
