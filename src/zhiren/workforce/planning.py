"""Bridge between the workforce models and the pure engine.

Reads history, forecasts, shift templates, rules, agents, leave and wishes
into the engine's plain inputs (``IntervalObservation``, ``StaffingTargets``,
``RosterProblem``) and turns the engine's answers back into plain dicts. No
writes: the services call these and store the results.
"""

from __future__ import annotations

import math
import zoneinfo
from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta

import numpy as np
from django.conf import settings
from django.db.models import Sum

from zhiren.org.models import Agent, AgentStatus
from zhiren.performance.models import IntervalStat

from .engine.calendar_cn import HolidayCalendar, HolidayEntry
from .engine.forecast import Event, IntervalObservation, fit_forecast_model
from .engine.roster.problem import (
    SLOTS_PER_DAY,
    Assignment,
    BreakRule,
    LaborRules,
    RosterProblem,
    RosterResult,
)
from .engine.roster.problem import Agent as EngineAgent
from .engine.roster.problem import ShiftTemplate as EngineTemplate
from .engine.roster.rules import check_roster
from .engine.staffing import StaffingTargets, staff_chat, staff_erlang_a, staff_erlang_c
from .models import (
    AgentPreference,
    AgentSkill,
    ForecastEvent,
    ForecastVersion,
    HolidayDay,
    LeaveRequest,
    Queue,
    RequestStatus,
    ShiftTemplate,
    Shrinkage,
    SiteRules,
    StaffingModel,
)

SLOT_S = 900
HISTORY_WEEKS = 12


def tz():
    return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def days_between(start: date, end: date) -> list[date]:
    return [start + timedelta(days=n) for n in range((end - start).days + 1)]


# --- forecasting ---------------------------------------------------------------------------


def holiday_calendar() -> HolidayCalendar:
    entries = [
        HolidayEntry(d, k, n) for d, k, n in HolidayDay.objects.values_list("date", "kind", "name")
    ]
    return HolidayCalendar(entries)


def engine_events(site_id: int) -> list[Event]:
    return [
        Event(name, start, end, uplift)
        for name, start, end, uplift in ForecastEvent.objects.filter(site_id=site_id).values_list(
            "name", "start", "end", "uplift"
        )
    ]


def actuals(queue: Queue, start: date, end: date) -> dict[date, dict[str, list[float]]]:
    """Offered volume and AHT per day and quarter hour from the performance rollups."""
    rows = (
        IntervalStat.objects.filter(
            team__site_id=queue.site_id,
            queue=queue.history_name or queue.name,
            day__range=(start, end),
        )
        .values("day", "slot")
        .annotate(offered=Sum("offered"), handle=Sum("handle_sum"), answered=Sum("answered"))
    )
    out: dict[date, dict[str, list[float]]] = {}
    for row in rows:
        day = out.setdefault(
            row["day"], {"volume": [0.0] * SLOTS_PER_DAY, "aht": [0.0] * SLOTS_PER_DAY}
        )
        day["volume"][row["slot"]] += row["offered"]
        if row["answered"]:
            day["aht"][row["slot"]] = row["handle"] / row["answered"]
    return out


def history(queue: Queue, until: date, weeks: int = HISTORY_WEEKS) -> list[IntervalObservation]:
    zone = tz()
    observations = []
    for day, series in sorted(actuals(queue, until - timedelta(days=weeks * 7 - 1), until).items()):
        midnight = datetime.combine(day, time(0), zone)
        for slot in range(SLOTS_PER_DAY):
            volume = series["volume"][slot]
            aht = series["aht"][slot] or None
            observations.append(
                IntervalObservation(
                    midnight + timedelta(minutes=15 * slot), queue.code, volume, aht
                )
            )
    return observations


@dataclass
class ForecastOutput:
    data: dict[str, dict[str, list[float]]]
    warnings: list[str]


def run_forecast(
    queue: Queue, start: date, weeks: int, history_until: date | None = None
) -> ForecastOutput:
    """Fit on the queue's history up to ``history_until`` (default: the day before ``start``)."""
    until = history_until or start - timedelta(days=1)
    obs = history(queue, until)
    if len({o.start.date() for o in obs if o.volume}) < 14:
        return _flat_forecast(queue, start, weeks)
    model = fit_forecast_model(
        obs, events=engine_events(queue.site_id), calendar=holiday_calendar()
    )
    result = model.predict(start=start, days=weeks * 7, interval_minutes=15)
    data: dict[str, dict[str, list[float]]] = {}
    for row in result.intervals:
        local = row.start.astimezone(tz()) if row.start.tzinfo else row.start
        day = data.setdefault(
            local.date().isoformat(),
            {"volume": [0.0] * SLOTS_PER_DAY, "aht": [0.0] * SLOTS_PER_DAY},
        )
        slot = (local.hour * 60 + local.minute) // 15
        day["volume"][slot] = round(row.volume, 3)
        day["aht"][slot] = round(row.aht_seconds or queue.default_aht_s, 1)
    return ForecastOutput(data, list(result.warnings))


