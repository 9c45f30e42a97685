"""Scoped reads of the coaching module. Other modules may call:

- ``agent_states(agents, today)`` → ``{agent_id: AgentState}`` (state, ability with its inputs,
  willingness) — no scope check: pass agents already scoped;
- ``state_of(user, agent, today)`` → ``AgentState`` when the user may see it (agent, own lead, HR), else None;
- ``team_wall(team)`` — praise shared to a team's recognition wall;
- ``thresholds()`` — the configured ``Thresholds``.

Everything about one agent (ratings, feedback, sessions, plans, delegations) is seen by
the agent, their own lead and HR only (``FieldGroup.SENSITIVE``); anyone else gets a 404.
Reads of corrective feedback are audit-logged.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.db.models import QuerySet
from django.http import Http404

from zhiren.audit.models import AuditAction
from zhiren.audit.services import record as audit
from zhiren.org import selectors as org
from zhiren.org.access import FieldGroup, load_access
from zhiren.org.models import Agent, AgentStatus, Role, Team
from zhiren.org.scoping import ANY_ROLE, coverage, get_or_404, get_visible_or_404

from . import providers
from .guidance import SOURCE_LABELS, STATE_GUIDANCE
from .models import (
    Commitment,
    Delegation,
    Feedback,
    FeedbackKind,
    GrowQuestion,
    GrowSession,
    ImprovementPlan,
    Interference,
    PlanStatus,
    SkillAssessment,
    StateRating,
    StateSnapshot,
)
from .situational import (
    Ability,
    AbilityInput,
    State,
    Thresholds,
    ability_score,
    classify,
    rating_score,
    willingness_score,
)

SENSITIVE = FieldGroup.SENSITIVE  # the agent, their own lead and HR
MOVEMENT_DAYS = 28  # the map compares today with where each agent stood about four weeks ago
BID_FIELDS = ("behavior", "impact", "desired")


def thresholds() -> Thresholds:
    return Thresholds.from_mapping(getattr(settings, "COACHING_THRESHOLDS", None))


# --- access ---------------------------------------------------------------------------------


def can_see(user, agent: Agent) -> bool:
    """The agent, their own lead, or HR."""
    return FieldGroup.SENSITIVE in org.agent_field_groups(user, agent)


def is_lead_of(user, agent: Agent) -> bool:
    """A team lead whose scope covers the agent's team (writes are theirs)."""
    access = load_access(user)
    return access.own_agent_id != agent.pk and coverage(user, (Role.TEAM_LEAD,)).covers(agent.team_id)


def is_lead(user) -> bool:
    return load_access(user).has_role(Role.TEAM_LEAD)


def get_agent(user, pk) -> Agent:
    """The agent when the user may see their coaching records; 404 otherwise."""
    agent = org.get_visible_agent(user, pk)
    if not can_see(user, agent):
        raise Http404
    return agent


def get_led_agent(user, pk) -> Agent:
    """The agent when the user is their lead; 404 otherwise."""
    agent = org.get_visible_agent(user, pk)
    if not is_lead_of(user, agent):
        raise Http404
    return agent


def coached_teams(user) -> QuerySet[Team]:
    """Teams whose coaching records the user may see (the lead's teams; every team for HR)."""
    qs = Team.objects.select_related("site").order_by("site__code", "code")
    return qs.visible_to(user, FieldGroup.SENSITIVE, own=False)


def get_team(user, pk) -> Team:
    return get_or_404(coached_teams(user), pk)


def led_agents(user) -> QuerySet[Agent]:
    qs = Agent.objects.select_related("team").exclude(status=AgentStatus.LEFT).order_by("team__code", "employee_no")
    return qs.visible_to(user, (Role.TEAM_LEAD,))


# --- situational state ------------------------------------------------------------------------


@dataclass
class AgentState:
    agent: Agent
    ability: Ability
    willingness: float | None
    state: State
    rating: StateRating | None = None  # the lead's latest willingness rating
    self_view: StateRating | None = None  # the agent's latest own view
    self_willingness: float | None = None
    inputs: list[AbilityInput] = field(default_factory=list)

    @property
    def guidance(self) -> dict:
        return STATE_GUIDANCE[self.state]

    @property
    def label(self) -> str:
        return str(STATE_GUIDANCE[self.state]["term"])

    @property
    def parts(self) -> list[dict]:
        return [
            {"source": p.source, "label": SOURCE_LABELS[p.source], "score": p.score, "weight": p.weight,
             "inputs": p.inputs}
            for p in self.ability.parts
        ]

    @property
    def views_differ(self) -> bool:
        return (
            self.willingness is not None and self.self_willingness is not None
            and abs(self.willingness - self.self_willingness) >= 1
        )


