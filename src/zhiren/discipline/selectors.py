"""Scoped reads of the discipline module.

Who sees an agent's standing and history (violations, exceptions, attendance):
the agent, the lead of their team, the manager of their site and HR. The site
manager is included here on purpose — a rule of this module beyond
``org.access``'s SENSITIVE group (lead and HR only): exceptions must be visible
one level up, or leniency cannot be checked. QA, trainers and administrators do
not see it. Denial is a 404. Reads of one person's record are audit-logged.

Rules themselves are public to the people they apply to and to staff of those teams.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from zhiren.accounts.naming import display_name
from zhiren.audit.models import AuditAction, AuditEvent
from zhiren.audit.services import client_ip
from zhiren.org.access import Coverage, load_access
from zhiren.org.models import Agent, Role, Team

from . import consistency, ladder
from .models import (
    AttendanceDay,
    AttendancePolicy,
    ClockCorrection,
    ClockEvent,
    Consequence,
    CorrectionStatus,
    Exemption,
    Rule,
    Violation,
)

READ_ROLES = (Role.TEAM_LEAD, Role.SITE_MANAGER, Role.HR)
MANAGE_ROLES = (Role.TEAM_LEAD, Role.SITE_MANAGER)
RULE_ROLES = (Role.TEAM_LEAD, Role.SITE_MANAGER, Role.ADMIN)


# --- who sees whom -----------------------------------------------------------------------------


def read_coverage(user) -> Coverage:
    return load_access(user).teams(*READ_ROLES)


def manage_coverage(user) -> Coverage:
    return load_access(user).teams(*MANAGE_ROLES)


def _scoped(qs: QuerySet, coverage: Coverage, own_agent_id: int | None, team_field: str, agent_field: str):
    if coverage.everything:
        return qs
    condition = Q(**{f"{team_field}__in": coverage.team_ids})
    if own_agent_id:
        condition |= Q(**{agent_field: own_agent_id})
    return qs.filter(condition)


def discipline_agents(user) -> QuerySet[Agent]:
    """Agents whose standing and history the user may see: own record, lead, site manager, HR."""
    access = load_access(user)
    qs = Agent.objects.select_related("team", "team__site")
    if not access.is_authenticated:
        return qs.none()
    return _scoped(qs, read_coverage(user), access.own_agent_id, "team_id", "pk")


def may_see_discipline(user, agent: Agent) -> bool:
    access = load_access(user)
    return access.own_agent_id == agent.pk or read_coverage(user).covers(agent.team_id)


def get_discipline_agent(user, pk) -> Agent:
    try:
        return discipline_agents(user).get(pk=pk)
    except (Agent.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def own_agent(user) -> Agent | None:
    access = load_access(user)
    if not access.own_agent_id:
        return None
    return Agent.objects.select_related("team", "team__site").filter(pk=access.own_agent_id).first()


def visible_violations(user) -> QuerySet[Violation]:
    access = load_access(user)
    qs = Violation.objects.select_related("agent", "team", "rule", "exemption", "responded_by")
    if not access.is_authenticated:
        return qs.none()
    return _scoped(qs, read_coverage(user), access.own_agent_id, "agent__team_id", "agent_id")


def get_visible_violation(user, pk) -> Violation:
    try:
        return visible_violations(user).get(pk=pk)
    except (Violation.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def audit_read(user, agent_ids, *, fields, object_type: str = "discipline.standing", request=None) -> None:
    """One audit event per agent whose record was shown (one query)."""
    ids = sorted({a for a in agent_ids if a is not None and a != load_access(user).own_agent_id})
    if not ids:
        return
    ip = client_ip(request)
    AuditEvent.objects.bulk_create([
        AuditEvent(actor=user, actor_name=user.get_username(), action=AuditAction.READ, object_type=object_type,
                   object_id=str(a), subject_agent_id=a, fields=sorted(fields), ip_address=ip)
        for a in ids
    ])


# --- rules -------------------------------------------------------------------------------------


def _rules_with_teams() -> QuerySet[Rule]:
    return Rule.objects.select_related("site").prefetch_related("teams").annotate(
        violation_count=Count("violations", distinct=True)
    ).order_by("site__code", "-announced_on", "title")


def staff_rules(user) -> QuerySet[Rule]:
    """Rules for any team the user covers in any role (drafts included)."""
    coverage = load_access(user).teams()
    qs = _rules_with_teams()
    if coverage.everything:
        return qs
    if not coverage.team_ids:
        return qs.none()
    site_ids = Team.objects.filter(pk__in=coverage.team_ids).values("site_id")
    return qs.filter(site_id__in=site_ids).filter(Q(teams__isnull=True) | Q(teams__in=coverage.team_ids)).distinct()


def rules_for_agent(agent: Agent) -> list[Rule]:
    """Announced rules that apply to the agent (their site, all teams or theirs)."""
    qs = _rules_with_teams().filter(site_id=agent.team.site_id, announced_on__isnull=False)
    return [r for r in qs if not r.teams.all() or any(t.pk == agent.team_id for t in r.teams.all())]


def visible_rules(user) -> list[Rule]:
    access = load_access(user)
    if access.teams().team_ids or access.teams().everything:
        return list(staff_rules(user))
    agent = own_agent(user)
    return rules_for_agent(agent) if agent else []


def get_visible_rule(user, pk) -> Rule:
    try:
        pk = int(pk)
    except (TypeError, ValueError) as exc:
        raise Http404 from exc
    for rule in visible_rules(user):
        if rule.pk == pk:
            return rule
    raise Http404


def manageable_teams(user, roles=RULE_ROLES) -> QuerySet[Team]:
    coverage = load_access(user).teams(*roles)
    qs = Team.objects.select_related("site").order_by("site__code", "code")
    return qs if coverage.everything else qs.filter(pk__in=coverage.team_ids)


def actable_agents(user) -> QuerySet[Agent]:
    """Agents the user may record violations for, respond to and excuse (lead, site manager)."""
    coverage = manage_coverage(user)
    qs = Agent.objects.select_related("team").filter(status__in=["active", "on_leave"]).order_by("employee_no")
    return qs if coverage.everything else qs.filter(team_id__in=coverage.team_ids)


# --- standing ----------------------------------------------------------------------------------


@dataclass
class RuleStanding:
    rule: Rule
    phase: str
    units: int  # counted in the current window
    lates: int
    last: Violation | None
    next_consequence: str  # what the next occurrence today would bring
    window_start: date | None

    @property
    def next_consequence_label(self) -> str:
        return str(Consequence(self.next_consequence).label)


def standing(agent: Agent, today: date) -> list[RuleStanding]:
    """Per applicable rule: where the agent stands in the current window and what comes next."""
    rules = rules_for_agent(agent)
    violations = list(
        Violation.objects.filter(agent=agent, rule__in=rules).annotate(
            excused=Exists(Exemption.objects.filter(violation=OuterRef("pk")))
        ).order_by("day", "recorded_at")
    )
    by_rule: dict[int, list[Violation]] = defaultdict(list)
    for v in violations:
        by_rule[v.rule_id].append(v)
    result = []
    for rule in rules:
        own = by_rule.get(rule.pk, [])
        terms = rule.terms
        phase = terms.phase(today)
        if phase == ladder.RETIRED:
            continue
        occurrences = [ladder.Occurrence(v.pk, v.day, v.kind, v.recorded_at.timestamp(), v.excused) for v in own]
        probe_kind = "absence" if rule.lates_per_absence else "manual"
        probe = ladder.Occurrence("next", today, probe_kind, order=float("inf"))
        decisions = ladder.decide(terms, [*occurrences, probe])
        nxt = decisions[-1]
        current = [d for d in decisions[:-1] if d.window_start is not None and d.window_start == nxt.window_start]
        units = max((d.unit or 0 for d in current), default=0)
        lates = max((d.lates for d in current), default=0)
        if terms.window == ladder.ROLLING and nxt.window_start:
            window_days = [v for v in own if v.day >= nxt.window_start]
            ids = {v.pk for v in window_days}
            counted = [d for d in decisions[:-1] if d.key in ids and d.consequence != ladder.EXCUSED]
            units = max((d.unit or 0 for d in counted), default=0)
        if phase != ladder.ENFORCED:
            units = lates = 0
        result.append(RuleStanding(rule, phase, units, lates, own[-1] if own else None, nxt.consequence,
                                   nxt.window_start))
    return result


def history(agent: Agent, limit: int = 100) -> list[Violation]:
    return list(
        Violation.objects.filter(agent=agent).select_related("rule", "exemption", "responded_by", "recorded_by")
        .order_by("-day", "-recorded_at")[:limit]
    )


def attendance_days(agent: Agent, start: date, end: date) -> list[AttendanceDay]:
    return list(AttendanceDay.objects.filter(agent=agent, day__gte=start, day__lte=end).order_by("-day",
                                                                                                 "-shift_start"))


def attendance_summary(days: list[AttendanceDay]) -> dict:
    judged = [d for d in days if not d.excused]
    return {
        "shifts": len(judged),
        "clean": sum(1 for d in judged if d.clean_day),
        "late": sum(1 for d in judged if d.late_minutes and not d.absent),
        "early": sum(1 for d in judged if d.early_minutes),
        "absent": sum(1 for d in judged if d.absent),
        "missing": sum(1 for d in judged if d.missing_in or d.missing_out),
        "overtime_minutes": sum(d.overtime_minutes for d in judged),
        "rate": round(100.0 * sum(1 for d in judged if d.clean_day) / len(judged), 1) if judged else None,
    }


def recent_punches(agent: Agent, days: int = 14) -> list[ClockEvent]:
    since = timezone.now() - timedelta(days=days)
    return list(ClockEvent.objects.filter(agent=agent, at__gte=since).order_by("-at"))


# --- queue and report --------------------------------------------------------------------------

QUEUE_STATES = ("open", "warnings", "escalated", "exceptions", "all")


def queue(user, state: str = "open") -> QuerySet[Violation]:
    """Violations of the agents the user oversees (not their own), newest first; open ones by default."""
    access = load_access(user)
    coverage = read_coverage(user)
    qs = Violation.objects.select_related("agent", "team", "rule", "exemption", "responded_by")
    if not coverage.everything:
        qs = qs.filter(agent__team_id__in=coverage.team_ids)
    if access.own_agent_id:
        qs = qs.exclude(agent_id=access.own_agent_id)
    if state == "open":
        qs = qs.filter(consequence__in=ladder.NEEDS_RESPONSE, responded_at__isnull=True, exemption__isnull=True)
    elif state == "warnings":
        qs = qs.filter(consequence=ladder.WARNING)
    elif state == "escalated":
        qs = qs.filter(consequence=ladder.ESCALATION)
    elif state == "exceptions":
        qs = qs.filter(exemption__isnull=False)
    return qs.order_by("-day", "-recorded_at")


def due_days_by_team(team_ids) -> dict[int, int]:
    site_of = dict(Team.objects.filter(pk__in=list(team_ids)).values_list("pk", "site_id"))
    due = dict(AttendancePolicy.objects.filter(site_id__in=set(site_of.values())).values_list("site_id",
                                                                                              "response_due_days"))
    return {team: due.get(site, 3) for team, site in site_of.items()}


@dataclass
class TeamConsistency:
    team: Team
    report: consistency.GroupReport
    agents: dict[int, Agent]
    leads: list[str]

    @property
    def leniency(self) -> list[tuple[consistency.AgentLeniency, Agent | None]]:
        return [(a, self.agents.get(a.agent_id)) for a in self.report.leniency]


def consistency_report(user, start: date, end: date, now: datetime | None = None) -> list[TeamConsistency]:
    """Per team the user oversees: broken windows, exceptions by agent, time to response."""
    now = now or timezone.now()
    coverage = read_coverage(user)
    teams = Team.objects.select_related("site").order_by("site__code", "code")
    if not coverage.everything:
        teams = teams.filter(pk__in=coverage.team_ids)
    teams = {t.pk: t for t in teams}
    rows = list(
        Violation.objects.filter(team_id__in=list(teams), day__gte=start, day__lte=end)
        .annotate(excused=Exists(Exemption.objects.filter(violation=OuterRef("pk"))))
        .values_list("pk", "agent_id", "team_id", "rule_id", "unit", "consequence", "recorded_at",
                     "responded_at", "excused")
    )
    due = due_days_by_team(teams)
    reports: list[TeamConsistency] = []
    agent_ids = {r[1] for r in rows}
    agents = {a.pk: a for a in Agent.objects.filter(pk__in=agent_ids)}
    leads = _leads_by_team(list(teams))
    by_team: dict[int, list] = defaultdict(list)
    for r in rows:
        by_team[r[2]].append(r)
    for team_id, team in teams.items():
        facts = [
            consistency.Fact(pk, agent, team_id, rule, unit, cons, cons in ladder.NEEDS_RESPONSE, recorded,
                             responded, bool(excused))
            for pk, agent, _t, rule, unit, cons, recorded, responded, excused in by_team.get(team_id, [])
        ]
        found = consistency.report(facts, now=now, due=timedelta(days=due.get(team_id, 3)))
        rep = found[0] if found else consistency.GroupReport(team_id)
        reports.append(TeamConsistency(team, rep, agents, leads.get(team_id, [])))
    reports.sort(key=lambda t: (-t.report.broken_window_count, t.team.site.code, t.team.code))
    return reports


def _leads_by_team(team_ids: list[int]) -> dict[int, list[str]]:
    from zhiren.org.models import RoleAssignment

    result: dict[int, list[str]] = defaultdict(list)
    for assignment in RoleAssignment.objects.filter(role=Role.TEAM_LEAD, teams__in=team_ids).select_related(
            "user").prefetch_related("teams"):
        name = display_name(assignment.user)
        for team in assignment.teams.all():
            if team.pk in team_ids and name not in result[team.pk]:
                result[team.pk].append(name)
    return result


def exceptions(user, start: date, end: date) -> QuerySet[Exemption]:
    """Every exception granted for the teams the user oversees — the site manager sees them all."""
    coverage = read_coverage(user)
    qs = Exemption.objects.select_related("violation", "violation__agent", "violation__rule", "violation__team",
                                          "granted_by").filter(violation__day__gte=start, violation__day__lte=end)
    if not coverage.everything:
        qs = qs.filter(violation__team_id__in=coverage.team_ids)
    return qs.order_by("-granted_at")


def corrections(user, state: str = "pending") -> QuerySet[ClockCorrection]:
    access = load_access(user)
    qs = ClockCorrection.objects.select_related("agent", "event", "requested_by", "decided_by")
    qs = _scoped(qs, read_coverage(user), access.own_agent_id, "agent__team_id", "agent_id")
    if state == "pending":
        qs = qs.filter(status=CorrectionStatus.PENDING)
    return qs.order_by("-requested_at")


def get_visible_correction(user, pk) -> ClockCorrection:
    try:
        return corrections(user, "all").get(pk=pk)
    except (ClockCorrection.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def rules_in_grace_for(user, today: date) -> list[Rule]:
    """Rules in their grace period for the user's teams — for the morning meeting and the home page."""
    return [r for r in visible_rules(user) if r.terms.phase(today) == ladder.GRACE]


def local_day_bounds(day: date) -> tuple[datetime, datetime]:
    tz = timezone.get_current_timezone()
    return datetime.combine(day, time.min, tzinfo=tz), datetime.combine(day + timedelta(days=1), time.min, tzinfo=tz)


def lead_panel(user, today: date) -> dict:
    """Counts for the home page: violations waiting for a response, broken windows, rules in grace."""
    coverage = manage_coverage(user)
    if not coverage.team_ids and not coverage.everything:
        return {"visible": False}
    open_qs = queue(user, "open")
    due = due_days_by_team(coverage.team_ids) if not coverage.everything else {}
    now = timezone.now()
    waiting = list(open_qs.values_list("team_id", "recorded_at"))
    broken = sum(1 for team_id, recorded in waiting if now - recorded > timedelta(days=due.get(team_id, 3)))
    return {
        "visible": True, "open": len(waiting), "broken": broken,
        "in_grace": rules_in_grace_for(user, today),
        "corrections": corrections(user, "pending").count(),
    }
