"""Writes of the performance module: contact records, targets, goals, mappings, appraisals."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from zhiren.audit.models import AuditAction
from zhiren.audit.services import record
from zhiren.imports.planning import ImportPlan, commit_plan, plan_import
from zhiren.imports.records import records_table
from zhiren.imports.services import import_context
from zhiren.imports.tables import Table
from zhiren.imports.validation import validate
from zhiren.org.access import load_access
from zhiren.org.models import Agent, AgentStatus, Role, Site, Team
from zhiren.org.scoping import coverage, covers_everything
from zhiren.org.selectors import managed_sites

from .importers import FIELD_KEYS, IMPORT_ROLES, InteractionImport
from .kpis import KPIS
from .models import (
    Appraisal,
    AppraisalCycle,
    AppraisalStage,
    AppraisalTemplate,
    ColumnMapping,
    CycleStatus,
    Goal,
    GoalLevel,
    KpiTarget,
)

MAX_API_RECORDS = 10000

# --- contacts --------------------------------------------------------------------------------


def import_records(records: list[Mapping[str, Any]], *, user=None, dry_run: bool = False, request=None) -> ImportPlan:
    """Import contact records (the REST bulk endpoint): the same checks as a file, all or none.

    Returns the plan; ``plan.errors`` name the record (row) and field. Rollups of
    the affected days are refreshed in the same transaction.
    """
    spec = InteractionImport()
    context = import_context(user)
    if not context.is_system and not spec.may_import(context.access):
        raise PermissionDenied(_("You may not import interactions."))
    if not records:
        return plan_import(spec, validate(Table(format="json", encoding=None), spec, context), context)
    spec.prepare(context)
    validation = validate(records_table(records), spec, context)
    plan = plan_import(spec, validation, context)
    if dry_run or plan.has_errors or not plan.has_changes:
        return plan
    with transaction.atomic():
        commit_plan(spec, plan, context)
        counts = plan.counts()
        record(
            actor=user,
            action=AuditAction.IMPORT,
            object_type=spec.object_type,
            fields=plan.changed_fields(),
            purpose=f"api import interactions: {counts['created']} created, {counts['updated']} updated",
            request=request,
        )
    return plan


# --- column mappings ----------------------------------------------------------------------------


def save_mapping(user, name: str, columns: Mapping[str, str], description: str = "") -> ColumnMapping:
    """Save (or replace) a named column mapping: file header → field key (blank: ignore the column)."""
    if not load_access(user).has_role(*IMPORT_ROLES):
        raise PermissionDenied
    cleaned = {}
    for header, key in columns.items():
        header = str(header).strip()
        if not header:
            continue
        if key and key not in FIELD_KEYS:
            raise ValidationError(_("Unknown field “%(key)s”.") % {"key": key})
        cleaned[header] = key or ""
    if not cleaned:
        raise ValidationError(_("Map at least one column."))
    mapping, _created = ColumnMapping.objects.update_or_create(
        name=name, defaults={"columns": cleaned, "description": description, "created_by": user}
    )
    return mapping


# --- targets and goals -----------------------------------------------------------------------


TARGET_ROLES = (Role.SITE_MANAGER, Role.ADMIN)


def may_edit_targets(user) -> bool:
    return load_access(user).has_role(*TARGET_ROLES)


def may_edit_default_targets(user) -> bool:
    """The defaults apply to every team: only someone whose target scope covers every team."""
    return covers_everything(user, TARGET_ROLES)


def _check_target(kpi: str, value: float) -> None:
    if kpi not in KPIS or KPIS[kpi].unit == "count":
        raise ValidationError(_("Unknown KPI."))
    low, high = TARGET_BOUNDS[KPIS[kpi].unit] if kpi != "nps" else (-100.0, 100.0)
    if not low <= value <= high:
        raise ValidationError(
            _("%(kpi)s: the target lies between %(low)s and %(high)s.")
            % {"kpi": KPIS[kpi].label, "low": f"{low:g}", "high": f"{high:g}"}
        )


TARGET_BOUNDS = {"percent": (0.0, 100.0), "seconds": (0.0, 86400.0 * 7), "score": (0.0, 5.0)}


@transaction.atomic
def set_targets(user, values: Mapping[str, float | None], team: Team | None = None) -> list[str]:
    """Set the KPI targets of a team (or the defaults for every team, ``team`` None).

    ``values`` maps KPI code → target; None removes the row, so the team falls back
    to the default (the default to the built-in one). Site managers edit the teams
    of their sites, administrators every team and the defaults. Returns the codes
    that changed (audited, without the values).
    """
    if not may_edit_targets(user):
        raise PermissionDenied
    if team is None and not may_edit_default_targets(user):
        raise PermissionDenied
    if team is not None and not coverage(user, TARGET_ROLES).covers(team.pk):
        raise Http404
    for kpi, value in values.items():
        if value is not None:
            _check_target(kpi, value)
    current = {t.kpi: t for t in KpiTarget.objects.select_for_update().filter(team=team, kpi__in=list(values))}
    changed = []
    for kpi, value in values.items():
        row = current.get(kpi)
        if value is None:
            if row is not None:
                row.delete()
                changed.append(kpi)
        elif row is None:
            KpiTarget.objects.create(kpi=kpi, team=team, value=value)
            changed.append(kpi)
        elif row.value != value:
            row.value = value
            row.save(update_fields=["value"])
            changed.append(kpi)
    if changed:
        record(actor=user, action=AuditAction.UPDATE, object_type=KpiTarget._meta.label_lower,
               object_id=team.pk if team is not None else "default", fields=changed)
    return changed


def set_target(user, kpi: str, value: float, team: Team | None = None) -> KpiTarget:
    """One target (see :func:`set_targets`)."""
    set_targets(user, {kpi: value}, team)
    return KpiTarget.objects.get(kpi=kpi, team=team)


GOAL_ROLES = (Role.TEAM_LEAD, Role.SITE_MANAGER, Role.ADMIN)


def goal_subjects(user) -> dict[str, Any]:
    """What a user may set goals for: agents and teams of covered teams, sites for managers."""
    teams = Team.objects.select_related("site").order_by("code").visible_to(user, GOAL_ROLES)
    agents = Agent.objects.exclude(status=AgentStatus.LEFT).order_by("employee_no").visible_to(user, GOAL_ROLES)
    sites = managed_sites(user) if not covers_everything(user, GOAL_ROLES) else Site.objects.order_by("code")
    return {"teams": teams, "agents": agents, "sites": sites}


def may_set_goals(user) -> bool:
    return load_access(user).has_role(*GOAL_ROLES)


@transaction.atomic
def create_goal(
    user,
    *,
    title: str,
    level: str,
    kpi: str,
    target: float,
    start: date,
    end: date,
    rationale: str,
    agent: Agent | None = None,
    team: Team | None = None,
    site: Site | None = None,
    parent: Goal | None = None,
    baseline: float | None = None,
) -> Goal:
    """A SMART goal owned by ``user``; the subject must be within the user's goal-setting scope."""
    if not may_set_goals(user):
        raise PermissionDenied
    subjects = goal_subjects(user)
    if level == GoalLevel.AGENT and (agent is None or not subjects["agents"].filter(pk=agent.pk).exists()):
        raise Http404
    if level == GoalLevel.TEAM and (team is None or not subjects["teams"].filter(pk=team.pk).exists()):
        raise Http404
    if level == GoalLevel.SITE and (site is None or not subjects["sites"].filter(pk=site.pk).exists()):
        raise Http404
    if parent is not None and parent.kpi != kpi:
        raise ValidationError(_("A cascaded goal measures the same KPI as the goal above it."))
    goal = Goal(
        title=title, level=level, kpi=kpi, target=target, start=start, end=end, rationale=rationale,
        agent=agent if level == GoalLevel.AGENT else None,
        team=team if level == GoalLevel.TEAM else None,
        site=site if level == GoalLevel.SITE else None,
        owner=user, parent=parent, baseline=baseline,
    )
    goal.full_clean()
    goal.save()
    record(actor=user, action=AuditAction.CREATE, obj=goal, fields=["title", "kpi", "target", "start", "end"],
           subject_agent_id=goal.agent_id)
    return goal


