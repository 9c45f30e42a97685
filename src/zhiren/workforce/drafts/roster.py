"""The engine's roster problem from a site's data, and the engine's answers back.

Agents, skills, contract minutes, approved leave, wishes, shift templates and labour
rules become a :class:`~zhiren.workforce.engine.roster.problem.RosterProblem`; breaks
and queues of an assignment become the stored JSON of a shift. No writes.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from zhiren.core.registries import away_days
from zhiren.org.models import Agent

from ..dates import days_between
from ..engine.roster.problem import (
    SLOTS_PER_DAY,
    Assignment,
    BreakRule,
    LaborRules,
    RosterProblem,
    RosterResult,
)
from ..engine.roster.problem import Agent as EngineAgent
from ..engine.roster.problem import ShiftTemplate as EngineTemplate
from ..engine.roster.rules import check_roster
from ..models import AgentPreference, LeaveRequest, Queue, RequestStatus, ShiftTemplate, SiteRules
from ..planning.staffing import team_share_demand
from ..staff import active_agents, agent_skills, limited_skills, site_rules


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
                max_contract_minutes=t.max_contract_minutes,
            )
        )
    return out


def labor_rules(rules: SiteRules) -> LaborRules:
    return LaborRules(
        min_rest_minutes=rules.min_rest_minutes,
        max_consecutive_days=rules.max_consecutive_days,
        min_rest_days_per_week=rules.min_rest_days_per_week,
        max_minutes_per_day=rules.max_minutes_per_day,
        max_minutes_per_week=rules.max_minutes_per_week,
    )


def leave_days(agent_ids: list[int], start: date, end: date) -> dict[int, set[date]]:
    out: dict[int, set[date]] = defaultdict(set)
    for agent_id, a, b in LeaveRequest.objects.filter(
        agent_id__in=agent_ids, status=RequestStatus.APPROVED, start__lte=end, end__gte=start
    ).values_list("agent_id", "start", "end"):
        for day in days_between(max(a, start), min(b, end)):
            out[agent_id].add(day)
    for feed in away_days.values():  # other modules' days off the phones (e.g. manager for a day)
        for agent_id, away in feed(agent_ids, start, end).items():
            out[agent_id].update(d for d in away if start <= d <= end)
    return out


def contract_max(pref: AgentPreference | None, rules: SiteRules) -> int:
    """An agent's weekly maximum of paid minutes: the contract's, else the site's legal one."""
    return pref.max_minutes_week if pref is not None else rules.max_minutes_per_week


@dataclass
class RosterInput:
    problem: RosterProblem
    agents: dict[str, Agent]  # engine id -> agent
    queues: list[Queue]


def roster_input(
    site_id: int, team_ids: list[int], start: date, weeks: int, demand=None
) -> RosterInput:
    """The engine problem for these teams and weeks (demand computed unless given)."""
    days = [start + timedelta(days=n) for n in range(weeks * 7)]
    queues = list(Queue.objects.filter(site_id=site_id))
    agents = active_agents(team_ids)
    skills, limited = limited_skills(agents, agent_skills(agents, queues), queues, days[0], days[-1])
    # an agent limited to no queue at all (e.g. nesting still in the classroom) is not rostered
    agents = [a for a in agents if a.pk not in limited or skills[a.pk]]
    if demand is None:
        demand = team_share_demand(site_id, queues, agents, skills, days)
    prefs = {p.agent_id: p for p in AgentPreference.objects.filter(agent__in=agents)}
    leave = leave_days([a.pk for a in agents], days[0], days[-1])
    rules = site_rules(site_id)
    engine_agents = []
    for agent in agents:
        pref = prefs.get(agent.pk)
        engine_agents.append(
            EngineAgent(
                id=str(agent.pk),
                skills=skills[agent.pk] or tuple(q.code for q in queues[:1]),
                min_minutes_week=pref.min_minutes_week if pref else 0,
                max_minutes_week=contract_max(pref, rules),
                leave_days=frozenset((d - start).days for d in leave.get(agent.pk, ())),
                preferred_shifts=frozenset(pref.preferred_templates) if pref else frozenset(),
                preferred_days_off=frozenset(
                    n for n, d in enumerate(days) if pref and d.weekday() in pref.preferred_days_off
                ),
            )
        )
    problem = RosterProblem(
        days=len(days),
        demand={q: list(map(int, v)) for q, v in demand.items()},
        agents=engine_agents,
        templates=engine_templates(site_id),
        rules=labor_rules(rules),
        start_weekday=start.weekday(),
    )
    return RosterInput(problem, {str(a.pk): a for a in agents}, queues)


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
