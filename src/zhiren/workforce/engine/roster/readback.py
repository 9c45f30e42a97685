"""From per-agent choices to the answer: shifts with queues, coverage, the
objective's terms, unmet wishes."""

from __future__ import annotations

from typing import Protocol

from .problem import (
    SLOT_MINUTES,
    SLOTS_PER_DAY,
    Assignment,
    RosterChoices,
    RosterProblem,
    ShiftOption,
    SkillGroup,
    SkillGroups,
    UnmetWish,
)

__all__ = ["coverage_cost", "objective_terms", "roster_assignments", "unmet_wishes"]


class FairnessPools(Protocol):
    """The agents a model counts in its fairness terms (a ``RosterModel``)."""

    weekend_agents: set[int]
    late_agents: set[int]


def roster_assignments(
    problem: RosterProblem,
    options: list[ShiftOption],
    groups: SkillGroups,
    choices: RosterChoices,
) -> tuple[list[Assignment], dict[str, list[int]]]:
    """Concrete shifts with a queue per working interval, and coverage.

    Single-skill agents serve their queue. In each interval the working
    multi-skill agents are given, one at a time, to the queue with the largest
    remaining shortfall (which minimises that interval's penalties), keeping
    an agent on the queue it served in the previous interval when that queue
    gets someone anyway.
    """
    on_duty = _agents_on_duty(problem, options, groups, choices)
    queue_at, coverage = _serve_queues(problem, groups, on_duty)
    assignments = []
    for agent_index, days in enumerate(choices):
        for day, (k, offsets) in days.items():
            option = options[k]
            template = option.template
            first_slot = day * SLOTS_PER_DAY + option.start // SLOT_MINUTES
            breaks = tuple(
                (option.start + offset, option.start + offset + rule.length_minutes)
                for offset, rule in zip(offsets, template.breaks, strict=True)
            )
            assignments.append(
                Assignment(
                    agent_id=problem.agents[agent_index].id,
                    day=day,
                    template=template.name,
                    start=option.start,
                    end=option.end,
                    breaks=breaks,
                    queues=tuple(
                        queue_at.get((agent_index, first_slot + s))
                        for s in range(template.length_minutes // SLOT_MINUTES)
                    ),
                )
            )
    assignments.sort(key=lambda a: (a.day, a.start, a.agent_id))
    return assignments, coverage


def _agents_on_duty(
    problem: RosterProblem,
    options: list[ShiftOption],
    groups: SkillGroups,
    choices: RosterChoices,
) -> dict[SkillGroup, list[list[int]]]:
    """Per group and slot the agents working (on shift, not on a break)."""
    n_slots = problem.num_slots
    on_duty: dict[SkillGroup, list[list[int]]] = {g: [[] for _ in range(n_slots)] for g in groups}
    group_of = {ai: g for g, members in groups.items() for ai in members}
    for agent_index, days in enumerate(choices):
        for day, (k, offsets) in days.items():
            option = options[k]
            first_slot = day * SLOTS_PER_DAY + option.start // SLOT_MINUTES
            break_slots: set[int] = set()
            for offset, rule in zip(offsets, option.template.breaks, strict=True):
                s0 = offset // SLOT_MINUTES
                break_slots.update(range(s0, s0 + rule.length_minutes // SLOT_MINUTES))
            for s in range(option.template.length_minutes // SLOT_MINUTES):
                if s not in break_slots and first_slot + s < n_slots:
                    on_duty[group_of[agent_index]][first_slot + s].append(agent_index)
    return on_duty


def _serve_queues(
    problem: RosterProblem,
    groups: SkillGroups,
    on_duty: dict[SkillGroup, list[list[int]]],
) -> tuple[dict[tuple[int, int], str], dict[str, list[int]]]:
    """The queue each agent serves in each slot, and the coverage per queue."""
    demand = problem.demand
    queue_at: dict[tuple[int, int], str] = {}
    coverage = {q: [0] * problem.num_slots for q in demand}
    for group in sorted(groups, key=len):
        for t, agents in enumerate(on_duty[group]):
            if len(group) == 1:
                for agent_index in agents:
                    queue_at[(agent_index, t)] = group[0]
                coverage[group[0]][t] += len(agents)
                continue
            quota = dict.fromkeys(group, 0)
            for _ in agents:
                queue = max(group, key=lambda q: demand[q][t] - coverage[q][t] - quota[q])
                quota[queue] += 1
            unplaced = []
            for agent_index in sorted(agents):
                previous = queue_at.get((agent_index, t - 1))
                if previous in quota and quota[previous] > 0:
                    queue_at[(agent_index, t)] = previous
                    quota[previous] -= 1
                else:
                    unplaced.append(agent_index)
            for agent_index in unplaced:
                queue = next(q for q in group if quota[q] > 0)
                queue_at[(agent_index, t)] = queue
                quota[queue] -= 1
            for agent_index in agents:
                coverage[queue_at[(agent_index, t)]][t] += 1
    return queue_at, coverage


def objective_terms(
    problem: RosterProblem,
    model: FairnessPools,
    assignments: list[Assignment],
    under: dict[str, list[int]],
    over: dict[str, list[int]],
) -> dict[str, int]:
    """The objective's terms for a finished roster (same definition as the
    model's); ``model`` names the agents in the fairness pools
    (``weekend_agents``, ``late_agents``)."""
    weights = problem.weights
    templates = {t.name: t for t in problem.templates}
    weekend = dict.fromkeys((problem.agents[ai].id for ai in model.weekend_agents), 0)
    late = dict.fromkeys((problem.agents[ai].id for ai in model.late_agents), 0)
    wished_away = days_off_worked = 0
    agents = {a.id: a for a in problem.agents}
    for shift in assignments:
        agent = agents[shift.agent_id]
        if agent.preferred_shifts and shift.template not in agent.preferred_shifts:
            wished_away += 1
        if shift.day in agent.preferred_days_off:
            days_off_worked += 1
        if problem.is_weekend(shift.day) and shift.agent_id in weekend:
            weekend[shift.agent_id] += 1
        if templates[shift.template].late and shift.agent_id in late:
            late[shift.agent_id] += 1

    def spread(counts: dict[str, int]) -> int:
        return max(counts.values()) - min(counts.values()) if len(counts) >= 2 else 0

    return {
        "under": weights.under * sum(sum(v) for v in under.values()),
        "over": weights.over * sum(sum(v) for v in over.values()),
        "preferred_shift": weights.preferred_shift * wished_away,
        "preferred_day_off": weights.preferred_day_off * days_off_worked,
        "weekend_spread": weights.weekend_spread * spread(weekend),
        "late_spread": weights.late_spread * spread(late),
    }


def unmet_wishes(problem: RosterProblem, assignments: list[Assignment]) -> list[UnmetWish]:
    """Wishes (preferred shifts, preferred days off) that ``assignments`` do not meet."""
    agents = {a.id: a for a in problem.agents}
    unmet = []
    for shift in assignments:
        agent = agents[shift.agent_id]
        if agent.preferred_shifts and shift.template not in agent.preferred_shifts:
            unmet.append(
                UnmetWish(
                    shift.agent_id,
                    shift.day,
                    "preferred_shift",
                    f"got {shift.template}, wished {', '.join(sorted(agent.preferred_shifts))}",
                    {"got": shift.template, "wished": sorted(agent.preferred_shifts)},
                )
            )
        if shift.day in agent.preferred_days_off:
            unmet.append(
                UnmetWish(
                    shift.agent_id,
                    shift.day,
                    "preferred_day_off",
                    f"works {shift.template}",
                    {"got": shift.template},
                )
            )
    return unmet


def coverage_cost(problem: RosterProblem, coverage: dict[str, list[int]]) -> int:
    """Weighted under- and over-staffing of a coverage."""
    weights = problem.weights
    cost = 0
    for queue, demand in problem.demand.items():
        for required, covered in zip(demand, coverage[queue], strict=True):
            if required > covered:
                cost += weights.under * (required - covered)
            else:
                cost += weights.over * (covered - required)
    return cost