# --- appraisal cycles ----------------------------------------------------------------------------


@transaction.atomic
def open_cycle(user, *, name: str, template: AppraisalTemplate, start: date, end: date,
               teams: Iterable[Team]) -> AppraisalCycle:
    """Open a cycle: one appraisal per active agent of the given teams (idempotent per agent)."""
    teams = list(teams)
    if not teams or not coverage(user, (Role.SITE_MANAGER, Role.HR, Role.ADMIN)).covers_all(t.pk for t in teams):
        raise PermissionDenied
    cycle = AppraisalCycle.objects.create(name=name, template=template, start=start, end=end)
    agents = Agent.objects.filter(team__in=teams, status=AgentStatus.ACTIVE)
    Appraisal.objects.bulk_create([Appraisal(cycle=cycle, agent=a, team_id=a.team_id) for a in agents])
    return cycle


def _is_own(user, appraisal: Appraisal) -> bool:
    return load_access(user).own_agent_id == appraisal.agent_id


def _leads(user, appraisal: Appraisal) -> bool:
    return coverage(user, (Role.TEAM_LEAD, Role.SITE_MANAGER, Role.ADMIN)).covers(appraisal.team_id)


def submit_self_review(user, appraisal: Appraisal, text: str) -> Appraisal:
    if not _is_own(user, appraisal):
        raise PermissionDenied
    if appraisal.stage != AppraisalStage.SELF_REVIEW or appraisal.cycle.status == CycleStatus.CLOSED:
        raise ValidationError(_("The self-review is closed."))
    appraisal.self_review = text
    appraisal.stage = AppraisalStage.LEAD_REVIEW
    appraisal.save(update_fields=["self_review", "stage", "updated_at"])
    return appraisal


