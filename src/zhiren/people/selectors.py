"""Scoped reads of the people module. Other modules may call:

- ``lead_home_panels(user, today)`` — reminders, overdue talks, nudges for the lead's home page
  (template include ``people/_lead_home_panels.html``);
- ``lead_overview(user, today)`` — the same data as plain objects (used by the digest);
- ``talk_statuses(team_ids, today)`` — when each active agent's next talk is due;
- ``account_summaries(lead_user, agent_ids, today)`` — emotional bank balances and nudges;
- ``can_see_sensitive(user, agent)``, ``get_agent_for(user, pk, group)``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Max, Q, Sum
from django.http import Http404

from zhiren.audit.models import AuditAction
from zhiren.audit.services import record as audit
from zhiren.audit.services import record_many as audit_each
from zhiren.org import selectors as org
from zhiren.org.access import FieldGroup, load_access
from zhiren.org.models import Agent, AgentStatus, Role
from zhiren.org.scoping import NO_ROLE, coverage, covers_everything, get_or_404

from . import cadence, ledger, reminders
from .guidance import ASPIRATION_GUIDANCE, motivator_guidance
from .models import (
    DEFAULT_CADENCE_WEEKS,
    AgentProfile,
    BankEntry,
    ConsentEvent,
    FollowUp,
    ImportantDate,
    LifeStage,
    Talk,
    TalkCadence,
    TalkParticipant,
    TalkPrompt,
)

REMINDER_DAYS = 7
FOLLOW_UP_DAYS = 3
TALK_DUE_SOON_DAYS = 7


# --- access -----------------------------------------------------------------


def can_see_sensitive(user, agent: Agent) -> bool:
    """The agent themselves, their own team lead, or HR."""
    return FieldGroup.SENSITIVE in org.agent_field_groups(user, agent)


def is_self(user, agent: Agent) -> bool:
    return load_access(user).own_agent_id == agent.pk


def get_agent_for(user, pk, group: FieldGroup = FieldGroup.PERSONAL) -> Agent:
    """The agent if the user may see ``group`` of their data; 404 otherwise."""
    agent = org.get_visible_agent(user, pk)
    if group not in org.agent_field_groups(user, agent):
        raise Http404
    return agent


def get_own_agent(user, pk) -> Agent:
    """The agent only when it is the user's own record (exports, life stage, consent)."""
    access = load_access(user)
    if not access.own_agent_id or str(access.own_agent_id) != str(pk):
        raise Http404
    return org.get_visible_agent(user, pk)


def hr_covers(user, agent: Agent) -> bool:
    """Whether the user is HR for this agent's team (HR opens the agent's personal-data export)."""
    return coverage(user, (Role.HR,)).covers(agent.team_id)


def leads_team(user, team_id: int | None) -> bool:
    """Whether the user is a lead of this team."""
    return coverage(user, (Role.TEAM_LEAD,)).covers(team_id)


def is_lead(user) -> bool:
    return load_access(user).has_role(Role.TEAM_LEAD)


def led_agents(user, include_left: bool = False):
    """Agents in the teams the user leads (not the user's own record unless led)."""
    qs = Agent.objects.select_related("team", "team__site").visible_to(user, (Role.TEAM_LEAD,))
    if not include_left:
        qs = qs.exclude(status=AgentStatus.LEFT)
    return qs.order_by("team__code", "employee_no")


# --- profile ------------------------------------------------------------------


def profile_of(agent: Agent) -> AgentProfile:
    try:
        return agent.profile
    except AgentProfile.DoesNotExist:
        return AgentProfile(agent=agent)


def life_stage_of(agent: Agent) -> LifeStage | None:
    try:
        return agent.life_stage
    except LifeStage.DoesNotExist:
        return None


def profile_page(user, agent: Agent, request=None) -> dict:
    """Everything the profile page shows to this user; life stage only when allowed, audited."""
    profile = profile_of(agent)
    sensitive = can_see_sensitive(user, agent)
    own = is_self(user, agent)
    life_stage = None
    if sensitive:
        stage = life_stage_of(agent)
        if stage is not None and (stage.has_consent or own):
            life_stage = stage
            if stage.has_consent:
                audit(
                    actor=user, action=AuditAction.READ, obj=stage,
                    fields=LifeStage.SENSITIVE_FIELDS, subject_agent_id=agent.pk,
                    purpose="profile", request=request,
                )
    return {
        "agent": agent,
        "profile": profile,
        "motivators": motivator_guidance(profile.motivators),
        "aspiration_guidance": ASPIRATION_GUIDANCE.get(profile.career_aspiration, ""),
        "important_dates": list(agent.important_dates.all()),
        "life_stage": life_stage,
        "can_see_sensitive": sensitive,
        "can_edit": sensitive,
        "is_self": own,
        "consent_events": list(ConsentEvent.objects.filter(agent=agent)[:10]) if own else [],
        "my_talks": list(Talk.objects.filter(participants__agent=agent).order_by("-held_on")[:20]) if own else [],
        "dates": {
            "birthday": agent.birthday if FieldGroup.PERSONAL in org.agent_field_groups(user, agent) else None,
            "hire_date": agent.hire_date,
        },
    }