def _flat_forecast(queue: Queue, start: date, weeks: int) -> ForecastOutput:
    """Without two weeks of history: a plain office-hours shape, clearly flagged."""
    shape = np.zeros(SLOTS_PER_DAY)
    shape[36:88] = 1.0  # 09:00–22:00
    data = {
        (start + timedelta(days=n)).isoformat(): {
            "volume": [round(v * 6.0, 3) for v in shape],
            "aht": [float(queue.default_aht_s)] * SLOTS_PER_DAY,
        }
        for n in range(weeks * 7)
    }
    return ForecastOutput(data, ["less than 14 days of history: a flat office-hours placeholder"])


def latest_versions(queues: list[Queue]) -> dict[int, ForecastVersion]:
    latest: dict[int, ForecastVersion] = {}
    for version in ForecastVersion.objects.filter(queue__in=queues).order_by("queue_id", "-number"):
        latest.setdefault(version.queue_id, version)
    return latest


def forecast_for_days(version: ForecastVersion | None, queue: Queue, days: list[date]):
    """Volume and AHT arrays (days × 96) from a version; zero volume for uncovered days."""
    volume = np.zeros((len(days), SLOTS_PER_DAY))
    aht = np.full((len(days), SLOTS_PER_DAY), float(queue.default_aht_s))
    data = version.data if version else {}
    for i, day in enumerate(days):
        entry = data.get(day.isoformat())
        if entry:
            volume[i] = entry["volume"]
            aht[i] = [a or queue.default_aht_s for a in entry["aht"]]
    return volume, aht


# --- staffing ------------------------------------------------------------------------------


@dataclass(frozen=True)
class WhatIf:
    service_level: float | None = None  # percent
    answer_time_s: float | None = None
    shrinkage: float | None = None  # percent, replaces the site's total
    volume_factor: float = 1.0


def targets_of(queue: Queue, what_if: WhatIf | None = None) -> StaffingTargets:
    w = what_if or WhatIf()
    sl = w.service_level if w.service_level is not None else queue.service_level
    t = w.answer_time_s if w.answer_time_s is not None else queue.answer_time_s
    return StaffingTargets(
        service_level=sl / 100 if sl else None,
        answer_time_target_s=float(t) if sl else None,
        asa_target_s=float(queue.asa_target_s) if queue.asa_target_s else None,
        max_occupancy=queue.max_occupancy / 100 if queue.max_occupancy else None,
        max_abandon_rate=(
            queue.max_abandon_rate / 100
            if queue.max_abandon_rate is not None and queue.model == StaffingModel.ERLANG_A
            else None
        ),
    )


def site_shrinkage(site_id: int, *, for_roster: bool = False) -> float:
    """Total shrinkage of a site as a fraction; for the roster, without what it places itself."""
    qs = Shrinkage.objects.filter(site_id=site_id)
    if for_roster:
        qs = qs.filter(planned_in_roster=False)
    return min(0.6, sum(qs.values_list("percent", flat=True)) / 100)


