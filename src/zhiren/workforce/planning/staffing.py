"""Staffing between the workforce models and the pure engine: agents required per interval.

From each queue's latest forecast, its staffing model and targets and the site's shrinkage
(what-if parameters may replace them). No writes.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

import numpy as np

from zhiren.org.models import Agent

from ..engine.roster.problem import SLOTS_PER_DAY
from ..engine.staffing import StaffingTargets, staff_chat, staff_erlang_a, staff_erlang_c
from ..models import Queue, Shrinkage, StaffingModel
from ..staff import active_agents, agent_skills
from .forecasting import forecast_for_days, versions_covering

SLOT_S = 900


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
    versions = versions_covering(queues, days)
    shrinkage = {
        site_id: site_shrinkage(site_id, for_roster=for_roster)
        for site_id in {q.site_id for q in queues}
    }
    out = {}
    for queue in queues:
        shrink = shrinkage[queue.site_id]
        if what_if and what_if.shrinkage is not None:
            shrink = what_if.shrinkage / 100
        volume, aht = forecast_for_days(versions.get(queue.pk), queue, days)
        _need, scheduled = required_agents(queue, volume.ravel(), aht.ravel(), shrink, what_if)
        out[queue.code] = scheduled.reshape(len(days), SLOTS_PER_DAY)
    return out


def site_demand(site_id, queues, days) -> tuple[dict[str, np.ndarray], dict[str, int]]:
    """The site's requirement per queue (for the roster) and how many of its active agents are
    skilled for each queue: what ``team_share_demand`` shares out."""
    site_agents = active_agents(
        list(
            Agent.objects.filter(team__site_id=site_id).values_list("team_id", flat=True).distinct()
        )
    )
    site_skills = agent_skills(site_agents, queues)
    req = requirement(queues, days, for_roster=True)
    totals = {q.code: sum(q.code in site_skills[a.pk] for a in site_agents) for q in queues}
    return req, totals


def team_share_demand(site_id, queues, agents, skills, days, site=None) -> dict[str, list[int]]:
    """The site's requirement scaled to the share of each queue's skilled agents in these teams.
    ``site``: ``site_demand``'s answer when the caller already has it."""
    req, totals = site if site is not None else site_demand(site_id, queues, days)
    out = {}
    for queue in queues:
        here = sum(queue.code in skills[a.pk] for a in agents)
        total = totals.get(queue.code) or 1
        if not here:
            continue
        share = here / total
        out[queue.code] = [int(math.ceil(v * share - 1e-9)) for v in req[queue.code].ravel()]
    return out
