"""Scoped reads of the placement module. Other modules may call:

- ``know_how_for_role(role_code)`` — captured practices for a role, newest first (training);
- ``fits_for_agents(agents, roles, today)`` — {agent id: {role code: Fit}} (pure ``fit.Fit``);
- ``ranking(agent, role, candidates, today)`` — where an agent stands among candidates;
- ``role_catalogue()`` — the active roles.

Who sees what: the fit of agents (it uses their wishes) — their team lead, the site manager,
HR and admin; assignments — site manager (own site) and admin; the favoritism report — site
manager (own site), admin and HR. Anything else is a 404.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db.models import Q, QuerySet
from django.http import Http404

from zhiren.org import selectors as org
from zhiren.org.access import load_access
from zhiren.org.models import Agent, AgentStatus, Role, Site, Team
from zhiren.org.scoping import coverage, covers_everything, get_or_404

from . import fit, inputs
from .models import (
    AgentTraits,
    AssignmentRun,
    KnowHow,
    OpenPosition,
    Pick,
    PositionStatus,
    RoleProfile,
    RoleWish,
    Stance,
)

FIT_ROLES = (Role.TEAM_LEAD, Role.SITE_MANAGER, Role.HR, Role.ADMIN)
PLANNER_ROLES = (Role.SITE_MANAGER, Role.ADMIN)
PICK_ROLES = (Role.TEAM_LEAD, Role.SITE_MANAGER, Role.ADMIN)
REPORT_ROLES = (Role.SITE_MANAGER, Role.HR, Role.ADMIN)
CATALOGUE_EDIT_ROLES = (Role.SITE_MANAGER, Role.ADMIN)
KNOW_HOW_WRITE_ROLES = (Role.TEAM_LEAD, Role.TRAINER, Role.SITE_MANAGER, Role.ADMIN)
STAFF_ROLES = tuple(set(Role.values) - {Role.AGENT})


def top_n() -> int:
    """How many of the best candidates a pick may come from without a justification."""
    return int(getattr(settings, "PLACEMENT_TOP_CANDIDATES", 3))


def require(user, *roles: str) -> None:
    if not load_access(user).has_role(*roles):
        raise Http404


def can(user, *roles: str) -> bool:
    return load_access(user).has_role(*roles)


# --- the catalogue ------------------------------------------------------------------------------


def role_catalogue(include_inactive: bool = False) -> list[RoleProfile]:
    qs = RoleProfile.objects.all()
    if not include_inactive:
        qs = qs.filter(is_active=True)
    return list(qs.order_by("order", "code"))


def get_role(pk) -> RoleProfile:
    return get_or_404(RoleProfile.objects.all(), pk)


# --- agents in scope ------------------------------------------------------------------------------


def fit_agents(user, roles=FIT_ROLES) -> QuerySet[Agent]:
    """Working agents (not left) whose fit the user may see."""
    if not can(user, *roles):
        return Agent.objects.none()
    qs = org.visible_agents(user).visible_to(user, roles).exclude(status=AgentStatus.LEFT)
    return qs.order_by("team__site__code", "team__code", "employee_no")


def get_fit_agent(user, pk, roles=FIT_ROLES) -> Agent:
    agent = org.get_visible_agent(user, pk)
    if not can(user, *roles) or not coverage(user, roles).covers(agent.team_id):
        raise Http404
    return agent


def fit_teams(user, roles=FIT_ROLES) -> QuerySet[Team]:
    return Team.objects.select_related("site").visible_to(user, roles).order_by("site__code", "code")


def fits_for_agents(agents, roles, today: date) -> dict[int, dict[str, fit.Fit]]:
    agents = list(agents)
    gathered = inputs.gather(agents, today)
    specs = [r.spec() for r in roles]
    return fit.fit_matrix((gathered[a.pk] for a in agents), specs)


def ranking(agent: Agent, role: RoleProfile, candidates, today: date) -> tuple[fit.Ranking, dict[int, fit.Fit]]:
    candidates = list(candidates)
    if all(c.pk != agent.pk for c in candidates):
        candidates.append(agent)
    fits = fits_for_agents(candidates, [role], today)
    by_agent = {agent_id: per_role[role.code] for agent_id, per_role in fits.items()}
    return fit.rank_of(agent.pk, by_agent.values(), top_n()), by_agent


@dataclass
class MatrixRow:
    agent: Agent
    fits: list[fit.Fit]
    best: str | None


def fit_matrix(user, today: date, team_id: int | None = None, sort_role: str = "") -> dict:
    roles = role_catalogue()
    agents = fit_agents(user)
    if team_id:
        agents = agents.filter(team_id=team_id)
    agents = list(agents)
    fits = fits_for_agents(agents, roles, today)
    rows = []
    for agent in agents:
        per_role = [fits[agent.pk][r.code] for r in roles]
        scored = [f for f in per_role if f.score is not None and not f.unwilling]
        best = max(scored, key=lambda f: f.score).role if scored else None
        rows.append(MatrixRow(agent, per_role, best))
    codes = [r.code for r in roles]
    if sort_role in codes:
        index = codes.index(sort_role)
        rows.sort(key=lambda r: (r.fits[index].score is None, -(r.fits[index].score or 0)))
    known = sum(1 for row in rows for f in row.fits if f.coverage >= 1)
    return {"roles": roles, "rows": rows, "complete": known, "cells": len(rows) * len(roles)}


def agent_fit(agent: Agent, today: date) -> list[tuple[RoleProfile, fit.Fit]]:
    roles = role_catalogue()
    fits = fits_for_agents([agent], roles, today)[agent.pk]
    return sorted(((r, fits[r.code]) for r in roles), key=lambda rf: (rf[1].score is None, -(rf[1].score or 0)))


def traits_of(agent: Agent) -> AgentTraits | None:
    return AgentTraits.objects.filter(agent=agent).first()


def wishes_of(agent: Agent) -> dict[int, RoleWish]:
    return {w.role_id: w for w in RoleWish.objects.filter(agent=agent).select_related("role")}


# --- sites, positions, runs ---------------------------------------------------------------------


def planner_sites(user) -> QuerySet[Site]:
    return org.managed_sites(user, PLANNER_ROLES)


def get_planner_site(user, pk) -> Site:
    return org.get_managed_site(user, pk, PLANNER_ROLES)


def site_positions(site: Site, open_only: bool = True) -> list[OpenPosition]:
    qs = OpenPosition.objects.filter(site=site).select_related("role", "team")
    if open_only:
        qs = qs.filter(status=PositionStatus.OPEN)
    return list(qs)


def get_position(user, pk) -> OpenPosition:
    return get_or_404(OpenPosition.objects.select_related("role", "site").filter(site__in=planner_sites(user)), pk)


def site_candidates(site: Site) -> list[Agent]:
    """Active agents of the site's teams: who an assignment may place."""
    return list(
        Agent.objects.filter(team__site=site, status=AgentStatus.ACTIVE)
        .select_related("team")
        .order_by("team__code", "employee_no")
    )