def required_agents(
    queue: Queue,
    volume: np.ndarray,
    aht: np.ndarray,
    shrinkage: float,
    what_if: WhatIf | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """(on the phones, to schedule) per interval for flat arrays of volume and AHT."""
    targets = targets_of(queue, what_if)
    volume = np.asarray(volume, dtype=float) * (what_if.volume_factor if what_if else 1.0)
    aht = np.maximum(np.asarray(aht, dtype=float), 1.0)
    if queue.model == StaffingModel.CHAT:
        steps = 1 + np.arange(queue.max_concurrency) * queue.concurrency_slowdown / 100
        table = aht[:, None] * steps[None, :]
        plan = staff_chat(volume, SLOT_S, table, targets, shrinkage)
    elif queue.model == StaffingModel.ERLANG_A:
        plan = staff_erlang_a(volume, aht, SLOT_S, targets, float(queue.patience_s), shrinkage)
    else:
        plan = staff_erlang_c(volume, aht, SLOT_S, targets, shrinkage)
    need = np.where(volume > 0, plan.agents_required, 0)
    scheduled = np.where(volume > 0, plan.agents_with_shrinkage, 0)
    return need.astype(int), scheduled.astype(int)


def requirement(
    queues: list[Queue],
    days: list[date],
    *,
    for_roster: bool = False,
    what_if: WhatIf | None = None,
) -> dict[str, np.ndarray]:
    """Agents to schedule per queue code, days × 96, from each queue's latest forecast."""
    if not queues:
        return {}
    versions = latest_versions(queues)
    shrinkage = {site_id: site_shrinkage(site_id, for_roster=for_roster) for site_id in {q.site_id for q in queues}}
    out = {}
    for queue in queues:
        shrink = shrinkage[queue.site_id]
        if what_if and what_if.shrinkage is not None:
            shrink = what_if.shrinkage / 100
        volume, aht = forecast_for_days(versions.get(queue.pk), queue, days)
        _need, scheduled = required_agents(queue, volume.ravel(), aht.ravel(), shrink, what_if)
        out[queue.code] = scheduled.reshape(len(days), SLOTS_PER_DAY)
    return out


# --- rostering -----------------------------------------------------------------------------


def engine_templates(site_id: int) -> list[EngineTemplate]:
    out = []
    for t in ShiftTemplate.objects.filter(site_id=site_id, active=True):
        breaks = tuple(
            BreakRule(
                name=f"{b.get('kind', 'break')}-{i}",
                length_minutes=int(b["length"]),
                earliest_after=int(b["earliest_after"]),
                latest_after=int(b["latest_after"]),
                paid=bool(b.get("paid", b.get("kind") != "lunch")),
            )
            for i, b in enumerate(t.breaks or [])
        )
        out.append(
            EngineTemplate(
                name=t.name,
                earliest_start=t.earliest_start,
                latest_start=t.latest_start,
                length_minutes=t.length_minutes,
                start_step=t.start_step,
                may_cross_midnight=t.may_cross_midnight,
                breaks=breaks,
                late=t.late,
            )
        )
    return out


def site_rules(site_id: int) -> SiteRules:
    rules = SiteRules.objects.filter(site_id=site_id).first()
    return rules or SiteRules(site_id=site_id)


def labor_rules(rules: SiteRules) -> LaborRules:
    return LaborRules(
        min_rest_minutes=rules.min_rest_minutes,
        max_consecutive_days=rules.max_consecutive_days,
        min_rest_days_per_week=rules.min_rest_days_per_week,
        max_minutes_per_day=rules.max_minutes_per_day,
        max_minutes_per_week=rules.max_minutes_per_week,
    )


def agent_skills(agents: list[Agent], queues: list[Queue]) -> dict[int, tuple[str, ...]]:
    """Queue codes per agent: explicit skills, else the site's queues of the agent's channels."""
    codes = {q.pk: q.code for q in queues}
    explicit: dict[int, list[str]] = defaultdict(list)
    for agent_id, queue_id in AgentSkill.objects.filter(
        agent__in=agents, queue_id__in=codes
    ).values_list("agent_id", "queue_id"):
        explicit[agent_id].append(codes[queue_id])
    out = {}
    for agent in agents:
        skills = explicit.get(agent.pk) or [
            q.code for q in queues if q.channel in (agent.channel_skills or [])
        ]
        out[agent.pk] = tuple(sorted(skills))
    return out


def leave_days(agent_ids: list[int], start: date, end: date) -> dict[int, set[date]]:
    out: dict[int, set[date]] = defaultdict(set)
    for agent_id, a, b in LeaveRequest.objects.filter(
        agent_id__in=agent_ids, status=RequestStatus.APPROVED, start__lte=end, end__gte=start
    ).values_list("agent_id", "start", "end"):
        for day in days_between(max(a, start), min(b, end)):
            out[agent_id].add(day)
    return out


@dataclass
class RosterInput:
    problem: RosterProblem
    agents: dict[str, Agent]  # engine id -> agent
    queues: list[Queue]


def active_agents(team_ids: list[int]) -> list[Agent]:
    return list(
        Agent.objects.filter(team_id__in=team_ids, status=AgentStatus.ACTIVE)
        .exclude(position__in=("team_lead", "qa", "trainer"))
        .select_related("team")  # the floor and grids show each agent's team
        .order_by("team_id", "employee_no")
    )


def roster_input(
    site_id: int, team_ids: list[int], start: date, weeks: int, demand=None
) -> RosterInput:
    """The engine problem for these teams and weeks (demand computed unless given)."""
    days = [start + timedelta(days=n) for n in range(weeks * 7)]
    queues = list(Queue.objects.filter(site_id=site_id))
    agents = active_agents(team_ids)
    skills = agent_skills(agents, queues)
    if demand is None:
        demand = team_share_demand(site_id, queues, agents, skills, days)
    prefs = {p.agent_id: p for p in AgentPreference.objects.filter(agent__in=agents)}
    leave = leave_days([a.pk for a in agents], days[0], days[-1])
    engine_agents = []
    for agent in agents:
        pref = prefs.get(agent.pk)
        engine_agents.append(
            EngineAgent(
                id=str(agent.pk),
                skills=skills[agent.pk] or tuple(q.code for q in queues[:1]),
                min_minutes_week=pref.min_minutes_week if pref else 0,
                max_minutes_week=pref.max_minutes_week if pref else 40 * 60,
                leave_days=frozenset((d - start).days for d in leave.get(agent.pk, ())),
                preferred_shifts=frozenset(pref.preferred_templates) if pref else frozenset(),
                preferred_days_off=frozenset(
                    n for n, d in enumerate(days) if pref and d.weekday() in pref.preferred_days_off
                ),
            )
        )
    rules = site_rules(site_id)
    problem = RosterProblem(
        days=len(days),
        demand={q: list(map(int, v)) for q, v in demand.items()},
        agents=engine_agents,
        templates=engine_templates(site_id),
        rules=labor_rules(rules),
        start_weekday=start.weekday(),
    )
    return RosterInput(problem, {str(a.pk): a for a in agents}, queues)


def team_share_demand(site_id, queues, agents, skills, days) -> dict[str, list[int]]:
    """The site's requirement scaled to the share of each queue's skilled agents in these teams."""
    site_agents = active_agents(
        list(
            Agent.objects.filter(team__site_id=site_id).values_list("team_id", flat=True).distinct()
        )
    )
    site_skills = agent_skills(site_agents, queues)
    req = requirement(queues, days, for_roster=True)
    out = {}
    for queue in queues:
        here = sum(queue.code in skills[a.pk] for a in agents)
        total = sum(queue.code in site_skills[a.pk] for a in site_agents) or 1
        if not here:
            continue
        share = here / total
        out[queue.code] = [int(math.ceil(v * share - 1e-9)) for v in req[queue.code].ravel()]
    return out


def shift_activities(
    start_minute: int, end_minute: int, breaks, meeting: tuple[int, int] | None
) -> list[tuple[str, int, int]]:
    """Inner activities of a shift: its breaks, and the morning meeting when the shift covers it."""
    inner = [(k, a, b) for k, a, b in breaks]
    if (
        meeting
        and start_minute <= meeting[0]
        and meeting[1] <= end_minute
        and all(b <= meeting[0] or a >= meeting[1] for _k, a, b in inner)
    ):
        inner.append(("meeting", meeting[0], meeting[1]))
    return sorted(inner, key=lambda x: x[1])


def meeting_window(rules: SiteRules) -> tuple[int, int] | None:
    if rules.meeting_minute is None or not rules.meeting_length:
        return None
    return rules.meeting_minute, rules.meeting_minute + rules.meeting_length


def break_kind(name: str) -> str:
    return "lunch" if name.startswith("lunch") else "break"


def assignment_breaks(problem: RosterProblem, a: Assignment) -> list[tuple[str, int, int]]:
    template = problem.template(a.template)
    return [
        (break_kind(rule.name), s, e)
        for rule, (s, e) in zip(template.breaks, a.breaks, strict=False)
    ]


def check(problem: RosterProblem, assignments: list[Assignment]):
    """Re-check a hand-edited roster with the engine's independent checker."""
    n = problem.num_slots
    coverage = {q: [0] * n for q in problem.demand}
    for a in assignments:
        first = a.day * SLOTS_PER_DAY + a.start // 15
        for i, q in enumerate(a.queues):
            if q is not None and q in coverage and first + i < n:
                coverage[q][first + i] += 1
    under = {
        q: [max(0, d - c) for d, c in zip(problem.demand[q], coverage[q], strict=True)]
        for q in coverage
    }
    over = {
        q: [max(0, c - d) for d, c in zip(problem.demand[q], coverage[q], strict=True)]
        for q in coverage
    }
    result = RosterResult(
        status="MANUAL",
        assignments=assignments,
        coverage=coverage,
        under=under,
        over=over,
        objective=None,
        bound=None,
        gap=None,
        wall_time_s=0.0,
        solver_parameters={},
        unmet_wishes=[],
    )
    return result, check_roster(problem, result)


def queues_for_slots(
    problem: RosterProblem, agent_id: str, day: int, start: int, end: int, breaks
) -> tuple:
    """Queue per 15-minute slot for a hand-placed shift: the agent's most understaffed skill."""
    agent = next(a for a in problem.agents if a.id == agent_id)
    skills = [s for s in agent.skills if s in problem.demand] or list(agent.skills)[:1]
    out = []
    for minute in range(start, end, 15):
        if any(a <= minute < b for _k, a, b in breaks):
            out.append(None)
            continue
        slot = day * SLOTS_PER_DAY + minute // 15
        best = max(
            skills,
            key=lambda q: (
                problem.demand.get(q, [0] * (slot + 1))[slot] if slot < problem.num_slots else 0
            ),
            default=None,
        )
        out.append(best)
    return tuple(out)


def with_demand(problem: RosterProblem, demand: dict) -> RosterProblem:
    return replace(problem, demand=demand)
