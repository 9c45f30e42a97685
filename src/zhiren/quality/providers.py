"""QA scores for the floor: what quality gives performance and coaching.

- ``qa_inputs`` is registered in ``core.registries.ability_inputs``: the agent's average
  released QA score of the last 30 days becomes the "质检分" (Quality scores) input of
  coaching's ability map, where it read "no data" before this module existed.
- ``qa_scores`` is registered in ``core.registries.agent_scores``: the released QA average
  over the page's period becomes a column of performance's team ranking and a card of the
  agent page ("too few samples" marked, never ranked as reliable).
- ``refresh_appraisal_inputs`` fills the ``qa`` component of the agent's appraisals whose
  cycle holds the day (``performance.services.set_component_input``), on every release
  and score change. Quality sits above both apps, so it calls them; neither imports it.
"""

from __future__ import annotations

import datetime as dt

from zhiren.coaching.situational import AbilityInput
from zhiren.core.registries import AgentScore
from zhiren.performance.models import Appraisal
from zhiren.performance.services import set_component_input

from . import sampling
from .selectors import qa_averages

WINDOW_DAYS = 30


def qa_inputs(agents, today: dt.date) -> dict[int, list[AbilityInput]]:
    """One query: {agent id: [AbilityInput("qa", …)]} for agents with released scores in the window."""
    agents = list(agents)
    if not agents:
        return {}
    found = qa_averages([a.pk for a in agents], today - dt.timedelta(days=WINDOW_DAYS - 1), today)
    result = {}
    for agent_id, row in found.items():
        detail = f"{row['average']:.1f} · n={row['count']}" + ("" if sampling.reliable(row["count"]) else " (!)")
        result[agent_id] = [AbilityInput("qa", "QA", round(row["average"], 1), detail)]
    return result


def qa_scores(agent_ids, start: dt.date, end: dt.date) -> dict[int, AgentScore]:
    """For performance's ranking and agent page (``core.registries.agent_scores``): one query."""
    return {agent_id: AgentScore(round(row["average"], 1), row["count"], sampling.reliable(row["count"]))
            for agent_id, row in qa_averages(agent_ids, start, end).items()}


def refresh_appraisal_inputs(agent_id: int, day: dt.date) -> None:
    appraisals = list(Appraisal.objects.filter(agent_id=agent_id, cycle__start__lte=day, cycle__end__gte=day)
                      .select_related("cycle", "agent"))
    for appraisal in appraisals:
        cycle = appraisal.cycle
        row = qa_averages([agent_id], cycle.start, cycle.end).get(agent_id)
        set_component_input(cycle, appraisal.agent, "qa", None if row is None else round(row["average"], 2))
