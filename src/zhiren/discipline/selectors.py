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
from zhiren.audit import services as audit
from zhiren.org.access import load_access
from zhiren.org.models import Agent, Role, Team
from zhiren.org.scoping import (
    ANY_ROLE,
    coverage,
    covers_any,
    covers_everything,
    get_or_404,
    own_agent,
    scoped_team_ids,
)

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


def may_read_any(user) -> bool:
    """Whether the user oversees any team's discipline (lead, site manager, HR)."""
    return covers_any(user, READ_ROLES)


def may_manage_any(user) -> bool:
    return covers_any(user, MANAGE_ROLES)


def discipline_agents(user) -> QuerySet[Agent]:
    """Agents whose standing and history the user may see: own record, lead, site manager, HR."""
    return Agent.objects.select_related("team", "team__site").visible_to(user, READ_ROLES, own=True)


def may_see_discipline(user, agent: Agent) -> bool:
    return load_access(user).own_agent_id == agent.pk or coverage(user, READ_ROLES).covers(agent.team_id)


def get_discipline_agent(user, pk) -> Agent:
    return get_or_404(discipline_agents(user), pk)


def visible_violations(user) -> QuerySet[Violation]:
    qs = Violation.objects.select_related("agent", "team", "rule", "exemption", "responded_by")
    return qs.visible_to(user, READ_ROLES, via="agent", own=True)


def get_visible_violation(user, pk) -> Violation:
    return get_or_404(visible_violations(user), pk)


def audit_read(user, agent_ids, *, fields, object_type: str = "discipline.standing", request=None) -> None:
    """One audit event per agent whose record was shown, the user's own excepted (one query)."""
    ids = {a for a in agent_ids if a is not None and a != load_access(user).own_agent_id}
    audit.record_reads(actor=user, object_type=object_type, subject_agent_ids=ids, fields=fields, request=request)


# --- rules -------------------------------------------------------------------------------------


def _rules_with_teams() -> QuerySet[Rule]:
    return Rule.objects.select_related("site").prefetch_related("teams").annotate(
        violation_count=Count("violations", distinct=True)
    ).order_by("site__code", "-announced_on", "title")


def staff_rules(user) -> QuerySet[Rule]:
    """Rules for any team the user covers in any role (drafts included)."""
    qs = _rules_with_teams()
    if covers_everything(user, ANY_ROLE):
        return qs
    if not covers_any(user, ANY_ROLE):
        return qs.none()
    teams = Team.objects.visible_to(user, ANY_ROLE)
    return qs.filter(site_id__in=teams.values("site_id")).filter(Q(teams__isnull=True) | Q(teams__in=teams)).distinct()


def rules_for_agent(agent: Agent) -> list[Rule]:
    """Announced rules that apply to the agent (their site, all teams or theirs)."""
    qs = _rules_with_teams().filter(site_id=agent.team.site_id, announced_on__isnull=False)
    return [r for r in qs if not r.teams.all() or any(t.pk == agent.team_id for t in r.teams.all())]


def visible_rules(user) -> list[Rule]:
    if covers_any(user, ANY_ROLE):
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
    return Team.objects.select_related("site").order_by("site__code", "code").visible_to(user, roles)


def actable_agents(user) -> QuerySet[Agent]:
    """Agents the user may record violations for, respond to and excuse (lead, site manager)."""
    qs = Agent.objects.select_related("team").filter(status__in=["active", "on_leave"]).order_by("employee_no")
    return qs.visible_to(user, MANAGE_ROLES)


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
    qs = Violation.objects.select_related("agent", "team", "rule", "exemption", "responded_by")
    qs = qs.visible_to(user, READ_ROLES, via="agent")
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
    teams = {t.pk: t for t in Team.objects.select_related("site").order_by("site__code", "code")
             .visible_to(user, READ_ROLES)}
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
    qs = Exemption.objects.select_related("violation", "violation__agent", "violation__rule", "violation__team",
                                          "granted_by").filter(violation__day__gte=start, violation__day__lte=end)
    return qs.visible_to(user, READ_ROLES, via="violation__team").order_by("-granted_at")


def corrections(user, state: str = "pending") -> QuerySet[ClockCorrection]:
    qs = ClockCorrection.objects.select_related("agent", "event", "requested_by", "decided_by")
    qs = qs.visible_to(user, READ_ROLES, via="agent", own=True)
    if state == "pending":
        qs = qs.filter(status=CorrectionStatus.PENDING)
    return qs.order_by("-requested_at")


def get_visible_correction(user, pk) -> ClockCorrection:
    return get_or_404(corrections(user, "all"), pk)


def rules_in_grace_for(user, today: date) -> list[Rule]:
    """Rules in their grace period for the user's teams — for the morning meeting and the home page."""
    return [r for r in visible_rules(user) if r.terms.phase(today) == ladder.GRACE]


def local_day_bounds(day: date) -> tuple[datetime, datetime]:
    tz = timezone.get_current_timezone()
    return datetime.combine(day, time.min, tzinfo=tz), datetime.combine(day + timedelta(days=1), time.min, tzinfo=tz)


def lead_panel(user, today: date) -> dict:
    """Counts for the home page: violations waiting for a response, broken windows, rules in grace."""
    if not may_manage_any(user):
        return {"visible": False}
    open_qs = queue(user, "open")
    managed = scoped_team_ids(user, MANAGE_ROLES)
    due = due_days_by_team(managed) if managed is not None else {}
    now = timezone.now()
    waiting = list(open_qs.values_list("team_id", "recorded_at"))
    broken = sum(1 for team_id, recorded in waiting if now - recorded > timedelta(days=due.get(team_id, 3)))
    return {
        "visible": True, "open": len(waiting), "broken": broken,
        "in_grace": rules_in_grace_for(user, today),
        "corrections": corrections(user, "pending").count(),
    }
