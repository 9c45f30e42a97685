"""Writes of the placement module: catalogue, traits and wishes, positions, assignment runs,
picks (the favoritism check) and know-how. Every write is audit-logged (field names only)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhiren.audit.models import AuditAction
from zhiren.audit.services import record as audit
from zhiren.core.versioning import claim_version
from zhiren.org.models import Agent, Position, Site, Team

from . import fit, selectors, solver
from .models import (
    AgentTraits,
    AssignmentRun,
    KnowHow,
    Move,
    OpenPosition,
    Pick,
    PickKind,
    PositionStatus,
    RoleProfile,
    RoleWish,
    RunStatus,
    Skill,
    Stance,
    Trait,
    WishSource,
)

# Seed 000 §03: curious and lively for presales, calm and steady for aftersales, rigorous and
# rule-respecting for QA; the rest follow the same reasoning.
DEFAULT_ROLES: tuple[dict, ...] = (
    {"code": Position.PRESALES, "order": 10, "traits": [Trait.CURIOUS, Trait.LIVELY, Trait.AMBITIOUS],
     "skills": [Skill.PRODUCT, Skill.SELLING]},
    {"code": Position.AFTERSALES, "order": 20, "traits": [Trait.CALM, Trait.STEADY, Trait.PATIENT],
     "skills": [Skill.PRODUCT, Skill.AFTERSALES_PROCESS]},
    {"code": Position.COMPLAINTS, "order": 30, "traits": [Trait.CALM, Trait.RESILIENT, Trait.EMPATHETIC],
     "skills": [Skill.DE_ESCALATION, Skill.POLICY]},
    {"code": Position.QA, "order": 40, "traits": [Trait.RIGOROUS, Trait.RULE_ABIDING, Trait.ANALYTICAL],
     "skills": [Skill.QA_SCORING, Skill.POLICY]},
    {"code": Position.TRAINER, "order": 50, "traits": [Trait.ARTICULATE, Trait.MENTORING, Trait.PATIENT],
     "skills": [Skill.TRAINING_DELIVERY, Skill.PRODUCT]},
    {"code": Position.OPERATIONS, "order": 60, "traits": [Trait.ANALYTICAL, Trait.ORGANISED, Trait.CURIOUS],
     "skills": [Skill.DATA_ANALYSIS, Skill.PROCESS_IMPROVEMENT]},
    {"code": Position.LEAD_RESERVE, "order": 70, "traits": [Trait.MENTORING, Trait.DECISIVE, Trait.STEADY],
     "skills": [Skill.PEOPLE_LEADERSHIP, Skill.DATA_ANALYSIS]},
)


def ensure_catalogue() -> list[RoleProfile]:
    """Create the default roles that are missing (never changes an edited role)."""
    created = []
    for spec in DEFAULT_ROLES:
        role, was_created = RoleProfile.objects.get_or_create(
            code=str(spec["code"]),
            defaults={"order": spec["order"], "traits": [str(t) for t in spec["traits"]],
                      "skills": [str(s) for s in spec["skills"]]},
        )
        if was_created:
            created.append(role)
    return created


@transaction.atomic
def update_role(user, role: RoleProfile, data: Mapping, request=None, *, version: int | None = None) -> RoleProfile:
    """``version``: the version the editing form was opened at (``StaleEdit`` if someone saved since)."""
    claim_version(role, version)
    changed = []
    for name in ("name", "description", "traits", "skills", "weight_ability", "weight_knowledge",
                 "weight_traits", "weight_willingness", "is_active", "order"):
        if name in data and getattr(role, name) != data[name]:
            setattr(role, name, data[name])
            changed.append(name)
    role.full_clean()
    role.save()
    audit(actor=user, action=AuditAction.UPDATE, obj=role, fields=changed, request=request)
    return role


# --- what is known about an agent ---------------------------------------------------------------


def set_traits(user, agent: Agent, traits: Iterable[str], request=None) -> AgentTraits:
    row, _created = AgentTraits.objects.get_or_create(agent=agent)
    row.traits = sorted(set(traits))
    row.updated_by = user
    row.full_clean()
    row.save()
    audit(actor=user, action=AuditAction.UPDATE, obj=row, fields=["traits"], subject_agent_id=agent.pk,
          request=request)
    return row


def set_wish(user, agent: Agent, role: RoleProfile, stance: str, note: str = "", *, source: str | None = None,
             request=None) -> RoleWish | None:
    """Record (or clear, with ``stance=""``) an agent's wish for or against a role."""
    if source is None:
        source = WishSource.SELF if getattr(getattr(user, "agent", None), "pk", None) == agent.pk else WishSource.LEAD
    if not stance:
        deleted, _rows = RoleWish.objects.filter(agent=agent, role=role).delete()
        if deleted:
            audit(actor=user, action=AuditAction.DELETE, object_type="placement.rolewish", object_id=role.pk,
                  fields=["stance"], subject_agent_id=agent.pk, request=request)
        return None
    if stance not in Stance.values:
        raise ValidationError(_("Unknown stance."))
    wish, _created = RoleWish.objects.update_or_create(
        agent=agent, role=role, defaults={"stance": stance, "note": note[:200], "source": source, "recorded_by": user}
    )
    audit(actor=user, action=AuditAction.UPDATE, obj=wish, fields=["stance", "note"], subject_agent_id=agent.pk,
          request=request)
    return wish


