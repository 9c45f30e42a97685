"""Demo data: queues, templates, forecasts, a published schedule for this and next week,
some leave and swap requests, and today's agent states. Idempotent; a few seconds.

The schedule comes from a deterministic rotation (not the solver) so the demo loads fast;
the planner can generate a real roster from the Rosters page.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from zhiren.demo import rotation
from zhiren.org.models import Agent, Site, Team

from .dates import tz
from .drafts.roster import check, roster_input
from .drafts.services import draft_assignments, publish_draft, summarize
from .engine.roster import unmet_wishes
from .engine.roster.rules import RULES
from .models import (
    AgentPreference,
    AgentSkill,
    CurrentState,
    DraftShift,
    DraftStatus,
    ForecastEvent,
    ForecastVersion,
    LeaveRequest,
    PublishedShift,
    Queue,
    RequestStatus,
    RosterDraft,
    ScheduleVersion,
    ShiftNotice,
    StateEvent,
    SwapRequest,
)
from .planning.services import create_forecast, ensure_site_setup, score_forecast_version
from .requests.services import swap_checks
from .staff import active_agents

QUEUES = {  # team code -> (queue code, queue name as in the contact data, model)
    "hz-presales": ("presales", "售前咨询", "chat"),
    "hz-aftersales": ("aftersales", "售后热线", "erlang-a"),
    "hz-complaints": ("complaints", "投诉专线", "erlang-c"),
    "cd-presales": ("presales", "售前咨询", "chat"),
    "cd-aftersales": ("aftersales", "售后热线", "erlang-a"),
    "cd-online": ("online", "在线售后", "chat"),
    "cd-email": ("email", "邮件工单", "erlang-c"),
}


def _reset(sites) -> None:
    PublishedShift.objects.filter(version__site__in=sites).delete()
    ScheduleVersion.objects.filter(site__in=sites).delete()
    RosterDraft.objects.filter(site__in=sites).delete()
    ForecastVersion.objects.filter(queue__site__in=sites).delete()
    agents = Agent.objects.filter(team__site__in=sites)
    for model in (LeaveRequest, ShiftNotice):
        model.objects.filter(agent__in=agents).delete()
    SwapRequest.objects.filter(requester__in=agents).delete()
    StateEvent.objects.filter(agent__in=agents).delete()
    CurrentState.objects.filter(agent__in=agents).delete()


def load(context) -> None:
    today = context.today
    monday = today - timedelta(days=today.weekday())
    sites = list(Site.objects.order_by("code"))
    with transaction.atomic():
        _reset(sites)
        for site in sites:
            ensure_site_setup(site)
            teams = list(Team.objects.filter(site=site, code__in=QUEUES).order_by("code"))
            for team in teams:
                code, name, model = QUEUES[team.code]
                queue, _ = Queue.objects.update_or_create(
                    site=site,
                    code=code,
                    defaults={
                        "name": name,
                        "history_name": name,
                        "model": model,
                        "channel": team.main_channel,
                        "max_abandon_rate": 5 if model == "erlang-a" else None,
                    },
                )
                for agent in active_agents([team.pk]):
                    AgentSkill.objects.get_or_create(
                        agent=agent, queue=queue, defaults={"proficiency": 3}
                    )
            ForecastEvent.objects.get_or_create(
                site=site,
                name="双11",
                start=today.replace(month=11, day=10),
                end=today.replace(month=11, day=12),
                defaults={"uplift": 2.2},
            )
            for queue in Queue.objects.filter(site=site):
                version = create_forecast(None, queue, monday, 2)
                score_forecast_version(version.pk)  # the demo shows its accuracy at once
            _schedule(site, teams, monday)
        _requests(context, today, monday)
        _states(today)


def _schedule(site, teams, monday) -> None:
    """Two weeks of the demo rotation (``zhiren.demo.rotation``), published as version 1."""
    if not teams:
        return
    templates = list(site.wfm_templates.filter(active=True).order_by("earliest_start"))
    draft = RosterDraft.objects.create(
        site=site,
        start=monday,
        weeks=2,
        status=DraftStatus.READY,
        stage="done",
        progress=100,
        result={"coverage": None},
    )
    draft.teams.set(teams)
    shifts = []
    for team in teams:
        queue_code = QUEUES[team.code][0]
        for i, agent in enumerate(active_agents([team.pk])):
            off = rotation.days_off(i)
            template = templates[i % len(templates)]
            for n in range(14):
                day = monday + timedelta(days=n)
                if day.weekday() in off:
                    continue
                start = template.earliest_start
                breaks, cursor = [], start
                for b in template.breaks:
                    s = max(cursor, start + b["earliest_after"] + 15 * (i % 3))
                    s = min(s, start + b["latest_after"])
                    breaks.append([b.get("kind", "break"), s, s + b["length"]])
                    cursor = s + b["length"]
                end = start + template.length_minutes
                queues = [
                    None if any(a <= m < z for _k, a, z in breaks) else queue_code
                    for m in range(start, end, 15)
                ]
                shifts.append(
                    DraftShift(
                        draft=draft,
                        agent=agent,
                        day=day,
                        template=template.name,
                        start_minute=start,
                        end_minute=end,
                        breaks=breaks,
                        queues=queues,
                    )
                )
    DraftShift.objects.bulk_create(shifts)
    _summarize(draft, [t.pk for t in teams])
    publish_draft(None, draft, draft.version, note="demo")


def _summarize(draft, team_ids) -> None:
    """The draft's coverage and rule checks as a generated roster has them: the hand-made
    demo rotation is checked by the engine's checker against the real requirement."""
    data = roster_input(draft.site_id, team_ids, draft.start, draft.weeks)
    result, violations = check(data.problem, draft_assignments(draft))
    result.rule_checks = dict.fromkeys(RULES, 0)
    result.unmet_wishes = unmet_wishes(data.problem, result.assignments)
    draft.demand = data.problem.demand
    draft.result = summarize(data.problem, result, violations, data.agents)
    draft.save(update_fields=["demand", "result"])