def agent_states(agents, today: date, limits: Thresholds | None = None) -> dict[int, AgentState]:
    """State of each agent from KPIs (providers), skill assessments and ratings; four queries plus providers."""
    limits = limits or thresholds()
    agents = list(agents)
    ids = [a.pk for a in agents]
    inputs = providers.external_inputs(agents, today)
    latest_skill: dict[tuple[int, str], SkillAssessment] = {}
    for s in SkillAssessment.objects.filter(agent_id__in=ids, assessed_on__lte=today).order_by("-assessed_on", "-id"):
        latest_skill.setdefault((s.agent_id, s.skill.strip().lower()), s)
    ratings = list(
        StateRating.objects.filter(agent_id__in=ids, rated_on__lte=today).order_by("-rated_on", "-id")
    )
    result = {}
    for agent in agents:
        items = list(inputs.get(agent.pk, []))
        for (agent_id, _key), s in latest_skill.items():
            if agent_id == agent.pk:
                items.append(AbilityInput("skills", s.skill, rating_score(s.score), f"{s.score}/5"))
        own = [r for r in ratings if r.agent_id == agent.pk]
        lead_rating = next((r for r in own if not r.is_self), None)
        self_view = next((r for r in own if r.is_self), None)
        lead_ability = next((r for r in own if not r.is_self and r.ability is not None), None)
        if lead_ability is not None:
            items.append(AbilityInput("lead", str(SOURCE_LABELS["lead"]), rating_score(lead_ability.ability),
                                      f"{lead_ability.ability}/5 · {lead_ability.rated_on.isoformat()}"))
        ability = ability_score(items, limits)
        willingness = None if lead_rating is None else willingness_score(
            lead_rating.motivation, lead_rating.confidence, lead_rating.commitment
        )
        self_willingness = None if self_view is None else willingness_score(
            self_view.motivation, self_view.confidence, self_view.commitment
        )
        result[agent.pk] = AgentState(
            agent=agent, ability=ability, willingness=willingness,
            state=classify(ability.score, willingness, limits), rating=lead_rating,
            self_view=self_view, self_willingness=self_willingness, inputs=items,
        )
    return result


def state_of(user, agent: Agent, today: date) -> AgentState | None:
    if not can_see(user, agent):
        return None
    return agent_states([agent], today)[agent.pk]


QUADRANTS = (State.MOTIVATING, State.DELEGATING, State.DIRECTING, State.COACHING)  # reading order of the 2×2


def team_map(team: Team, today: date) -> dict:
    """The team on the ability × willingness map, with where each agent stood four weeks ago."""
    limits = thresholds()
    agents = list(Agent.objects.filter(team=team, status=AgentStatus.ACTIVE).select_related("team")
                  .order_by("employee_no"))
    states = agent_states(agents, today, limits)
    before = today - timedelta(days=MOVEMENT_DAYS)
    previous: dict[int, StateSnapshot] = {}
    for snap in StateSnapshot.objects.filter(agent__in=agents, on__lte=before).order_by("-on"):
        previous.setdefault(snap.agent_id, snap)
    groups = {s: [] for s in State}
    points, trails = [], []
    for agent in agents:
        st = states[agent.pk]
        prev = previous.get(agent.pk)
        moved_from = prev.state if prev and prev.state != st.state else ""
        groups[st.state].append({"state": st, "previous": prev, "moved_from": moved_from,
                                 "moved_from_label": STATE_GUIDANCE[State(moved_from)]["term"] if moved_from else ""})
        if st.state != State.UNKNOWN:
            points.append({"name": agent.name, "value": [st.willingness, st.ability.score], "state": str(st.state)})
            if prev and prev.ability is not None and prev.willingness is not None:
                trails.append({"name": agent.name, "from": [prev.willingness, prev.ability],
                               "to": [st.willingness, st.ability.score]})
    quadrants = [
        {"state": s, "guidance": STATE_GUIDANCE[s], "members": groups[s]} for s in QUADRANTS
    ]
    chart = {
        "points": points,
        "trails": trails,
        "ability_high": limits.ability_high,
        "willingness_high": limits.willingness_high,
        "labels": {str(s): str(STATE_GUIDANCE[s]["term"]) for s in State},
    }
    return {
        "team": team,
        "quadrants": quadrants,
        "unknown": groups[State.UNKNOWN],
        "chart": chart,
        "thresholds": limits,
        "count": len(agents),
        "movement_days": MOVEMENT_DAYS,
    }