# --- talks --------------------------------------------------------------------


def visible_talks(user):
    """Talks the user may open: those they led, those they attended (agents), all of them for HR."""
    access = load_access(user)
    qs = Talk.objects.select_related("team", "lead")
    if not access.is_authenticated:
        return qs.none()
    if covers_everything(user, (Role.HR,)):
        return qs
    return (
        qs.filter(lead_id=access.user_id)
        | qs.visible_to(user, NO_ROLE, via="participants__agent", own=True)
        | qs.visible_to(user, (Role.HR,), via="team")
    ).distinct()


def get_talk(user, pk) -> Talk:
    return get_or_404(visible_talks(user), pk)


def talk_page(user, talk: Talk, request=None) -> dict:
    """A talk as this user may see it: an attending agent sees the shared summary,
    their own note and follow-ups, never other agents' notes. Reads are audited."""
    access = load_access(user)
    participants = list(talk.participants.select_related("agent", "agent__team"))
    full = talk.lead_id == access.user_id or (
        coverage(user, (Role.HR,)).covers(talk.team_id)
    )
    own_id = access.own_agent_id
    shown = participants if full else [p for p in participants if p.agent_id == own_id]
    follow_ups = list(talk.follow_ups.select_related("owner_agent"))
    if not full:
        follow_ups = [f for f in follow_ups if f.owner_agent_id in (None, own_id)]
    audit_each(
        actor=user, action=AuditAction.READ, obj=talk, fields=["private_note"],
        subject_agent_ids=[p.agent_id for p in shown], purpose="talk", request=request,
    )
    return {
        "talk": talk,
        "participants": participants,
        "notes_shown": shown,
        "follow_ups": follow_ups,
        "full": full,
        "is_lead": talk.lead_id == access.user_id,
        "prompt_choices": TalkPrompt.choices,
    }


def last_talks(agent_ids) -> dict[int, dt.date]:
    """Date of each agent's latest talk (one query)."""
    rows = (
        TalkParticipant.objects.filter(agent_id__in=agent_ids)
        .values("agent_id")
        .annotate(last=Max("talk__held_on"))
        .order_by()
    )
    return {row["agent_id"]: row["last"] for row in rows}


def cadences(team_ids) -> dict[int, int]:
    return dict(TalkCadence.objects.filter(team_id__in=team_ids).values_list("team_id", "weeks"))


@dataclass
class AgentTalkStatus:
    agent: Agent
    status: cadence.TalkStatus


def talk_statuses(agents: list[Agent], today: dt.date) -> list[AgentTalkStatus]:
    """Next-talk status of each active agent, longest overdue first (two queries)."""
    active = [a for a in agents if a.status == AgentStatus.ACTIVE]
    last = last_talks([a.pk for a in active])
    weeks = cadences({a.team_id for a in active})
    by_id = {a.pk: a for a in active}
    statuses = [
        cadence.talk_status(
            a.pk, last.get(a.pk), a.hire_date, weeks.get(a.team_id, DEFAULT_CADENCE_WEEKS), today
        )
        for a in active
    ]
    return [AgentTalkStatus(by_id[s.agent_id], s) for s in cadence.overdue_first(statuses)]


def suggested_groups(agents: list[Agent], statuses: list[AgentTalkStatus], today: dt.date, limit: int = 12):
    """Groups for the next talks among agents overdue or due soon: longest-waiting first, mixed tenure."""
    soon = today + dt.timedelta(days=TALK_DUE_SOON_DAYS)
    due = [s for s in statuses if s.status.due_on <= soon]
    by_team: dict[int, list[AgentTalkStatus]] = {}
    for s in due:
        by_team.setdefault(s.agent.team_id, []).append(s)
    groups = []
    for items in by_team.values():
        by_id = {s.agent.pk: s.agent for s in items}
        candidates = [(s.agent.pk, s.status.last_talk, s.agent.hire_date) for s in items]
        for ids in cadence.suggest_groups(candidates, today, group_size=4, limit=limit):
            groups.append([by_id[i] for i in ids])
    return groups


# --- emotional bank account ---------------------------------------------------


def account_summaries(lead_user, agent_ids, today: dt.date) -> dict[int, ledger.AccountSummary]:
    """Balance, last deposit and 30-day trend per agent of one lead's ledger (one query)."""
    start = today - dt.timedelta(days=30)
    rows = (
        BankEntry.objects.filter(lead=lead_user, agent_id__in=agent_ids, occurred_on__lte=today)
        .values("agent_id")
        .annotate(
            balance=Sum("amount"),
            last_deposit=Max("occurred_on", filter=Q(amount__gt=0)),
            trend=Sum("amount", filter=Q(occurred_on__gt=start)),
        )
        .order_by()
    )
    return {
        r["agent_id"]: ledger.AccountSummary(r["agent_id"], r["balance"], r["last_deposit"], r["trend"] or 0)
        for r in rows
    }


@dataclass
class Nudge:
    agent: Agent
    summary: ledger.AccountSummary
    codes: list[str] = field(default_factory=list)