def _requests(context, today, monday) -> None:
    lead_user = context.users.get("lead")
    team = Team.objects.filter(code="hz-aftersales").first()
    if team is None:
        return
    agents = active_agents([team.pk])
    if len(agents) < 4:
        return
    AgentPreference.objects.update_or_create(
        agent=agents[0],
        defaults={"preferred_templates": ["早班"], "note": "孩子上小学，希望上早班"},
    )
    LeaveRequest.objects.create(
        agent=agents[1],
        start=monday + timedelta(days=9),
        end=monday + timedelta(days=10),
        reason="家里有事",
    )
    LeaveRequest.objects.create(
        agent=agents[2],
        start=monday + timedelta(days=11),
        end=monday + timedelta(days=11),
        kind="sick",
        reason="复诊",
        status=RequestStatus.APPROVED,
        decided_by=lead_user,
        decided_at=timezone.now(),
    )
    day = monday + timedelta(days=8)
    SwapRequest.objects.create(
        requester=agents[3], day=day, note="孩子家长会", status=RequestStatus.OPEN
    )
    swap = SwapRequest.objects.create(
        requester=agents[0],
        partner=agents[1],
        day=monday + timedelta(days=12),
        status=RequestStatus.PENDING,
    )
    swap.checks = swap_checks(swap)
    swap.save(update_fields=["checks"])


def _states(today) -> None:
    """States for today up to now: on time mostly, one late, one still on break."""
    zone = tz()
    now = timezone.now()
    rows = PublishedShift.objects.filter(day=today, active=True).order_by("agent_id")
    events = []
    for i, shift in enumerate(rows):
        midnight = datetime.combine(today, time(0), zone)
        late = 12 if i % 9 == 4 else 0
        for kind, a, b in shift.activities:
            state = {
                "work": "available",
                "break": "break",
                "lunch": "lunch",
                "meeting": "meeting",
            }.get(kind, "available")
            at = midnight + timedelta(minutes=a + (late if a == shift.start_minute else (i % 3)))
            if at > now:
                break
            events.append(StateEvent(agent_id=shift.agent_id, state=state, at=at))
            if kind == "break" and i % 11 == 5 and midnight + timedelta(minutes=b) < now:
                continue  # overstays the break: no return to available
        end = midnight + timedelta(minutes=shift.end_minute)
        if end <= now:
            events.append(StateEvent(agent_id=shift.agent_id, state="offline", at=end))
    StateEvent.objects.bulk_create(events, batch_size=2000)
    latest = {}
    for e in events:
        latest[e.agent_id] = e
    CurrentState.objects.bulk_create(
        [
            CurrentState(agent_id=e.agent_id, state=e.state, since=e.at, received_at=now)
            for e in latest.values()
        ]
    )