# --- the agent's coaching page ---------------------------------------------------------------


def agent_page(user, agent: Agent, today: date, request=None) -> dict:
    """Everything about one agent's coaching; the caller has checked ``can_see``. Audited."""
    state = agent_states([agent], today)[agent.pk]
    feedback = list(Feedback.objects.filter(agent=agent).select_related("lead")[:50])
    sessions = list(GrowSession.objects.filter(agent=agent).select_related("lead").prefetch_related("commitments")[:20])
    interferences = list(Interference.objects.filter(agent=agent).order_by("removed_on", "-raised_on")[:30])
    plans = list(ImprovementPlan.objects.filter(agent=agent).prefetch_related("goals")[:10])
    delegations = list(Delegation.objects.filter(agent=agent)[:20])
    skills = list(SkillAssessment.objects.filter(agent=agent)[:20])
    ratings = list(StateRating.objects.filter(agent=agent)[:10])
    snapshots = list(StateSnapshot.objects.filter(agent=agent).order_by("-on")[:12])
    shown = ["state_rating", "skill_assessment"]
    if any(not f.is_praise for f in feedback):
        shown += [f"feedback.{name}" for name in BID_FIELDS]
    if sessions:
        shown.append("grow_session")
    if plans:
        shown.append("improvement_plan")
    audit(actor=user, action=AuditAction.READ, obj=agent, fields=shown, subject_agent_id=agent.pk,
          purpose="coaching page", request=request)
    return {
        "agent": agent,
        "state": state,
        "feedback": feedback,
        "sessions": sessions,
        "open_interferences": [i for i in interferences if i.removed_on is None],
        "removed_interferences": [i for i in interferences if i.removed_on is not None],
        "plans": plans,
        "delegations": delegations,
        "skills": skills,
        "ratings": ratings,
        "snapshots": snapshots,
        "is_self": load_access(user).own_agent_id == agent.pk,
        "is_lead": is_lead_of(user, agent),
        "today": today,
    }


# --- single records (404 unless the user may see the agent's coaching records) -----------------


def get_feedback(user, pk, request=None, *, audited: bool = True) -> Feedback:
    """One feedback record; reading corrective feedback is audit-logged (``audited=False`` only for
    actions that do not show it, such as the share button's check)."""
    item = get_visible_or_404(Feedback.objects.select_related("agent", "agent__team", "lead"), user, pk, SENSITIVE)
    if audited and not item.is_praise:
        audit(actor=user, action=AuditAction.READ, obj=item, fields=BID_FIELDS, subject_agent_id=item.agent_id,
              purpose="corrective feedback", request=request)
    return item


def get_session(user, pk) -> GrowSession:
    return get_visible_or_404(GrowSession.objects.select_related("agent", "agent__team", "lead"), user, pk, SENSITIVE)


def get_commitment(user, pk) -> Commitment:
    return get_visible_or_404(Commitment.objects.select_related("session", "session__agent"), user, pk, SENSITIVE,
                              via="session__agent")


def get_interference(user, pk) -> Interference:
    return get_visible_or_404(Interference.objects.select_related("agent"), user, pk, SENSITIVE)


def get_plan(user, pk) -> ImprovementPlan:
    return get_visible_or_404(ImprovementPlan.objects.select_related("agent", "agent__team", "lead", "buddy"), user, pk,
                              SENSITIVE)


def get_delegation(user, pk) -> Delegation:
    return get_visible_or_404(Delegation.objects.select_related("agent", "agent__team"), user, pk, SENSITIVE)


def visible_feedback(user) -> QuerySet[Feedback]:
    """Feedback the user may read: the agent's own, their own lead's teams, HR everywhere."""
    return Feedback.objects.select_related("agent", "lead").visible_to(user, SENSITIVE)


