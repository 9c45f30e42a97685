"""Large-neighbourhood search with CP-SAT: the last step on instances too big
for the full per-agent model."""

from __future__ import annotations

import random
import time
from dataclasses import replace

from ortools.sat.python import cp_model

from .model import RosterModel, choices_from_solver, hint_from_choices, make_solver
from .problem import MINUTES_PER_DAY, SLOT_MINUTES, RosterChoices, RosterProblem, SkillGroup
from .readback import roster_assignments
from .settings import SolverSettings

__all__ = ["large_neighbourhood_search"]


def large_neighbourhood_search(
    problem: RosterProblem,
    relax: RosterModel,
    keep: dict[tuple[SkillGroup, int], set[int]],
    choices: RosterChoices,
    settings: SolverSettings,
    deadline: float,
) -> dict[str, object]:
    """Improve ``choices`` in place until ``deadline``; returns the step's report.

    Each round frees the shifts of a random set of agents of one skill group,
    keeps everybody else's roster (and queue service) fixed, and re-solves the
    freed agents' full per-agent model (restricted to the shifts in ``keep``)
    against the demand the others leave open, starting from their current
    shifts (so a round never makes the freed agents' part worse).
    """
    rng = random.Random(settings.seed)
    rounds = improved = 0
    groups = [g for g, members in relax.groups.items() if members]
    while deadline - time.monotonic() > settings.lns_round_s * 0.5:
        group = rng.choices(groups, weights=[len(relax.groups[g]) for g in groups])[0]
        members = relax.groups[group]
        freed = sorted(rng.sample(members, min(len(members), settings.lns_agents)))
        residual = _demand_left_to(problem, relax, choices, set(freed))
        sub = replace(problem, demand=residual, agents=[problem.agents[ai] for ai in freed])
        model = RosterModel(sub, keep=keep)
        current = [choices[ai] for ai in freed]
        hint_from_choices(model, current)
        solver = make_solver(settings, min(settings.lns_round_s, deadline - time.monotonic()))
        status = solver.solve(model.cp)
        rounds += 1
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            new = choices_from_solver(model, solver)
            if new != current:
                improved += 1
            for j, agent_index in enumerate(freed):
                choices[agent_index] = new[j]
    return {"rounds": rounds, "improved": improved, "agents_per_round": settings.lns_agents}


def _demand_left_to(
    problem: RosterProblem, relax: RosterModel, choices: RosterChoices, freed: set[int]
) -> dict[str, list[int]]:
    """The demand the agents outside ``freed`` leave open."""
    assignments, coverage = roster_assignments(problem, relax.options, relax.groups, choices)
    index = {a.id: i for i, a in enumerate(problem.agents)}
    residual = {q: list(v) for q, v in problem.demand.items()}
    for queue in residual:
        for t, covered in enumerate(coverage[queue]):
            residual[queue][t] -= covered
    for shift in assignments:
        if index[shift.agent_id] not in freed:
            continue
        first_slot = (shift.day * MINUTES_PER_DAY + shift.start) // SLOT_MINUTES
        for i, served in enumerate(shift.queues):
            if served is not None and first_slot + i < problem.num_slots:
                residual[served][first_slot + i] += 1
    return residual