def nudges_for(lead_user, agents: list[Agent], today: dt.date) -> tuple[list[Nudge], dict]:
    active = [a for a in agents if a.status == AgentStatus.ACTIVE]
    summaries = account_summaries(lead_user, [a.pk for a in active], today)
    result = []
    for agent in active:
        summary = summaries.get(agent.pk) or ledger.AccountSummary(agent.pk, 0, None, 0)
        codes = summary.nudges(today, since=agent.hire_date)
        if codes:
            result.append(Nudge(agent, summary, codes))
    result.sort(key=lambda n: (n.summary.balance >= 0, n.summary.last_deposit or dt.date.min))
    return result, summaries


def ledger_overview(lead_user, agents: list[Agent], today: dt.date, request=None) -> dict:
    """Every led agent with balance, last deposit, trend and nudges (one ledger query, audited)."""
    nudges, summaries = nudges_for(lead_user, agents, today)
    nudged = {n.agent.pk: n.codes for n in nudges}
    rows = [{"agent": a, "summary": summaries.get(a.pk), "nudges": nudged.get(a.pk, [])} for a in agents]
    audit(actor=lead_user, action=AuditAction.READ, object_type="people.bankentry",
          fields=["balance", "last_deposit"], purpose="ledger overview", request=request)
    return {"rows": rows, "nudge_count": len(nudges)}


def ledger_page(viewer, agent: Agent, today: dt.date, request=None) -> dict:
    """The ledger about one agent: the lead's own entries; HR sees every lead's. Audited."""
    access = load_access(viewer)
    entries = BankEntry.objects.filter(agent=agent).select_related("lead")
    hr = coverage(viewer, (Role.HR,)).covers(agent.team_id)
    if not hr:
        entries = entries.filter(lead_id=access.user_id)
    entries = list(entries)
    audit(
        actor=viewer, action=AuditAction.READ, object_type="people.bankentry", object_id=agent.pk,
        fields=["kind", "note", "amount"], subject_agent_id=agent.pk, purpose="ledger", request=request,
    )
    points = ledger.running_balance([(e.occurred_on, e.amount) for e in entries if e.lead_id == access.user_id])
    mine = [e for e in entries if e.lead_id == access.user_id]
    summary = ledger.summarize([(agent.pk, e.occurred_on, e.amount) for e in mine], today).get(agent.pk)
    return {
        "agent": agent,
        "entries": entries,
        "points": points,
        "chart": {"dates": [d.isoformat() for d, _v in points], "values": [v for _d, v in points]},
        "summary": summary,
        "nudges": (summary or ledger.AccountSummary(agent.pk, 0, None, 0)).nudges(today, agent.hire_date),
        "show_lead": hr,
    }


# --- the lead's day -----------------------------------------------------------


@dataclass
class LeadOverview:
    today: dt.date
    agents: list[Agent]
    dates: list[tuple[reminders.DateReminder, Agent]]
    overdue: list[AgentTalkStatus]
    due_soon: list[AgentTalkStatus]
    follow_ups: list[FollowUp]
    nudges: list[Nudge]
    groups: list[list[Agent]]

    @property
    def is_empty(self) -> bool:
        return not (self.dates or self.overdue or self.due_soon or self.follow_ups or self.nudges)


def lead_overview(user, today: dt.date) -> LeadOverview:
    """Reminders, talks due, follow-ups due and nudges for one lead (fixed number of queries)."""
    agents = list(led_agents(user))
    by_id = {a.pk: a for a in agents}
    important = list(
        ImportantDate.objects.filter(agent_id__in=by_id).values_list("agent_id", "label", "date", "yearly")
    )
    upcoming = reminders.upcoming_dates(
        [(a.pk, a.birthday, a.hire_date) for a in agents], today, REMINDER_DAYS, important
    )
    statuses = talk_statuses(agents, today)
    soon = today + dt.timedelta(days=TALK_DUE_SOON_DAYS)
    follow_ups = list(
        FollowUp.objects.filter(
            talk__lead=user, done_at__isnull=True,
            due_on__lte=today + dt.timedelta(days=FOLLOW_UP_DAYS),
        ).select_related("owner_agent", "talk")
    )
    nudges, _ = nudges_for(user, agents, today)
    return LeadOverview(
        today=today,
        agents=agents,
        dates=[(r, by_id[r.agent_id]) for r in upcoming],
        overdue=[s for s in statuses if s.status.is_overdue],
        due_soon=[s for s in statuses if not s.status.is_overdue and s.status.due_on <= soon],
        follow_ups=follow_ups,
        nudges=nudges,
        groups=suggested_groups(agents, statuses, today),
    )


def lead_home_panels(user, today: dt.date, request=None) -> dict:
    """Context for ``people/_lead_home_panels.html`` (key ``people_panels``)."""
    if not is_lead(user):
        return {}
    overview = lead_overview(user, today)
    if overview.nudges:
        audit(
            actor=user, action=AuditAction.READ, object_type="people.bankentry",
            fields=["balance", "last_deposit"], purpose="lead home nudges", request=request,
        )
    return {"overview": overview, "today": today}