# --- positions ------------------------------------------------------------------------------------


def open_position(user, site: Site, role: RoleProfile, capacity: int, *, team: Team | None = None,
                  title: str = "", request=None) -> OpenPosition:
    position = OpenPosition(site=site, role=role, team=team, capacity=capacity, title=title, created_by=user)
    position.full_clean()
    position.save()
    audit(actor=user, action=AuditAction.CREATE, obj=position, fields=["role", "capacity", "team"], request=request)
    return position


def close_position(user, position: OpenPosition, request=None) -> None:
    position.status = PositionStatus.CLOSED
    position.save(update_fields=["status"])
    audit(actor=user, action=AuditAction.UPDATE, obj=position, fields=["status"], request=request)


# --- the optimal assignment -------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """An assignment problem in plain arrays, with the objects behind its rows and columns."""

    agents: list[Agent]
    positions: list[OpenPosition]
    fits: dict[int, dict[str, fit.Fit]]
    matrix: list[list[float | None]]
    blocked: int  # pairs left out for a stated unwillingness


def build_problem(site: Site, today: date, overrides: Mapping[tuple[int, int], str] = ()) -> Problem:
    """Fit of every active agent of the site for every open position.

    A pair is left out (``None``) when the agent already works in that role, when the fit is
    unknown, or when the agent said they do not want the role — unless ``overrides`` holds
    a reason for that (agent id, role id).
    """
    positions = selectors.site_positions(site)
    agents = selectors.site_candidates(site)
    roles = list({p.role_id: p.role for p in positions}.values())
    fits = selectors.fits_for_agents(agents, roles, today) if positions else {a.pk: {} for a in agents}
    overrides = dict(overrides)
    matrix: list[list[float | None]] = []
    blocked = 0
    for agent in agents:
        row: list[float | None] = []
        for position in positions:
            result = fits[agent.pk][position.role.code]
            allowed = result.score is not None and not result.current
            if allowed and result.unwilling and not overrides.get((agent.pk, position.role_id), "").strip():
                allowed = False
                blocked += 1
            row.append(result.score if allowed else None)
        matrix.append(row)
    return Problem(agents, positions, fits, matrix, blocked)


def run_assignment(user, site: Site, today: date, overrides: Mapping[tuple[int, int], str] = (),
                   request=None) -> AssignmentRun:
    """Solve the site's open positions to proven optimality and keep the proposal.

    ``overrides`` maps (agent id, role id) → the planner's reason to allow a pair the agent
    said they do not want. Each override that the optimum uses is kept on the move and in
    the favoritism report.
    """
    overrides = {k: v.strip() for k, v in dict(overrides).items() if v and v.strip()}
    problem = build_problem(site, today, overrides)
    capacity = [p.capacity for p in problem.positions]
    result = solver.solve(problem.matrix, capacity)
    baseline = solver.greedy(problem.matrix, capacity)
    with transaction.atomic():
        run = AssignmentRun.objects.create(
            site=site, created_by=user, candidates=len(problem.agents), seats=sum(capacity),
            total_fit=result.total, greedy_total=baseline.total, proven_optimal=result.proven_optimal,
            solver=result.solver, seconds=round(result.seconds, 4), blocked_by_wish=problem.blocked,
        )
        for i, j in sorted(result.seats.items(), key=lambda s: (s[1], s[0])):
            agent, position = problem.agents[i], problem.positions[j]
            role_fits = [problem.fits[a.pk][position.role.code] for a in problem.agents]
            ranking = fit.rank_of(agent.pk, role_fits, selectors.top_n())
            chosen = problem.fits[agent.pk][position.role.code]
            reason = overrides.get((agent.pk, position.role_id), "") if chosen.unwilling else ""
            Move.objects.create(run=run, agent=agent, position=position, fit_score=problem.matrix[i][j],
                                rank=ranking.rank, candidates=ranking.of, override_reason=reason)
            if reason:
                _record_pick(user, agent, position.role, chosen, ranking, problem.agents, kind=PickKind.OVERRIDE,
                             position=position, justification=reason, site=site)
        audit(actor=user, action=AuditAction.CREATE, obj=run, fields=["moves"], request=request)
    return run