def blocked_pairs(site: Site, positions: list[OpenPosition]) -> list[RoleWish]:
    """Stated unwillingness of the site's candidates for the roles now open (the planner may override)."""
    role_ids = {p.role_id for p in positions}
    return list(
        RoleWish.objects.filter(
            agent__team__site=site, agent__status=AgentStatus.ACTIVE, role_id__in=role_ids, stance=Stance.UNWILLING
        )
        .select_related("agent", "role")
        .order_by("role__order", "agent__employee_no")
    )


def visible_runs(user) -> QuerySet[AssignmentRun]:
    return AssignmentRun.objects.filter(site__in=planner_sites(user)).select_related("site", "created_by")


def get_run(user, pk) -> AssignmentRun:
    return get_or_404(visible_runs(user), pk)


def run_moves(run: AssignmentRun) -> list:
    return list(run.moves.select_related("agent", "agent__team", "position", "position__role", "position__team"))


# --- picks and the favoritism report --------------------------------------------------------------


def pick_candidates(user) -> QuerySet[Agent]:
    """Whom the user may pick: agents of the teams they lead (leads) or their site (planners)."""
    return fit_agents(user, PICK_ROLES).filter(status=AgentStatus.ACTIVE)


def pick_positions(user) -> list[OpenPosition]:
    team_ids = pick_candidates(user).values("team__site_id")
    return list(
        OpenPosition.objects.filter(site_id__in=team_ids, status=PositionStatus.OPEN).select_related("role", "team")
    )


def report_picks(user) -> QuerySet[Pick]:
    if not can(user, *REPORT_ROLES):
        return Pick.objects.none()
    qs = Pick.objects.select_related("agent", "agent__team", "role", "picked_by", "site", "to_team")
    if covers_everything(user, REPORT_ROLES):
        return qs
    return qs.filter(site_id__in=Team.objects.visible_to(user, REPORT_ROLES).values("site_id"))


def favoritism_report(user, flagged_only: bool = False) -> dict:
    """Picks per lead: how many, how many went below the top candidates or against a wish."""
    picks = list(report_picks(user))
    by_lead: dict[str, dict] = defaultdict(lambda: {"total": 0, "below_top": 0, "against_wish": 0, "flagged": []})
    for p in picks:
        row = by_lead[p.picked_by_name or "—"]
        row["total"] += 1
        row["below_top"] += p.below_top
        row["against_wish"] += p.against_wish
        if p.flagged:
            row["flagged"].append(p)
    leads = [
        {"name": name, **row, "share": (len(row["flagged"]) / row["total"]) if row["total"] else 0.0}
        for name, row in by_lead.items()
    ]
    leads.sort(key=lambda r: (-len(r["flagged"]), r["name"]))
    if flagged_only:
        leads = [r for r in leads if r["flagged"]]
    return {"leads": leads, "total": len(picks), "flagged": sum(len(r["flagged"]) for r in leads)}


# --- know-how ---------------------------------------------------------------------------------------


def know_how_for_role(role_code: str) -> QuerySet[KnowHow]:
    """Captured practices for a role (for the training module and newcomers), newest first."""
    return (
        KnowHow.objects.filter(role__code=role_code)
        .select_related("role", "author")
        .order_by("-created_at", "-pk")
    )


def visible_know_how(user, role_id: int | None = None, q: str = "") -> QuerySet[KnowHow]:
    """Know-how is shared with every signed-in user: it exists to be passed on."""
    if not load_access(user).is_authenticated:
        return KnowHow.objects.none()
    qs = KnowHow.objects.select_related("role", "author", "author__team")
    if role_id:
        qs = qs.filter(role_id=role_id)
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(body__icontains=q) | Q(situation__icontains=q))
    return qs


def get_know_how(user, pk) -> KnowHow:
    return get_or_404(visible_know_how(user), pk)


def know_how_authors(user) -> QuerySet[Agent]:
    """Agents whose practice the user may record: those they cover with a writing role."""
    return fit_agents(user, KNOW_HOW_WRITE_ROLES)