def visible_plans(user) -> QuerySet[ImprovementPlan]:
    return ImprovementPlan.objects.select_related("agent", "agent__team", "lead").visible_to(user, SENSITIVE)


def plan_candidates(user, today: date) -> list[dict]:
    """The lead's agents furthest below target (the performance dashboard's list), without an active plan."""
    try:
        from zhiren.performance import selectors as perf
    except ImportError:  # pragma: no cover
        return []
    teams = list(coached_teams(user).filter(pk__in=led_agents(user).values("team_id")))
    active = set(
        ImprovementPlan.objects.filter(status=PlanStatus.ACTIVE, agent__team__in=teams).values_list("agent_id", flat=True)
    )
    flt = perf.parse_filters({}, today)
    result = []
    for team in teams:
        for line in perf.team_dashboard(user, team, flt)["below"]:
            result.append({
                "agent": line.agent, "kpi": line.worst_kpi, "kpi_label": providers.kpi_label(line.worst_kpi),
                "gap": line.worst_gap, "has_plan": line.agent.pk in active,
            })
    return result


# --- recognition wall ---------------------------------------------------------------------------


def wall_teams(user) -> QuerySet[Team]:
    """Teams whose wall the user sees: teams their roles cover, and their own team."""
    return Team.objects.select_related("site").order_by("site__code", "code").visible_to(user, ANY_ROLE, own=True)


def get_wall_team(user, pk) -> Team:
    return get_or_404(wall_teams(user), pk)


def team_wall(team: Team, limit: int = 60) -> list[Feedback]:
    """Praise shared to the team's wall (never corrective feedback: it cannot be shared)."""
    return list(
        Feedback.objects.filter(agent__team=team, kind=FeedbackKind.PRAISE, shared_on_wall=True)
        .select_related("agent", "lead").order_by("-shared_at", "-id")[:limit]
    )


# --- question bank -------------------------------------------------------------------------------


def question_bank(active_only: bool = True) -> dict[str, list[GrowQuestion]]:
    qs = GrowQuestion.objects.all()
    if active_only:
        qs = qs.filter(active=True)
    bank: dict[str, list[GrowQuestion]] = {"goal": [], "reality": [], "options": [], "will": []}
    for q in qs.order_by("order", "id"):
        bank[q.stage].append(q)
    return bank


def may_edit_questions(user) -> bool:
    return load_access(user).has_role(Role.TEAM_LEAD, Role.TRAINER, Role.ADMIN)


# --- export (the agent, own lead, HR) --------------------------------------------------------------


def export_rows(user, agent: Agent, request=None) -> tuple[list[str], list[list]]:
    """The agent's coaching records as rows; the caller has checked ``can_see``. Audited."""
    headers = ["record", "date", "kind", "text", "detail", "status"]
    rows: list[list] = []
    for f in Feedback.objects.filter(agent=agent).order_by("given_on", "id"):
        rows.append(["feedback", f.given_on, f.kind, f.behavior, f"{f.impact}\n{f.closing}",
                     "shared" if f.shared_on_wall else ""])
    for s in GrowSession.objects.filter(agent=agent).prefetch_related("commitments").order_by("held_on"):
        rows.append(["grow_session", s.held_on, "", s.topic,
                     "\n".join(x for x in (s.goal, s.reality, s.options, s.will) if x), ""])
        for c in s.commitments.all():
            rows.append(["commitment", c.due_on, "", c.description, c.follow_up_note,
                         "done" if c.done_at else "open"])
    for i in Interference.objects.filter(agent=agent).order_by("raised_on"):
        rows.append(["interference", i.raised_on, i.kind, i.description, i.removal_note,
                     "removed" if i.removed_on else "open"])
    for p in ImprovementPlan.objects.filter(agent=agent).prefetch_related("goals").order_by("started_on"):
        goals = "; ".join(f"{g.kpi} {g.baseline if g.baseline is not None else '—'} → {g.target}" for g in p.goals.all())
        rows.append(["improvement_plan", p.started_on, "", goals, p.outcome, p.status])
    for d in Delegation.objects.filter(agent=agent).order_by("assigned_on"):
        rows.append(["delegation", d.assigned_on, d.state, d.title, d.what, "done" if d.done_at else "open"])
    audit(actor=user, action=AuditAction.EXPORT, obj=agent, fields=["coaching"], subject_agent_id=agent.pk,
          request=request)
    return headers, rows