def submit_lead_review(user, appraisal: Appraisal, text: str, behaviour_rating: int | None) -> Appraisal:
    from .appraisal import score_appraisals

    if not _leads(user, appraisal):
        raise PermissionDenied
    if appraisal.stage not in (AppraisalStage.SELF_REVIEW, AppraisalStage.LEAD_REVIEW, AppraisalStage.SIGN_OFF):
        raise ValidationError(_("This appraisal is signed already."))
    if behaviour_rating is not None and not 1 <= behaviour_rating <= 5:
        raise ValidationError(_("The behaviour rating is 1 to 5."))
    appraisal.lead_review = text
    appraisal.behaviour_rating = behaviour_rating
    appraisal.stage = AppraisalStage.SIGN_OFF
    appraisal.score = score_appraisals([appraisal])[0]["score"]
    appraisal.save(update_fields=["lead_review", "behaviour_rating", "stage", "score", "updated_at"])
    record(actor=user, action=AuditAction.UPDATE, obj=appraisal, fields=["lead_review", "behaviour_rating"],
           subject_agent_id=appraisal.agent_id)
    return appraisal


def sign_off(user, appraisal: Appraisal) -> Appraisal:
    if not _is_own(user, appraisal):
        raise PermissionDenied
    if appraisal.stage != AppraisalStage.SIGN_OFF:
        raise ValidationError(_("There is nothing to sign yet."))
    appraisal.stage = AppraisalStage.SIGNED
    appraisal.signed_at = timezone.now()
    appraisal.save(update_fields=["stage", "signed_at", "updated_at"])
    return appraisal


def set_component_input(cycle: AppraisalCycle, agent: Agent, kind: str, value: float | None) -> None:
    """For later modules (quality: ``qa``, discipline: ``attendance``): a 0–100 value, None to clear."""
    appraisal = Appraisal.objects.filter(cycle=cycle, agent=agent).first()
    if appraisal is None:
        return
    inputs = dict(appraisal.inputs or {})
    if value is None:
        inputs.pop(kind, None)
    else:
        inputs[kind] = float(value)
    appraisal.inputs = inputs
    appraisal.save(update_fields=["inputs", "updated_at"])


def may_manage_cycles(user) -> bool:
    return load_access(user).has_role(Role.SITE_MANAGER, Role.HR, Role.ADMIN)