def apply_run(user, run: AssignmentRun, request=None) -> int:
    """Carry out a proposed run: the agents take the role (and team, when the position names one)."""
    if run.status == RunStatus.APPLIED:
        raise ValidationError(_("This assignment has already been applied."))
    moves = selectors.run_moves(run)
    with transaction.atomic():
        filled: dict[int, int] = {}
        for move in moves:
            agent = move.agent
            fields = []
            if move.position.role.code in Position.values:
                agent.position = move.position.role.code
                fields.append("position")
            if move.position.team_id:
                agent.team_id = move.position.team_id
                fields.append("team")
            if fields:
                agent.save(update_fields=[*fields, "updated_at"])
                audit(actor=user, action=AuditAction.UPDATE, obj=agent, fields=fields, subject_agent_id=agent.pk,
                      purpose="placement", request=request)
            filled[move.position_id] = filled.get(move.position_id, 0) + 1
        for move in moves:
            position = move.position
            if filled.get(position.pk, 0) >= position.capacity and position.status == PositionStatus.OPEN:
                position.status = PositionStatus.FILLED
                position.save(update_fields=["status"])
        run.status = RunStatus.APPLIED
        run.applied_at = timezone.now()
        run.save(update_fields=["status", "applied_at"])
        audit(actor=user, action=AuditAction.UPDATE, obj=run, fields=["status"], request=request)
    return len(moves)


# --- picks: the favoritism check ---------------------------------------------------------------------


class JustificationRequired(ValidationError):
    """The pick is not among the top candidates or goes against the agent's wish: say why."""

    def __init__(self, check: PickCheck):
        self.check = check
        super().__init__(_("Say why you chose this person."), code="justification_required")


@dataclass(frozen=True)
class PickCheck:
    agent: Agent
    role: RoleProfile
    fit: fit.Fit
    ranking: fit.Ranking
    top: list[tuple[Agent, fit.Fit]]
    below_top: bool
    against_wish: bool

    @property
    def flagged(self) -> bool:
        return self.below_top or self.against_wish


def check_pick(agent: Agent, role: RoleProfile, candidates: list[Agent], today: date) -> PickCheck:
    """Where the agent ranks for the role among the candidates, and whether the choice is flagged."""
    ranking, fits = selectors.ranking(agent, role, candidates, today)
    by_id = {a.pk: a for a in [*candidates, agent]}
    mine = fits[agent.pk]
    return PickCheck(
        agent=agent, role=role, fit=mine, ranking=ranking,
        top=[(by_id[i], fits[i]) for i in ranking.top],
        below_top=ranking.rank > selectors.top_n(),
        against_wish=mine.unwilling,
    )


def _record_pick(user, agent, role, chosen: fit.Fit, ranking: fit.Ranking, candidates, *, kind, site,
                 position=None, to_team=None, justification="") -> Pick:
    by_id = {a.pk: a for a in candidates}
    return Pick.objects.create(
        picked_by=user, picked_by_name=_display_name(user), agent=agent, role=role, position=position,
        to_team=to_team, kind=kind, site=site, fit_score=chosen.score, rank=ranking.rank, candidates=ranking.of,
        top_candidates=[{"id": i, "name": by_id[i].name if i in by_id else ""} for i in ranking.top],
        below_top=ranking.rank > selectors.top_n(), against_wish=chosen.unwilling, justification=justification,
    )


def _display_name(user) -> str:
    if user is None:
        return ""
    full = f"{user.last_name}{user.first_name}".strip()
    return full or user.get_username()


def pick(user, agent: Agent, role: RoleProfile, candidates: list[Agent], today: date, *,
         kind: str = PickKind.ROLE, position: OpenPosition | None = None, to_team: Team | None = None,
         justification: str = "", request=None) -> Pick:
    """Record a lead's choice. Raises ``JustificationRequired`` when the choice is flagged
    (not among the top candidates, or against the agent's stated wish) and no reason is given."""
    check = check_pick(agent, role, candidates, today)
    justification = justification.strip()
    if check.flagged and not justification:
        raise JustificationRequired(check)
    site = position.site if position else (to_team.site if to_team else agent.team.site)
    with transaction.atomic():
        result = _record_pick(user, agent, role, check.fit, check.ranking, [*candidates, agent], kind=kind,
                              site=site, position=position, to_team=to_team, justification=justification)
        audit(actor=user, action=AuditAction.CREATE, obj=result, fields=["agent", "role", "justification"],
              subject_agent_id=agent.pk, request=request)
    return result


# --- know-how ---------------------------------------------------------------------------------------


def record_know_how(user, *, role: RoleProfile, title: str, body: str, kind: str, author: Agent | None = None,
                    situation: str = "", request=None) -> KnowHow:
    item = KnowHow(role=role, title=title, body=body, kind=kind, author=author, situation=situation,
                   recorded_by=user)
    item.full_clean()
    item.save()
    audit(actor=user, action=AuditAction.CREATE, obj=item, fields=["title", "body"],
          subject_agent_id=author.pk if author else None, request=request)
    return item
